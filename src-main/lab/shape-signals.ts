/**
 * Shapes every signal of an N × samples HDF5 dataset in the worker pool:
 * batches of rows go to the pool as tasks (each worker reads its rows from
 * the file itself), a bounded number in flight, results gathered into
 * per-signal arrays. Progress after each batch; an AbortSignal stops the
 * submission, raises the shared cancel flag that running batches check, and
 * ends with LabJobCancelled.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { WorkerPool } from '../pool/worker-pool.js';
import { H5File } from '../../src-worker/io/hdf5/h5-file.js';
import { numericDatasetInfo, type NumericDatasetInfo } from '../../src-worker/lab/numeric-dataset.js';
import { resolveShapingOptions, type PulseMeasurements, type PulseShapingOptions } from '../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import type { ShapeSignalsResult, ShapeSignalsTask } from '../../src-worker/lab/spectroscopy/shape-signals-task.js';
import { LabJobCancelled, type LabProgress } from './lab-job.js';

export interface ShapeSignalsOptions {
  input: string;
  /** default /signals */
  dataset?: string;
  shaping: PulseShapingOptions;
  /** a pool to use (the backend's); otherwise one of `threads` threads is made and closed */
  pool?: WorkerPool;
  threads?: number;
  /** signals per task; default about 4 MB of samples, at least 16 */
  batchRows?: number;
  signal?: AbortSignal;
  onProgress?: (p: LabProgress) => void;
  /**
   * the dataset, already described (the backend asks its HDF5 worker, so
   * h5wasm is not loaded into the main thread); default: read from the file
   */
  info?: NumericDatasetInfo;
}

export interface ShapedSignals extends PulseMeasurements {
  info: NumericDatasetInfo;
  /** the shaping options with their defaults filled in */
  shaping: Required<PulseShapingOptions>;
  seconds: number;
  threads: number;
}

/** Shape and dtype of the signals dataset, checked (2-D, numeric). */
export async function describeSignals(input: string, dataset = '/signals'): Promise<NumericDatasetInfo> {
  const f = await H5File.open(resolve(input));
  try {
    const info = numericDatasetInfo(f, dataset, [2], 'signals (N signals × samples)');
    if (info.shape[1] < 2) throw new Error(`${f.path}: ${dataset} has ${info.shape[1]} sample per signal; signals need at least 2`);
    return info;
  } finally {
    f.close();
  }
}

export async function shapeSignals(o: ShapeSignalsOptions): Promise<ShapedSignals> {
  const t0 = performance.now();
  const input = resolve(o.input);
  const dataset = o.dataset ?? '/signals';
  const info = o.info ?? (await describeSignals(input, dataset));
  const [n, nSamples] = info.shape;
  const shaping = resolveShapingOptions(o.shaping, nSamples);
  const batch = Math.max(1, o.batchRows ?? Math.max(16, Math.floor((4 << 20) / (nSamples * info.elemSize))));
  const out: PulseMeasurements = {
    amplitude: new Float64Array(n),
    baseline: new Float64Array(n),
    peakSample: new Int32Array(n),
    riseTime: new Float64Array(n),
  };
  const ownPool = !o.pool;
  const threads = o.pool?.threads ?? Math.max(1, o.threads ?? availableParallelism());
  const pool = o.pool ?? new WorkerPool(threads);
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const onAbort = () => Atomics.store(flag, 0, 1);
  o.signal?.addEventListener('abort', onAbort);
  const inFlight: Promise<ShapeSignalsResult>[] = [];
  let done = 0;
  const consume = async () => {
    const r = await inFlight.shift()!;
    if (r.cancelled || o.signal?.aborted) throw new LabJobCancelled('shaping');
    out.amplitude.set(r.amplitude, r.rowStart);
    out.baseline.set(r.baseline, r.rowStart);
    out.peakSample.set(r.peakSample, r.rowStart);
    out.riseTime.set(r.riseTime, r.rowStart);
    done += r.rowCount;
    const s = (performance.now() - t0) / 1000;
    o.onProgress?.({ phase: 'shaping', done, total: n, rate: s > 0 ? done / s : 0 });
  };
  try {
    o.onProgress?.({ phase: 'shaping', done: 0, total: n, rate: 0 });
    for (let start = 0; start < n; start += batch) {
      if (o.signal?.aborted) throw new LabJobCancelled('shaping');
      const task: ShapeSignalsTask = {
        kind: 'lab-shape-signals',
        file: input,
        dataset,
        rowStart: start,
        rowCount: Math.min(batch, n - start),
        options: shaping,
        cancel,
      };
      const p = pool.run<ShapeSignalsResult>(task);
      p.catch(() => {}); // awaited in order by consume()
      inFlight.push(p);
      if (inFlight.length >= 2 * threads) await consume();
    }
    while (inFlight.length) await consume();
  } catch (err) {
    Atomics.store(flag, 0, 1);
    await Promise.allSettled(inFlight);
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (ownPool) await pool.close();
  }
  return { ...out, info, shaping, seconds: (performance.now() - t0) / 1000, threads };
}
