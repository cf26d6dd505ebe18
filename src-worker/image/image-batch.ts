/**
 * Cleaning and image parameters of a batch of images of one camera, as one
 * worker-pool task of `lightpool process`: the images arrive as one
 * Float32Array (nImages × nPixels; transferred, or in a SharedArrayBuffer
 * the caller fills again once the result is back), the cleaned pixels
 * (indices, a few per cent of the camera) and the packed parameters go back
 * as typed arrays (copied: see pool-worker.ts). Each image goes through the one image processor
 * (image-processor.ts: cleaning → ImageQualityQuery → parameters).
 */
import type { TailcutsOptions } from './tailcuts.js';
import { N_PARAMETER_COLUMNS, packImageParameters } from './parameter-columns.js';
import { newQualityCounts, type QualityCounts, type QualityCriterion } from '../selection/quality-query.js';
import { imageProcessor, type ImageProcessorCamera } from './image-processor.js';

/** the camera of a batch (the image processor's camera) */
export type BatchCamera = ImageProcessorCamera;

export interface ReconstructImagesTask {
  kind: 'reconstruct-images';
  camera: BatchCamera;
  cleaning: TailcutsOptions;
  /** ctapipe's ImageQualityQuery criteria; null: every image with a non-empty mask is parameterised */
  quality: readonly QualityCriterion[] | null;
  /** 'all': every image parameter; 'hillas': only the Hillas columns (the rest NaN), for benchmarks */
  parameters: 'all' | 'hillas';
  nImages: number;
  /** nImages × nPixels, p.e. */
  images: Float32Array;
  /** nImages × nPixels, ns; null without peak times (no timing) */
  peakTimes: Float32Array | null;
}

export interface ReconstructImagesResult {
  kind: 'reconstruct-images';
  nImages: number;
  /** the pixels surviving cleaning, ascending per image, images one after the other */
  pixels: Int32Array;
  /** nImages + 1 offsets: image i's pixels are pixels[pixelOffsets[i] .. pixelOffsets[i + 1]) */
  pixelOffsets: Int32Array;
  /** nImages × N_PARAMETER_COLUMNS in `packedParameterColumns(frame)` order */
  parameters: Float64Array;
  /** nImages, IMAGE_STATUS values */
  status: Uint8Array;
  /** the quality query's counts over this batch (TOTAL, then per criterion), when there is a query */
  qualityCounts: QualityCounts | null;
  /** worker time, ms */
  elapsedMs: number;
}

/** A thread's result arrays, by batch size, for callers that consume each result before the next task (`reuseBuffers`). */
interface ResultScratch {
  pixels: Int32Array;
  pixelOffsets: Int32Array;
  parameters: Float64Array;
  status: Uint8Array;
}
const scratchByShape = new Map<string, ResultScratch>();

function resultScratch(nImages: number, nPix: number): ResultScratch {
  const key = `${nImages}|${nPix}`;
  let s = scratchByShape.get(key);
  if (!s) {
    // a few shapes at a time (the batch sizes of the cameras in use)
    if (scratchByShape.size >= 8) scratchByShape.clear();
    s = {
      pixels: new Int32Array(nImages * nPix),
      pixelOffsets: new Int32Array(nImages + 1),
      parameters: new Float64Array(nImages * N_PARAMETER_COLUMNS),
      status: new Uint8Array(nImages),
    };
    scratchByShape.set(key, s);
  }
  return s;
}

/**
 * `reuseBuffers`: the result's arrays are this thread's, overwritten by the
 * next call with `reuseBuffers` — for a caller that copies or consumes the
 * result first (the pool worker, whose reply is a structured clone; the
 * chunk task). It spares each batch its allocations: measured in a pool
 * worker, LSTCam clean + Hillas in batches of 70, 98k -> 110k images per
 * worker CPU second (medians of 3 runs), fresh arrays for every batch
 * costing the calloc and the GC of their external memory. Only `pixels` is
 * a fresh exact-size copy, and the arrays cannot be transferred.
 */
export function runReconstructImages(
  task: ReconstructImagesTask,
  opts: { reuseBuffers?: boolean } = {},
): { result: ReconstructImagesResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const processor = imageProcessor(task.camera);
  const nPix = processor.nPixels;
  const nImages = task.nImages;
  if (task.images.length !== nImages * nPix) {
    throw new Error(`camera ${task.camera.geometry.name}: ${task.images.length} image values for ${nImages} images of ${nPix} pixels`);
  }
  if (task.peakTimes && task.peakTimes.length !== nImages * nPix) {
    throw new Error(`camera ${task.camera.geometry.name}: ${task.peakTimes.length} peak-time values for ${nImages} images of ${nPix} pixels`);
  }
  const settings = { cleaning: task.cleaning, quality: task.quality, parameters: task.parameters };
  const scratch = opts.reuseBuffers ? resultScratch(nImages, nPix) : null;
  let pixels = scratch?.pixels ?? new Int32Array(Math.max(64, nImages * 64));
  const pixelOffsets = scratch?.pixelOffsets ?? new Int32Array(nImages + 1);
  const parameters = scratch?.parameters ?? new Float64Array(nImages * N_PARAMETER_COLUMNS);
  const status = scratch?.status ?? new Uint8Array(nImages);
  const qualityCounts = task.quality ? newQualityCounts(task.quality.length) : null;
  for (let i = 0; i < nImages; i++) {
    const image = task.images.subarray(i * nPix, (i + 1) * nPix);
    const peakTime = task.peakTimes ? task.peakTimes.subarray(i * nPix, (i + 1) * nPix) : null;
    status[i] = processor.process(image, peakTime, settings, undefined, qualityCounts ?? undefined);
    const n = processor.nSelected;
    const at = pixelOffsets[i];
    if (at + n > pixels.length) {
      const grown = new Int32Array(Math.max(2 * pixels.length, at + n));
      grown.set(pixels.subarray(0, at));
      pixels = grown;
    }
    pixels.set(processor.selected.subarray(0, n), at);
    pixelOffsets[i + 1] = at + n;
    packImageParameters(processor.params, parameters, i * N_PARAMETER_COLUMNS);
  }
  pixels = scratch ? pixels.slice(0, pixelOffsets[nImages]) : pixels.subarray(0, pixelOffsets[nImages]);
  const result: ReconstructImagesResult = {
    kind: 'reconstruct-images',
    nImages,
    pixels,
    pixelOffsets,
    parameters,
    status,
    qualityCounts,
    elapsedMs: performance.now() - start,
  };
  // reused arrays stay this thread's: nothing of them is transferred
  const transfer: ArrayBuffer[] = scratch
    ? []
    : [pixels.buffer as ArrayBuffer, pixelOffsets.buffer as ArrayBuffer, parameters.buffer as ArrayBuffer, status.buffer as ArrayBuffer];
  if (qualityCounts) transfer.push(qualityCounts.counts.buffer as ArrayBuffer, qualityCounts.cumulative.buffer as ArrayBuffer);
  return { result, transfer };
}
