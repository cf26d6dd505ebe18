/**
 * The message protocol between the main process and the HDF5 worker thread.
 * Requests are validated with zod in the worker; replies carry the request id
 * and either a result, an error (code + message naming the file), or a
 * progress report for long jobs (export). Typed arrays in results travel as
 * transferables.
 */
import { imageExtractorConfigSchema } from '../../calib/image-extractor.js';
import { z } from 'zod';
import type { Hdf5ErrorJson } from '../hdf5/h5-errors.js';
import type { Dl1Event, Dl1EventIndex, Dl1Subarray, Dl1Summary } from '../dl1/dl1-types.js';
import type { ExportProgress, ExportResult } from '../export/export-types.js';
import { selectionSchema } from '../export/selection.js';
import type { FormatDescription, FormatId } from '../formats/format-description.js';
import type { TreeNode } from '../hdf5/browse-types.js';
import type { SliceResult } from '../hdf5/browse-types.js';
import type { TableRowsResult } from '../hdf5/browse-types.js';
import type { PmtGeometryEntry } from '../../containers/pmt-geometry.js';
import type { PmtGeometry } from '../../containers/pmt-geometry.js';
import type { GeometryChoice } from '../../containers/pmt-geometry.js';
import type { WatchmalSummary } from '../watchmal/watchmal-types.js';
import type { WatchmalEvent } from '../watchmal/watchmal-types.js';
import type { SimtelSummary } from '../simtel/simtel-reader.js';
import type { SimtelParameterChunk } from '../simtel/simtel-parameter-tables.js';
import type { PixelWaveforms } from '../../containers/pixel-waveforms.js';
import type { WaveformLevels, WaveformSums } from '../../containers/waveform-sums.js';

const fileId = z.string().min(1).max(200);
const nonNegInt = z.number().int().nonnegative();

const dl1EventOptions = z
  .object({
    images: z.boolean().optional(),
    parameters: z.boolean().optional(),
    simulation: z.boolean().optional(),
    dl2: z.boolean().optional(),
    telIds: z.array(nonNegInt).max(10_000).optional(),
    extractor: imageExtractorConfigSchema.optional(),
  })
  .strict();

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), fileId, path: z.string().min(1) }).strict(),
  z.object({ type: z.literal('close'), fileId }).strict(),
  z.object({ type: z.literal('summary'), fileId }).strict(),
  z.object({ type: z.literal('tree'), fileId, path: z.string().optional(), maxDepth: nonNegInt.optional() }).strict(),
  z
    .object({
      type: z.literal('readSlice'),
      fileId,
      path: z.string().min(1),
      start: z.array(nonNegInt).max(32).optional(),
      count: z.array(nonNegInt).max(32).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('readTableRows'),
      fileId,
      path: z.string().min(1),
      start: nonNegInt,
      count: nonNegInt,
      columns: z.array(z.string()).max(10_000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('dl1Subarray'), fileId }).strict(),
  z.object({ type: z.literal('dl1EventIndex'), fileId }).strict(),
  z
    .object({
      type: z.literal('dl1Event'),
      fileId,
      index: nonNegInt.optional(),
      obsId: z.number().optional(),
      eventId: z.number().optional(),
      options: dl1EventOptions.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('waveforms'),
      fileId,
      index: nonNegInt,
      telId: nonNegInt,
      pixels: z.array(nonNegInt).min(1).max(64),
      r0: z.boolean().optional(),
      extractor: imageExtractorConfigSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('waveformLevels'), fileId }).strict(),
  z
    .object({
      type: z.literal('waveformSums'),
      fileId,
      index: nonNegInt,
      level: z.enum(['r0', 'r1']),
      gain: z.enum(['high', 'low']).optional(),
      telIds: z.array(nonNegInt).min(1).max(10_000).optional(),
    })
    .strict(),
  /**
   * the image parameters of the telescope images of a sim_telarray file's events from `start` on, for about
   * `budgetMs` of work (at least one event): the caller asks chunk after chunk, so other requests run between
   */
  z
    .object({
      type: z.literal('simtelParameters'),
      fileId,
      start: nonNegInt,
      budgetMs: z.number().int().min(1).max(60_000).optional(),
      extractor: imageExtractorConfigSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('watchmalEvent'), fileId, index: nonNegInt, withHits: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('pmtGeometry'), fileId: fileId.optional(), name: z.string().optional() }).strict(),
  z.object({ type: z.literal('listPmtGeometries') }).strict(),
  z
    .object({
      type: z.literal('export'),
      input: z.string().min(1),
      output: z.string().min(1),
      selection: selectionSchema,
      command: z.string().max(100_000).optional(),
      software: z
        .object({ name: z.string().max(200), version: z.string().max(200) })
        .strict()
        .optional(),
      sourceLabel: z.string().max(10_000).optional(),
      compressionLevel: z.number().int().min(0).max(9).optional(),
      cancel: z.instanceof(SharedArrayBuffer).optional(),
    })
    .strict(),
  z.object({ type: z.literal('stats') }).strict(),
  z.object({ type: z.literal('debug'), action: z.enum(['sleep', 'exit', 'throw']), ms: nonNegInt.optional() }).strict(),
]);

