/**
 * Cleaning and image parameters of a batch of images of one camera, as one
 * worker-pool task: the images arrive as one transferred Float32Array
 * (nImages × nPixels), the cleaned pixels (indices, a few per cent of the
 * camera) and the packed parameters go back as transferred typed arrays. What ctapipe 0.26's ImageProcessor does per
 * image:
 *
 * 1. tailcuts cleaning with the camera-frame neighbours;
 * 2. ImageQualityQuery on the cleaned pixels (the criteria travel as parsed
 *    expressions, ../quality; ctapipe-process's default is `image.sum() > 0`,
 *    its base_config `np.count_nonzero(image) > 2` and `image.sum() > 50`),
 *    counted per criterion as ctapipe counts them; an image failing it gets
 *    ctapipe's default parameters (NaN, morphology -1);
 * 3. all image parameters in the telescope frame (deg, positions converted
 *    with the effective focal length) or the camera frame (m).
 *
 * The per-camera preparation (neighbours, frame conversion, border masks,
 * scratch memory) is done once per worker thread and camera key.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { computePixelNeighbors, type PixelNeighbors } from '../instrument/neighbors.js';
import { createTailcutsWorkspace, tailcutsCleanInto, type TailcutsOptions, type TailcutsWorkspace } from './tailcuts.js';
import { computeImageParameters, createImageParametersWorkspace, emptyImageParameters, prepareImageGeometry, type ImageGeometry, type ImageParametersWorkspace } from './image-parameters.js';
import { hillasParameters, HillasParameterizationError } from './hillas-parameters.js';
import { N_PARAMETER_COLUMNS, packDefaultImageParameters, packImageParameters } from './parameter-columns.js';
import { applyQualityQuery, compileCriteria, newQualityCounts, type QualityCounts, type QualityCriterion } from '../selection/quality-query.js';
import type { ParameterFrame } from '../containers/image-parameters.js';
import type { ImageParameters } from '../containers/image-parameters.js';

/** ctapipe's ImageQualityQuery default (what ctapipe-process applies without a config). */
export const CTAPIPE_DEFAULT_IMAGE_QUALITY: readonly QualityCriterion[] = compileCriteria([['size_greater_0', 'image.sum() > 0']], 'image', 'ImageQualityQuery');

/** ctapipe-process's base_config.yaml ImageQualityQuery. */
export const CTAPIPE_PROCESS_IMAGE_QUALITY: readonly QualityCriterion[] = compileCriteria(
  [
    ['enough_pixels', 'np.count_nonzero(image) > 2'],
    ['enough_charge', 'image.sum() > 50'],
  ],
  'image',
  'ImageQualityQuery',
);

export interface BatchCamera {
  /** identifies the prepared camera in the worker's cache (name + frame + focal length) */
  key: string;
  /** camera-frame geometry, m */
  geometry: CameraGeometry;
  frame: ParameterFrame;
  /** m; converts the camera frame to the telescope frame (ctapipe: the effective focal length) */
  focalLength?: number;
}

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

/** Per image: what the parameters are. */
export const IMAGE_STATUS = {
  /** parameters computed */
  ok: 0,
  /** failed the image quality query: ctapipe's default container */
  qualityFailed: 1,
  /** some parameter raised (e.g. empty mask without a quality query): those are NaN */
  error: 2,
} as const;

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

interface PreparedCamera {
  nPixels: number;
  cleaningNeighbors: PixelNeighbors;
  imageGeometry: ImageGeometry;
  tailcuts: TailcutsWorkspace;
  /** the mask tailcuts writes (scratch: only the pixel indices travel back) */
  mask: Uint8Array;
  workspace: ImageParametersWorkspace;
  params: ImageParameters;
}

const prepared = new Map<string, PreparedCamera>();

function prepare(camera: BatchCamera): PreparedCamera {
  let p = prepared.get(camera.key);
  if (p && p.nPixels === camera.geometry.nPixels) return p;
  const g = camera.geometry;
  const cleaningNeighbors = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
  const imageGeometry =
    camera.frame === 'CameraFrame'
      ? prepareImageGeometry(g, { frame: 'CameraFrame', neighbors: cleaningNeighbors })
      : prepareImageGeometry(g, { frame: 'TelescopeFrame', focalLength: camera.focalLength });
  p = {
    nPixels: g.nPixels,
    cleaningNeighbors,
    imageGeometry,
    tailcuts: createTailcutsWorkspace(g.nPixels),
    mask: new Uint8Array(g.nPixels),
    workspace: createImageParametersWorkspace(g.nPixels),
    params: emptyImageParameters(),
  };
  prepared.set(camera.key, p);
  return p;
}

