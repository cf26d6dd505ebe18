/**
 * The spectroscopy side of the lab service: signals datasets of open HDF5
 * files (described by the HDF5 worker, never read on the main thread), the
 * raw and shaped traces of chosen rows, shaping every signal in the worker
 * pool as a job (shapeSignals, progress and Cancel), and the spectrum
 * analysis of the pulse heights in the pool (analyseSpectrum: peaks,
 * photopeak fits, rise-time correction, calibration). A dataset opened twice
 * (by two windows) is the same entry, so a watcher sees what was shaped.
 */
import type { z } from 'zod';
import type { labRequestSchemas, SignalsInfo, SignalTraces, SpectrumWire } from '../api/lab-contract.js';
import type { TreeNode } from '../api/file-contract.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { NumericDatasetInfo } from '../../src-worker/lab/numeric-dataset.js';
import { resolveShapingOptions, type PulseShapingOptions } from '../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import type { SignalTracesResult, SignalTracesTask } from '../../src-worker/lab/spectroscopy/shape-signals-task.js';
import type { SpectrumTask, SpectrumTaskResult } from '../../src-worker/lab/spectroscopy/spectrum-task.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { shapeSignals, type ShapedSignals } from './shape-signals.js';
import { defaultBaselineSamples } from './run-spectrum.js';
import type { LabJobs } from './lab-jobs.js';

type P<M extends keyof typeof labRequestSchemas> = z.infer<(typeof labRequestSchemas)[M]>;

/** What the lab needs of the open files (FileService provides it). */
export interface LabFiles {
  file(fileId: string): { fileId: string; path: string };
  /** the node at `path` (a dataset's shape, dtype and attributes) */
  node(fileId: string, path: string, maxDepth?: number): Promise<TreeNode>;
}

interface SignalsEntry {
  info: SignalsInfo;
  dataset: NumericDatasetInfo;
  shaped?: ShapedSignals;
}

/** at most this many signals datasets are held (the oldest unshaped one goes first) */
const MAX_SIGNALS = 8;

/** numpy-like dtype text of the HDF5 worker (<i2, >f8, |u1) → what the shaper's reader needs */
export function numericDtype(dtype: string | undefined): Pick<NumericDatasetInfo, 'kind' | 'elemSize' | 'littleEndian'> | null {
  const m = /^([<>|=]?)([iuf])(\d+)$/.exec(dtype ?? '');
  if (!m) return null;
  const elemSize = Number(m[3]);
  const kind = m[2] === 'i' ? 'int' : m[2] === 'u' ? 'uint' : 'float';
  if (kind === 'float' ? elemSize !== 4 && elemSize !== 8 : ![1, 2, 4, 8].includes(elemSize)) return null;
  return { kind, elemSize, littleEndian: m[1] !== '>' };
}

