/**
 * The handlers of the histogram API: histograms of a DL1 parameter column
 * over a whole open file (with a cut), the events of one bin, and fits of
 * binned data. Columns are read by the HDF5 worker; fits run in a small
 * piscina pool of their own (a 60-bin Gaussian fit with Poisson reweighting
 * takes ~10 ms: too long for the main thread, which only coordinates).
 */
import { EventEmitter } from 'node:events';
import { Piscina } from 'piscina';
import type { z } from 'zod';
import type {
  BinEventsResult,
  FileColumnsResult,
  FileHistogramResult,
  HistogramReplies,
  HistogramStreams,
  HistogramWire,
  histogramRequestSchemas,
} from '../api/histogram-contract.js';
import type { Hdf5Client } from './hdf5-client.js';
import { createHistogram1D, fillArray, findBin, histogramMoments, type Histogram1D } from '../../src-worker/histogram/histogram-1d.js';
import type { FitTask, FitTaskResult } from '../../src-worker/fit/fit-task.js';
import { hdf5ParameterSource, isNumericScalar, parameterTables, scanParameterTables, type ParameterTableSource } from './file-column-scan.js';
import type { ResolvedImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';
import { SimtelParameterPasses } from './simtel-parameter-passes.js';
import { workerScript } from '../util/dist-paths.js';
import { ApiError } from '../util/errors.js';
import { DL1_PATHS } from '../../src-worker/io/dl1/dl1-layout.js';
import type { FormatId, FormatOffer } from '../api/file-contract.js';

type HistMethod = keyof typeof histogramRequestSchemas;
type HistParams<M extends HistMethod> = z.infer<(typeof histogramRequestSchemas)[M]>;
export type HistogramHandlers = { [M in HistMethod]: (p: HistParams<M>) => Promise<HistogramReplies[M]> | HistogramReplies[M] };

/** What the service needs of the open files (FileService provides it). */
export interface OpenFiles {
  file(fileId: string): {
    fileId: string;
    path: string;
    info: { format: { id: FormatId; label: string; offers: readonly FormatOffer[] } };
    /** sim_telarray files: the image extractor chosen for the file (file.extractor), absent for ctapipe's default */
    extractor?: ResolvedImageExtractorConfig;
  };
  readonly hdf5: Hdf5Client;
}

export interface HistogramServiceOptions {
  /** the bundled fit worker (default dist/worker/fit-worker.js) */
  fitWorkerPath?: string;
}

export function histogramToWire(h: Histogram1D): HistogramWire {
  const { mean, std } = histogramMoments(h);
  return {
    edges: Float64Array.from(h.edges),
    counts: Float64Array.from(h.counts),
    scale: h.scale,
    underflow: h.underflow,
    overflow: h.overflow,
    nan: h.nan,
    entries: h.entries,
    mean,
    std,
  };
}

/** A growable Float64Array. */
class Values {
  data = new Float64Array(4096);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** The range of the values: [min, max] widened so that max falls in the last bin; log: positive values only. */
export function autoRange(values: Float64Array, n: number, log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (log && !(v > 0))) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return log ? [1, 10] : [0, 1];
  if (log) return hi > lo ? [lo, hi * (1 + 1e-9)] : [lo / 2, lo * 2];
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  return [lo, hi + (hi - lo) * 1e-9];
}

type StreamEvents = { [K in keyof HistogramStreams]: [HistogramStreams[K]] };

/** minimum time between progress messages of one job, ms */
const PROGRESS_INTERVAL_MS = 250;

export class HistogramService extends EventEmitter<StreamEvents> {
  private fitPool: Piscina<FitTask, FitTaskResult> | undefined;
  private readonly jobs = new Map<string, AbortController>();
  /** the parameter passes over open sim_telarray files (run in the HDF5 worker, kept per open file) */
  private readonly simtel: SimtelParameterPasses;

  constructor(
    private readonly files: OpenFiles,
    private readonly options: HistogramServiceOptions = {},
  ) {
    super();
    this.simtel = new SimtelParameterPasses(files.hdf5);
  }

  private dl1(fileId: string): { fileId: string; path: string; simtel: boolean; extractor?: ResolvedImageExtractorConfig } {
    const f = this.files.file(fileId);
    if (!f.info.format.offers.includes('parameters'))
      throw new ApiError(
        'bad-request',
        `${f.path} is not a ctapipe DL1 or sim_telarray file (${f.info.format.label}); column histograms need ${DL1_PATHS.parameters}`,
      );
    return { fileId: f.fileId, path: f.path, simtel: f.info.format.id === 'simtel', extractor: f.extractor };
  }

  /**
   * The parameter tables of a file: a DL1 file's HDF5 tables, or a sim_telarray file's parameters computed by a
   * pass of the HDF5 worker (the first time; progress as events read, cancelled with `signal`).
   */
  private async source(
    f: { fileId: string; path: string; simtel: boolean; extractor?: ResolvedImageExtractorConfig },
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
    what = 'the histogram',
  ): Promise<ParameterTableSource> {
    if (!f.simtel) return hdf5ParameterSource(this.files.hdf5, f.fileId, f.path);
    return this.simtel.source(f.fileId, f.path, signal, onProgress, what, f.extractor);
  }

  async fileColumns(fileId: string): Promise<FileColumnsResult> {
    const f = this.dl1(fileId);
    if (f.simtel) return this.simtel.columns(fileId, f.path, f.extractor);
    const tables = await parameterTables(this.files.hdf5, f.fileId, f.path);
    const columns = tables[0].columns.filter(isNumericScalar).filter((c) => tables.every((t) => t.columns.some((d) => d.name === c.name)));
    return {
      fileId,
      columns: columns.map((c) => ({ name: c.name, dtype: c.dtype, unit: tables[0].units[c.name] ?? '' })),
      telIds: tables.map((t) => t.telId),
      rows: Object.fromEntries(tables.map((t) => [t.telId, t.nRows])),
    };
  }

  async fileColumn(p: HistParams<'hist.fileColumn'>): Promise<FileHistogramResult> {
    const t0 = performance.now();
    const f = this.dl1(p.fileId);
    checkRange(p.range, !!p.log);
    const values = new Values();
    const jobId = p.jobId;
    const abort = new AbortController();
    if (jobId) {
      if (this.jobs.has(jobId)) throw new ApiError('bad-request', `a histogram with job id "${jobId}" is already running`);
      this.jobs.set(jobId, abort);
    }
    let last = 0;
    const progress = (rowsRead: number, rowsTotal: number, done = false, unit: 'rows' | 'events' = 'rows') => {
      const now = performance.now();
      if (!jobId || (!done && now - last < PROGRESS_INTERVAL_MS)) return;
      last = now;
      this.emit('histogram-progress', { jobId, fileId: p.fileId, column: p.column, rowsRead, rowsTotal, done, unit });
    };
    let summary;
    try {
      const source = await this.source(f, abort.signal, (done, total) => progress(done, total, false, 'events'), `the histogram of ${p.column}`);
      summary = await scanParameterTables(
        source,
        f.path,
        { column: p.column, where: p.where, telIds: p.telIds },
        (chunk) => {
          const col = chunk.columns[p.column];
          for (let i = 0; i < chunk.n; i++) if (chunk.selected[i]) values.push(col[i]);
        },
        abort.signal,
        progress,
      );
      progress(summary.rowsRead, summary.rowsRead, true);
    } finally {
      if (jobId) this.jobs.delete(jobId);
    }
    const [lo, hi] = p.range ?? autoRange(values.data, values.length, !!p.log);
    const h = createHistogram1D({ nBins: p.bins, lo, hi, scale: p.log ? 'log' : 'linear' });
    fillArray(h, values.data, undefined, values.length);
    return {
      fileId: p.fileId,
      column: p.column,
      histogram: histogramToWire(h),
      rowsRead: summary.rowsRead,
      rowsSelected: summary.rowsSelected,
      telIds: summary.telIds,
      where: p.where,
      elapsedMs: performance.now() - t0,
    };
  }

  async binEvents(p: HistParams<'hist.binEvents'>): Promise<BinEventsResult> {
    const f = this.dl1(p.fileId);
    checkRange(p.range, !!p.log);
    const h = createHistogram1D({ nBins: p.bins, lo: p.range[0], hi: p.range[1], scale: p.log ? 'log' : 'linear' });
    if (p.bin >= p.bins) throw new ApiError('bad-request', `bin ${p.bin} does not exist: the histogram has bins 0…${p.bins - 1}`);
    const limit = p.limit ?? 1000;
    const events: BinEventsResult['events'] = [];
    let total = 0;
    await scanParameterTables(
      await this.source(f),
      f.path,
      { column: p.column, where: p.where, telIds: p.telIds, extra: ['obs_id', 'event_id', 'tel_id'] },
      (chunk) => {
        const col = chunk.columns[p.column];
        for (let i = 0; i < chunk.n; i++) {
          if (!chunk.selected[i] || findBin(h, col[i]) !== p.bin) continue;
          total++;
          if (events.length < limit) {
            events.push({ obsId: chunk.columns.obs_id[i], eventId: chunk.columns.event_id[i], telId: chunk.columns.tel_id[i], value: col[i] });
          }
        }
      },
    );
    events.sort((a, b) => a.obsId - b.obsId || a.eventId - b.eventId || a.telId - b.telId);
    return { bin: p.bin, binRange: [h.edges[p.bin], h.edges[p.bin + 1]], total, events, truncated: total > events.length };
  }

  async fit(p: HistParams<'hist.fit'>): Promise<FitTaskResult> {
    if (p.edges.length !== p.counts.length + 1) {
      throw new ApiError('bad-request', `a fit needs one more bin edge than bins: got ${p.edges.length} edges for ${p.counts.length} bins`);
    }
    if (p.errors && p.errors.length !== p.counts.length)
      throw new ApiError('bad-request', `errors must have one entry per bin (${p.counts.length}), got ${p.errors.length}`);
    this.fitPool ??= new Piscina<FitTask, FitTaskResult>({
      filename: this.options.fitWorkerPath ?? workerScript('fit-worker'),
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: 20_000,
    });
    try {
      return await this.fitPool.run(p);
    } catch (err) {
      throw new ApiError(
        'failed',
        `the ${p.model} fit failed: ${(err as Error).message}. Try a narrower fit range around the feature, or more entries per bin.`,
      );
    }
  }

  readonly handlers: HistogramHandlers = {
    'hist.fileColumns': (p) => this.fileColumns(p.fileId),
    'hist.fileColumn': (p) => this.fileColumn(p),
    'hist.cancel': (p) => {
      const job = this.jobs.get(p.jobId);
      job?.abort();
      return { cancelled: !!job };
    },
    'hist.binEvents': (p) => this.binEvents(p),
    'hist.fit': (p) => this.fit(p),
  };

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) job.abort();
    this.simtel.clear();
    const pool = this.fitPool;
    this.fitPool = undefined;
    await pool?.destroy();
  }
}

function checkRange(range: [number, number] | undefined, log: boolean): void {
  if (!range) return;
  if (!(range[1] > range[0])) throw new ApiError('bad-request', `the histogram range [${range[0]}, ${range[1]}] is empty: give lo < hi`);
  if (log && !(range[0] > 0)) throw new ApiError('bad-request', `log bins need a positive range, got lo = ${range[0]}`);
}
