/**
 * The histogram part of the API: histograms of any parameter column of an
 * open DL1 file over the whole file (with a cut expression; for a
 * sim_telarray file, of the parameters computed from it as ctapipe-process
 * does, by a pass over the file on the first request), the events of a
 * bin, and fits of binned data (Gaussian, exponential, polynomial). The same
 * wire shape of a histogram is drawn for live data and files.
 */
import { z } from 'zod';
import type { FitTaskResult } from '../../src-worker/fit/fit-task.js';

const fileId = z.string().min(1).max(200);
const finite = z.number().finite();
const columnName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'column names are letters, digits and "_"');

/** How to bin: number of bins, range (auto from the data when absent), log bins. */
const binning = {
  bins: z.number().int().min(1).max(10_000),
  /** [lo, hi]; from the selected values when absent (log: the smallest positive value) */
  range: z.tuple([finite, finite]).optional(),
  /** logarithmic bins (the range must be positive) */
  log: z.boolean().optional(),
  /** cut expression over the same table's columns, e.g. "hillas_intensity > 100 && leakage_intensity_width_2 < 0.2" */
  where: z.string().max(10_000).optional(),
  /** telescopes to include (default: every tel_NNN table) */
  telIds: z.array(z.number().int().nonnegative()).max(10_000).optional(),
};

export const histogramRequestSchemas = {
  /** the numeric scalar columns of a DL1 file's parameter tables, and its telescopes */
  'hist.fileColumns': z.object({ fileId }).strict(),
  /**
   * histogram of /dl1/event/telescope/parameters/tel_NNN `column` over the whole file; with a
   * `jobId`, progress arrives on the 'histogram-progress' stream and 'hist.cancel' stops it
   */
  'hist.fileColumn': z.object({ fileId, column: columnName, ...binning, jobId: z.string().min(1).max(100).optional() }).strict(),
  /** stops a running 'hist.fileColumn' (it replies with an error saying so) */
  'hist.cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
  /** the rows (obs_id, event_id, tel_id) falling into bin `bin` of the same histogram */
  'hist.binEvents': z
    .object({
      fileId,
      column: columnName,
      ...binning,
      range: z.tuple([finite, finite]),
      bin: z.number().int().nonnegative(),
      limit: z.number().int().min(1).max(100_000).optional(),
    })
    .strict(),
  /** a χ² fit of binned data (runs in the worker pool) */
  'hist.fit': z
    .object({
      edges: z.array(finite).min(2).max(100_001),
      counts: z.array(finite).min(1).max(100_000),
      /** errors of the bin contents; Poisson (from the model) when absent */
      errors: z.array(finite).max(100_000).optional(),
      model: z.enum(['gaussian', 'exponential', 'polynomial']),
      /** polynomial degree */
      degree: z.number().int().min(0).max(9).optional(),
      /** fit only bins with centres in [lo, hi] */
      range: z.tuple([finite, finite]).optional(),
      errorModel: z.enum(['poisson', 'neyman']).optional(),
    })
    .strict(),
} as const satisfies Record<string, z.ZodType>;

/** A filled 1D histogram as it travels to the renderer (live and files alike). */
export interface HistogramWire {
  /** bin edges, nBins + 1 */
  edges: Float64Array;
  /** sum of weights per bin */
  counts: Float64Array;
  scale: 'linear' | 'log';
  underflow: number;
  overflow: number;
  nan: number;
  /** values filled, including under/overflow and NaN */
  entries: number;
  /** mean and standard deviation of the in-range values */
  mean: number;
  std: number;
}

export interface FileColumnsResult {
  fileId: string;
  /** numeric scalar columns common to the parameter tables, in table order */
  columns: { name: string; dtype: string; /** ctapipe's unit ("deg", "ns", "" when none) */ unit: string }[];
  telIds: number[];
  /** rows per telescope table (a sim_telarray file: empty until its parameters were computed) */
  rows: Record<number, number>;
  /** a sim_telarray file whose parameters are not computed yet: what the first histogram will do */
  pending?: string;
}

export interface FileHistogramResult {
  fileId: string;
  column: string;
  histogram: HistogramWire;
  /** rows read and rows passing the cut */
  rowsRead: number;
  rowsSelected: number;
  telIds: number[];
  where?: string;
  elapsedMs: number;
}

export interface BinEventsResult {
  bin: number;
  /** [lo, hi) of the bin */
  binRange: [number, number];
  /** rows in the bin (all of them, even beyond `limit`) */
  total: number;
  events: { obsId: number; eventId: number; telId: number; value: number }[];
  truncated: boolean;
}

/** A fit's result as the fit worker returns it (parameters ± errors, χ²/ndf, worker time). */
export type FitResultWire = FitTaskResult;

/** Stream 'histogram-progress': a file-column histogram's rows read so far (a few times a second, and once at the end). */
export interface HistogramProgress {
  jobId: string;
  fileId: string;
  column: string;
  rowsRead: number;
  rowsTotal: number;
  done: boolean;
  /** what is counted: table rows read, or events read and calibrated (a sim_telarray file's first histogram) */
  unit?: 'rows' | 'events';
}

export interface HistogramStreams {
  'histogram-progress': HistogramProgress;
}

export const histogramStreamNames = ['histogram-progress'] as const satisfies readonly (keyof HistogramStreams)[];

export interface HistogramReplies {
  'hist.fileColumns': FileColumnsResult;
  'hist.fileColumn': FileHistogramResult;
  'hist.cancel': { cancelled: boolean };
  'hist.binEvents': BinEventsResult;
  'hist.fit': FitResultWire;
}