function attrNumber(node: TreeNode, name: string): number | undefined {
  const a = node.attrs.find((x) => x.name === name);
  const v = Array.isArray(a?.value) && a.value.length === 1 ? a.value[0] : a?.value;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

export class LabSignals {
  private readonly entries = new Map<string, SignalsEntry>();
  private seq = 0;

  constructor(
    private readonly files: LabFiles,
    private readonly pool: WorkerPool,
    private readonly jobs: LabJobs,
  ) {}

  list(): SignalsInfo[] {
    return [...this.entries.values()].filter((e) => this.stillOpen(e)).map((e) => e.info);
  }

  private stillOpen(e: SignalsEntry): boolean {
    try {
      this.files.file(e.info.fileId);
      return true;
    } catch {
      return false;
    }
  }

  private entry(signalsId: string): SignalsEntry {
    const e = this.entries.get(signalsId);
    if (!e) throw new ApiError('not-found', `no signals dataset "${signalsId}" is open in the lab (it was closed, or the backend restarted): open it again`);
    if (!this.stillOpen(e)) {
      this.entries.delete(signalsId);
      throw new ApiError('not-found', `${e.info.file} was closed: open it again to use its signals`);
    }
    return e;
  }

  async open(p: P<'lab.signals.open'>): Promise<SignalsInfo> {
    const f = this.files.file(p.fileId);
    for (const e of this.entries.values()) if (e.info.fileId === p.fileId && e.info.dataset === p.dataset) return e.info;
    let node: TreeNode;
    try {
      node = await this.files.node(p.fileId, p.dataset, 0);
    } catch (err) {
      throw new ApiError('not-found', `${f.path}: cannot open ${p.dataset} as signals: ${errorMessage(err)}`);
    }
    const what = `${f.path}: ${p.dataset}`;
    if (node.kind !== 'dataset') throw new ApiError('bad-request', `${what} is a ${node.kind}, not a dataset; signals are an N × samples dataset`);
    if (node.columns?.length) throw new ApiError('bad-request', `${what} is a table (compound rows); signals are an N × samples dataset of integers or floats`);
    const type = numericDtype(node.dtype);
    if (!type) throw new ApiError('bad-request', `${what} has type ${node.dtype ?? 'unknown'}; signals must be integers or float32/float64`);
    const shape = node.shape ?? [];
    if (shape.length !== 2) throw new ApiError('bad-request', `${what} has shape (${shape.join(', ')}); signals must have 2 dimensions (N signals × samples)`);
    if (shape[0] < 1 || shape[1] < 2)
      throw new ApiError('bad-request', `${what} has shape (${shape.join(', ')}); signals need at least one signal of at least 2 samples`);
    const signalsId = `signals-${++this.seq}`;
    const info: SignalsInfo = {
      signalsId,
      fileId: p.fileId,
      file: f.path,
      dataset: p.dataset,
      shape: [shape[0], shape[1]],
      dtype: node.dtype ?? '?',
      samplePeriodNs: attrNumber(node, 'sample_period_ns'),
      defaultBaselineSamples: defaultBaselineSamples(shape[1]),
    };
    const dataset: NumericDatasetInfo = { file: f.path, path: p.dataset, shape: [shape[0], shape[1]], dtype: info.dtype, ...type };
    this.entries.set(signalsId, { info, dataset });
    this.evict();
    return info;
  }

  private evict(): void {
    while (this.entries.size > MAX_SIGNALS) {
      const victim =
        [...this.entries.entries()].find(([id, e]) => !e.shaped && !this.jobs.busy('shape', id)) ??
        [...this.entries.entries()].find(([id]) => !this.jobs.busy('shape', id));
      if (!victim) return;
      this.entries.delete(victim[0]);
    }
  }

  private shapingFor(e: SignalsEntry, s: P<'lab.signals.shape'>['shaping']): Required<PulseShapingOptions> {
    const nSamples = e.info.shape[1];
    try {
      return resolveShapingOptions({ ...s, baselineSamples: s.baselineSamples ?? e.info.defaultBaselineSamples, riseTime: true }, nSamples);
    } catch (err) {
      throw new ApiError('bad-request', `${e.info.file}: ${e.info.dataset}: ${errorMessage(err)}`);
    }
  }

  async traces(p: P<'lab.signals.traces'>): Promise<SignalTraces> {
    const e = this.entry(p.signalsId);
    const n = e.info.shape[0];
    const bad = p.rows.find((r) => r >= n);
    if (bad !== undefined) throw new ApiError('bad-request', `signal ${bad} does not exist: ${e.info.dataset} has signals 0…${n - 1}`);
    const shaping = this.shapingFor(e, p.shaping);
    const task: SignalTracesTask = { kind: 'lab-signal-traces', file: e.info.file, dataset: e.info.dataset, rows: p.rows, options: shaping };
    let r: SignalTracesResult;
    try {
      r = await this.pool.run<SignalTracesResult>(task);
    } catch (err) {
      throw new ApiError('failed', `could not read signals ${p.rows.join(', ')} of ${e.info.file}: ${e.info.dataset}: ${errorMessage(err)}`);
    }
    return { signalsId: p.signalsId, rows: r.rows, nSamples: r.nSamples, raw: r.raw, shaped: r.shaped, baseline: r.baseline, shaping };
  }

  shape(p: P<'lab.signals.shape'>): { jobId: string } {
    const e = this.entry(p.signalsId);
    if (this.jobs.busy('shape', p.signalsId))
      throw new ApiError('bad-request', `${e.info.dataset} of ${e.info.file} is being shaped already: wait for it, or cancel it`);
    const shaping = this.shapingFor(e, p.shaping);
    const jobId = this.jobs.start('shape', p.signalsId, p.jobId, async (signal, progress) => {
      const shaped = await shapeSignals({
        input: e.info.file,
        dataset: e.info.dataset,
        info: e.dataset,
        shaping,
        pool: this.pool,
        signal,
        onProgress: progress,
      });
      e.shaped = shaped;
      e.info = { ...e.info, shaped: { shaping: shaped.shaping, seconds: shaped.seconds, threads: shaped.threads, count: shaped.amplitude.length } };
    });
    return { jobId };
  }

  async spectrum(p: P<'lab.spectrum'>): Promise<SpectrumWire> {
    const t0 = performance.now();
    const e = this.entry(p.signalsId);
    const s = e.shaped;
    if (!s) throw new ApiError('bad-request', `the signals of ${e.info.dataset} are not shaped yet: shape them first (Shape all)`);
    if (p.calibration && new Set(p.calibration.map((c) => c.adc)).size < 2)
      throw new ApiError('bad-request', 'the calibration lines need two different ADC values');
    const task: SpectrumTask = {
      kind: 'lab-spectrum',
      amplitude: s.amplitude.slice(),
      riseTime: p.riseTimeCorrection ? s.riseTime.slice() : undefined,
      options: { bins: p.bins ?? 2048, range: p.range, calibration: p.calibration, riseTimeCorrection: p.riseTimeCorrection },
    };
    let r: SpectrumTaskResult;
    try {
      r = await this.pool.run<SpectrumTaskResult>(task, [
        task.amplitude.buffer as ArrayBuffer,
        ...(task.riseTime ? [task.riseTime.buffer as ArrayBuffer] : []),
      ]);
    } catch (err) {
      throw new ApiError('bad-request', `the spectrum of ${e.info.dataset} could not be analysed: ${errorMessage(err)}`);
    }
    const { kind: _kind, ...rest } = r;
    void _kind;
    return { signalsId: p.signalsId, nSignals: s.amplitude.length, shaping: s.shaping, ...rest, elapsedMs: performance.now() - t0 };
  }

  close(id: string): boolean {
    return this.entries.delete(id);
  }
}