/** ctapipe's ImageQualityQuery on the cleaned pixels (`image[mask]`, float32), counted into `counts` when given. */
export function passesImageQuality(image: Float32Array, selected: Int32Array, n: number, scratch: Float32Array, criteria: readonly QualityCriterion[], counts?: QualityCounts): boolean {
  for (let k = 0; k < n; k++) scratch[k] = image[selected[k]];
  return applyQualityQuery(criteria, { image: scratch, n, scratch }, counts);
}

/** Hillas only (for the clean + Hillas benchmark): the first 14 packed columns, the rest NaN. */
function hillasOnly(p: PreparedCamera, image: Float32Array, n: number, out: Float64Array, o: number): boolean {
  const g = p.imageGeometry.geometry;
  const ws = p.workspace;
  const sel = p.tailcuts.selected;
  for (let k = 0; k < n; k++) {
    const i = sel[k];
    ws.x[k] = g.pixX[i];
    ws.y[k] = g.pixY[i];
    ws.area[k] = g.pixArea[i];
    ws.image64[k] = image[i];
  }
  out.fill(NaN, o, o + N_PARAMETER_COLUMNS);
  if (n === 0) return false; // no parameters; cheaper than hillasParameters' exception
  try {
    const h = hillasParameters(ws.x, ws.y, ws.area, ws.image64, n, ws.hillas, p.params.hillas);
    const v = [h.intensity, h.x, h.y, h.r, h.phi, h.length, h.lengthUncertainty, h.width, h.widthUncertainty, h.psi, h.psiUncertainty, h.skewness, h.kurtosis, h.transverseCogUncertainty];
    for (let k = 0; k < v.length; k++) out[o + k] = v[k];
    return true;
  } catch (err) {
    if (err instanceof HillasParameterizationError) return false;
    throw err;
  }
}

export function runReconstructImages(task: ReconstructImagesTask): { result: ReconstructImagesResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const p = prepare(task.camera);
  const nPix = p.nPixels;
  const nImages = task.nImages;
  if (task.images.length !== nImages * nPix) {
    throw new Error(`camera ${task.camera.geometry.name}: ${task.images.length} image values for ${nImages} images of ${nPix} pixels`);
  }
  if (task.peakTimes && task.peakTimes.length !== nImages * nPix) {
    throw new Error(`camera ${task.camera.geometry.name}: ${task.peakTimes.length} peak-time values for ${nImages} images of ${nPix} pixels`);
  }
  let pixels = new Int32Array(Math.max(64, nImages * 64));
  const pixelOffsets = new Int32Array(nImages + 1);
  const parameters = new Float64Array(nImages * N_PARAMETER_COLUMNS);
  const status = new Uint8Array(nImages);
  const qualityCounts = task.quality ? newQualityCounts(task.quality.length) : null;
  for (let i = 0; i < nImages; i++) {
    const image = task.images.subarray(i * nPix, (i + 1) * nPix);
    const peakTime = task.peakTimes ? task.peakTimes.subarray(i * nPix, (i + 1) * nPix) : null;
    const n = tailcutsCleanInto(p.cleaningNeighbors, image, task.cleaning, p.mask, p.tailcuts);
    const at = pixelOffsets[i];
    if (at + n > pixels.length) {
      const grown = new Int32Array(Math.max(2 * pixels.length, at + n));
      grown.set(pixels.subarray(0, at));
      pixels = grown;
    }
    pixels.set(p.tailcuts.selected.subarray(0, n), at);
    pixelOffsets[i + 1] = at + n;
    const o = i * N_PARAMETER_COLUMNS;
    if (task.quality && !passesImageQuality(image, p.tailcuts.selected, n, p.workspace.scratch32, task.quality, qualityCounts ?? undefined)) {
      packDefaultImageParameters(parameters, o);
      status[i] = IMAGE_STATUS.qualityFailed;
      continue;
    }
    if (task.parameters === 'hillas') {
      status[i] = hillasOnly(p, image, n, parameters, o) ? IMAGE_STATUS.ok : IMAGE_STATUS.error;
      continue;
    }
    const params = computeImageParameters(p.imageGeometry, image, peakTime, p.tailcuts.selected, n, p.workspace, p.params);
    packImageParameters(params, parameters, o);
    status[i] = params.status === 'ok' ? IMAGE_STATUS.ok : IMAGE_STATUS.error;
  }
  pixels = pixels.subarray(0, pixelOffsets[nImages]);
  const result: ReconstructImagesResult = { kind: 'reconstruct-images', nImages, pixels, pixelOffsets, parameters, status, qualityCounts, elapsedMs: performance.now() - start };
  const transfer = [pixels.buffer as ArrayBuffer, pixelOffsets.buffer, parameters.buffer, status.buffer];
  if (qualityCounts) transfer.push(qualityCounts.counts.buffer as ArrayBuffer, qualityCounts.cumulative.buffer as ArrayBuffer);
  return { result, transfer };
}