export type Hdf5Request = z.infer<typeof requestSchema>;
export type Hdf5RequestType = Hdf5Request['type'];
export type RequestOf<T extends Hdf5RequestType> = Extract<Hdf5Request, { type: T }>;

export interface FileSummary {
  /** the format's id (../formats/registry.ts) */
  kind: FormatId;
  /** what the format is, offers, and which views open it */
  format: FormatDescription;
  /** one line for the UI */
  description: string;
  /** events in the file (0 for formats without events) */
  eventCount: number;
  /** what `lightpool info` prints about the file's content */
  info: string[];
  file: string;
  /** bytes on disk */
  size: number;
  dl1?: Dl1Summary;
  watchmal?: WatchmalSummary;
  simtel?: SimtelSummary;
  /** every dataset (up to a limit) with its shape and dtype */
  datasets: { path: string; shape: number[]; dtype: string; chunks: number[] | null; filters: string[] }[];
  /** true when the dataset list was cut at its limit */
  datasetsTruncated: boolean;
}

export interface WorkerStats {
  rssBytes: number;
  heapUsedBytes: number;
  wasmHeapBytes: number;
  openFiles: string[];
  cacheBytes: number;
  pluginDir: string | null;
}

/** The result type of each request type. */
export interface Hdf5Results {
  open: FileSummary;
  close: { closed: boolean };
  summary: FileSummary;
  tree: TreeNode;
  readSlice: SliceResult;
  readTableRows: TableRowsResult;
  dl1Subarray: Dl1Subarray;
  dl1EventIndex: Dl1EventIndex;
  dl1Event: Dl1Event;
  watchmalEvent: WatchmalEvent;
  simtelParameters: SimtelParameterChunk;
  waveforms: PixelWaveforms;
  waveformLevels: WaveformLevels;
  waveformSums: WaveformSums;
  pmtGeometry: { geometry: PmtGeometry; choice: GeometryChoice | null };
  listPmtGeometries: PmtGeometryEntry[];
  export: ExportResult;
  stats: WorkerStats;
  debug: { done: true };
}

export type Hdf5Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Hdf5ErrorJson } | { id: number; progress: ExportProgress };

/** Every ArrayBuffer under `value` (typed arrays included), once each, for postMessage's transfer list. */
export function collectTransferables(value: unknown, out = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (depth > 12 || value === null || typeof value !== 'object') return [...out];
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    out.add(value);
  } else if (Array.isArray(value)) {
    if (value.length && typeof value[0] === 'object') for (const v of value) collectTransferables(v, out, depth + 1);
  } else if (!(value instanceof SharedArrayBuffer)) {
    for (const v of Object.values(value)) collectTransferables(v, out, depth + 1);
  }
  return [...out];
}
