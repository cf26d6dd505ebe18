/**
 * `lightpool process`'s pool task for whole chunks of an image table: the
 * main thread reads the chunks' stored bytes (still compressed) and
 * transfers them here; this worker decodes them, runs every image through
 * the image batch (cleaning → quality query → parameters: the one image
 * processor), writes the new image_mask into the rows, encodes each chunk
 * with the output's filters and transfers the stored bytes back with the
 * packed parameters. The main thread then only reads, orders and writes.
 */
import type { FieldSpec } from '../hdf5/h5-dtype.js';
import type { PipelineFilter } from '../hdf5/read/chunk-index.js';
import { decodeStoredChunk } from '../hdf5/read/stored-chunk.js';
import { decodeColumn, toFloat64 } from '../hdf5/column-decode.js';
import { encodeChunk } from '../hdf5/writer/h5-writer.js';
import type { FilterChoice } from '../hdf5/writer/output-filters.js';
import { runReconstructImages, type BatchCamera } from '../../image/image-batch.js';
import type { TailcutsOptions } from '../../image/tailcuts.js';
import { addQualityCounts, newQualityCounts, type QualityCounts, type QualityCriterion } from '../../selection/quality-query.js';
import { N_PARAMETER_COLUMNS } from '../../image/parameter-columns.js';
import { writeImageMasks } from './image-masks.js';

export interface ProcessChunksTask {
  kind: 'process-chunks';
  /** file and table, for messages */
  what: string;
  camera: BatchCamera;
  cleaning: TailcutsOptions;
  quality: readonly QualityCriterion[] | null;
  /** the chunks as stored in the input (transferred) */
  stored: Uint8Array[];
  filterMasks: number[];
  /** rows of each chunk that are table rows (the last chunk of a table may hold fewer than chunkRows) */
  rows: number[];
  inputFilters: PipelineFilter[];
  chunkRows: number;
  rowSize: number;
  fields: { image: FieldSpec; peakTime: FieldSpec | null; mask: FieldSpec; obsId: FieldSpec; eventId: FieldSpec };
  /** the output table's filters (same chunk rows and row layout as the input) */
  output: FilterChoice;
}

export interface ProcessChunksResult {
  kind: 'process-chunks';
  nImages: number;
  /** the chunks encoded with the output's filters, new masks in */
  stored: Uint8Array[];
  /** nImages × N_PARAMETER_COLUMNS (packedParameterColumns order) */
  parameters: Float64Array;
  status: Uint8Array;
  obsId: Float64Array;
  eventId: Float64Array;
  qualityCounts: QualityCounts | null;
  elapsedMs: number;
}

function f32(c: ReturnType<typeof decodeColumn>): Float32Array {
  return c instanceof Float32Array ? c : Float32Array.from(c as ArrayLike<number>);
}

export function runProcessChunks(task: ProcessChunksTask): { result: ProcessChunksResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const full = task.chunkRows * task.rowSize;
  const nImages = task.rows.reduce((a, b) => a + b, 0);
  const nPix = task.fields.image.count;
  const parameters = new Float64Array(nImages * N_PARAMETER_COLUMNS);
  const status = new Uint8Array(nImages);
  const obsId = new Float64Array(nImages);
  const eventId = new Float64Array(nImages);
  const qualityCounts = task.quality ? newQualityCounts(task.quality.length) : null;
  const stored: Uint8Array[] = [];
  let at = 0;
  task.stored.forEach((bytes, c) => {
    const n = task.rows[c];
    let raw: Uint8Array;
    try {
      raw = decodeStoredChunk(bytes, task.inputFilters, task.filterMasks[c], full);
    } catch (err) {
      throw new Error(`${task.what}: chunk of rows ${at}+: ${(err as Error).message}`);
    }
    // rows past the table's end are not data: stored as zero, as the writer stores them
    raw.fill(0, n * task.rowSize);
    const col = (f: FieldSpec) => decodeColumn(raw, task.rowSize, n, f);
    const images = f32(col(task.fields.image));
    const peakTimes = task.fields.peakTime ? f32(col(task.fields.peakTime)) : null;
    if (images.length !== n * nPix) throw new Error(`${task.what}: ${images.length} image values for ${n} rows of ${nPix} pixels`);
    // the batch's arrays are this worker's, used again by the next chunk: consumed below before it
    const { result } = runReconstructImages(
      {
        kind: 'reconstruct-images',
        camera: task.camera,
        cleaning: task.cleaning,
        quality: task.quality,
        parameters: 'all',
        nImages: n,
        images,
        peakTimes,
      },
      { reuseBuffers: true },
    );
    writeImageMasks(raw, task.rowSize, task.fields.mask, n, result.pixels, result.pixelOffsets, task.what);
    const encoded = encodeChunk(raw, task.rowSize, task.output);
    // a buffer of its own to transfer (never a view into Node's shared Buffer pool)
    stored.push(encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength ? encoded : new Uint8Array(encoded));
    parameters.set(result.parameters, at * N_PARAMETER_COLUMNS);
    status.set(result.status, at);
    obsId.set(toFloat64(col(task.fields.obsId)), at);
    eventId.set(toFloat64(col(task.fields.eventId)), at);
    if (qualityCounts && result.qualityCounts) addQualityCounts(qualityCounts, result.qualityCounts);
    at += n;
  });
  const result: ProcessChunksResult = {
    kind: 'process-chunks',
    nImages,
    stored,
    parameters,
    status,
    obsId,
    eventId,
    qualityCounts,
    elapsedMs: performance.now() - start,
  };
  const transfer = [...new Set(stored.map((s) => s.buffer as ArrayBuffer))];
  transfer.push(parameters.buffer, status.buffer, obsId.buffer, eventId.buffer);
  if (qualityCounts) transfer.push(qualityCounts.counts.buffer as ArrayBuffer, qualityCounts.cumulative.buffer as ArrayBuffer);
  return { result, transfer };
}
