/**
 * All image parameters of one cleaned image, as ctapipe 0.26's
 * `ImageProcessor._parameterize_image` computes them:
 * Hillas, concentration and timing on the cleaned pixels only; leakage and
 * morphology on the full camera with the mask; intensity and peak-time
 * statistics of the cleaned pixels. In the camera frame (m) or the telescope
 * frame (deg), depending on the prepared geometry.
 *
 * Status: "ok", or the first error ctapipe's functions raise:
 * - empty mask / zero intensity: "HillasParameterizationError: size=0, cannot
 *   calculate HillasParameters" (then only morphology is filled);
 * - a single pixel: timing's "ValueError: Cannot take a larger sample than
 *   population when 'replace=False'" (the other parameters are filled).
 * (ctapipe's ImageProcessor additionally skips images with fewer than 2
 * pixels or intensity <= 0 by its ImageQualityQuery: see
 * `passesImageQualityQuery`.)
 *
 * Prepare the per-camera data once (`prepareImageGeometry`), allocate one
 * workspace per camera and thread (`createImageParametersWorkspace`), then
 * `computeImageParameters` allocates nothing per image.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { computePixelNeighbors, type PixelNeighbors } from '../instrument/neighbors.js';
import { pixelWidths } from '../instrument/pixel-width.js';
import { cameraToTelescopeFrame } from '../instrument/telescope-frame.js';
import { createHillasWorkspace, emptyHillasParameters, hillasParameters, HillasParameterizationError, type HillasWorkspace } from './hillas-parameters.js';
import { borderPixelMask, leakageParameters } from './leakage-parameters.js';
import { concentrationParameters } from './concentration-parameters.js';
import { createIslandWorkspace, morphologyParameters, type IslandWorkspace } from './morphology-parameters.js';
import { descriptiveStatistics, emptyDescriptiveStatistics } from './descriptive-statistics.js';
import { createTimingWorkspace, timingParameters, type TimingWorkspace } from './timing-parameters.js';
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';
import type { ParameterFrame } from '../containers/image-parameters.js';
import type { HillasParameters } from '../containers/image-parameters.js';
import type { DescriptiveStatistics } from '../containers/image-parameters.js';
import type { ImageParameters } from '../containers/image-parameters.js';

/** Everything about one camera in one frame that does not depend on the image. */
export interface ImageGeometry {
  frame: ParameterFrame;
  /** positions in m (CameraFrame) or deg (TelescopeFrame: pixX = fov_lon, pixY = fov_lat) */
  geometry: CameraGeometry;
  neighbors: PixelNeighbors;
  pixelWidth: Float64Array;
  borderWidth1: Uint8Array;
  borderWidth2: Uint8Array;
}

export interface PrepareOptions {
  frame: ParameterFrame;
  /** m; needed for the telescope frame when the geometry has none */
  focalLength?: number;
  /** reuse already computed neighbours (they do not depend on the frame) */
  neighbors?: PixelNeighbors;
}

/** Precomputes neighbours, border masks, pixel widths and (telescope frame) converted positions. */
export function prepareImageGeometry(camera: CameraGeometry, options: PrepareOptions): ImageGeometry {
  const geometry = options.frame === 'TelescopeFrame' ? cameraToTelescopeFrame(camera, options.focalLength) : camera;
  const neighbors = options.neighbors ?? computePixelNeighbors(geometry.pixX, geometry.pixY, geometry.pixType);
  if (neighbors.nPixels !== camera.nPixels) throw new Error(`neighbours are for ${neighbors.nPixels} pixels, camera ${camera.name} has ${camera.nPixels}`);
  return {
    frame: options.frame,
    geometry,
    neighbors,
    pixelWidth: pixelWidths(geometry.pixArea, geometry.pixType),
    borderWidth1: borderPixelMask(neighbors, 1),
    borderWidth2: borderPixelMask(neighbors, 2),
  };
}

export const STATUS_OK = 'ok';
export const STATUS_SIZE_ZERO = 'HillasParameterizationError: size=0, cannot calculate HillasParameters';

export function emptyImageParameters(): ImageParameters {
  return {
    status: STATUS_OK,
    hillas: emptyHillasParameters(),
    leakage: { pixelsWidth1: NaN, pixelsWidth2: NaN, intensityWidth1: NaN, intensityWidth2: NaN },
    concentration: { cog: NaN, core: NaN, pixel: NaN },
    timing: { slope: NaN, intercept: NaN, deviation: NaN },
    morphology: { nPixels: 0, nIslands: 0, nSmallIslands: 0, nMediumIslands: 0, nLargeIslands: 0 },
    intensityStatistics: emptyDescriptiveStatistics(),
    peakTimeStatistics: emptyDescriptiveStatistics(),
  };
}

/**
 * ctapipe's default ImageParametersContainer, what its ImageProcessor stores
 * for an image that fails the ImageQualityQuery: every float NaN, the
 * morphology counts -1.
 */
export function setDefaultImageParameters(p: ImageParameters): void {
  p.status = STATUS_OK;
  for (const group of [p.hillas, p.leakage, p.concentration, p.timing, p.intensityStatistics, p.peakTimeStatistics] as unknown as Record<string, number>[]) {
    for (const k of Object.keys(group)) group[k] = NaN;
  }
  const m = p.morphology;
  m.nPixels = m.nIslands = m.nSmallIslands = m.nMediumIslands = m.nLargeIslands = -1;
}

/** Scratch memory for one camera (one per worker thread). */
export interface ImageParametersWorkspace {
  x: Float64Array;
  y: Float64Array;
  area: Float64Array;
  width: Float64Array;
  image64: Float64Array;
  image32: Float32Array;
  peakTime32: Float32Array;
  scratch32: Float32Array;
  hillas: HillasWorkspace;
  islands: IslandWorkspace;
  timing: TimingWorkspace;
}

export function createImageParametersWorkspace(nPixels: number): ImageParametersWorkspace {
  return {
    x: new Float64Array(nPixels),
    y: new Float64Array(nPixels),
    area: new Float64Array(nPixels),
    width: new Float64Array(nPixels),
    image64: new Float64Array(nPixels),
    image32: new Float32Array(nPixels),
    peakTime32: new Float32Array(nPixels),
    scratch32: new Float32Array(nPixels),
    hillas: createHillasWorkspace(nPixels),
    islands: createIslandWorkspace(nPixels),
    timing: createTimingWorkspace(nPixels),
  };
}

function setStatistics(s: DescriptiveStatistics, v: number): void {
  s.max = s.min = s.mean = s.std = s.skewness = s.kurtosis = v;
}

function errorStatus(err: unknown): string {
  if (err instanceof Error) return `${err.name === 'Error' ? 'ValueError' : err.name}: ${err.message}`;
  return String(err);
}

/**
 * Parameters of one image.
 * @param image float32 charges of all pixels (p.e.)
 * @param peakTime float32 peak times of all pixels (ns), or null (no timing, no peak-time statistics)
 * @param selected indices of the cleaned pixels, ascending (e.g. TailcutsWorkspace.selected)
 * @param nSelected how many entries of `selected` are used
 */
export function computeImageParameters(
  geom: ImageGeometry,
  image: Float32Array,
  peakTime: Float32Array | null,
  selected: Int32Array,
  nSelected: number,
  ws: ImageParametersWorkspace,
  out: ImageParameters = emptyImageParameters(),
): ImageParameters {
  const g = geom.geometry;
  const n = nSelected;
  if (image.length !== g.nPixels) throw new Error(`image has ${image.length} pixels, camera ${g.name} has ${g.nPixels}`);
  if (peakTime && peakTime.length !== g.nPixels) throw new Error(`peak_time has ${peakTime.length} pixels, camera ${g.name} has ${g.nPixels}`);

  const { x, y, area, width, image64, image32, peakTime32 } = ws;
  for (let k = 0; k < n; k++) {
    const i = selected[k];
    x[k] = g.pixX[i];
    y[k] = g.pixY[i];
    area[k] = g.pixArea[i];
    width[k] = geom.pixelWidth[i];
    const v = image[i];
    image64[k] = v;
    image32[k] = v;
    if (peakTime) peakTime32[k] = peakTime[i];
  }

  out.status = STATUS_OK;
  morphologyParameters(geom.neighbors, selected, n, ws.islands, out.morphology);

  // an empty mask has no parameters: decided here, without the cost of
  // constructing (and catching) hillasParameters' exception, as about a third
  // of real images end up empty after cleaning; the rare non-empty mask of
  // zero intensity still comes back as that exception
  let failure: string | undefined;
  if (n === 0) {
    failure = STATUS_SIZE_ZERO;
  } else {
    try {
      hillasParameters(x, y, area, image64, n, ws.hillas, out.hillas);
    } catch (err) {
      if (!(err instanceof HillasParameterizationError)) throw err;
      failure = errorStatus(err);
    }
  }
  if (failure !== undefined) {
    out.status = failure;
    const h = out.hillas;
    for (const key of Object.keys(h) as Array<keyof HillasParameters>) h[key] = NaN;
    const l = out.leakage;
    l.pixelsWidth1 = l.pixelsWidth2 = l.intensityWidth1 = l.intensityWidth2 = NaN;
    out.concentration.cog = out.concentration.core = out.concentration.pixel = NaN;
    out.timing.slope = out.timing.intercept = out.timing.deviation = NaN;
    setStatistics(out.intensityStatistics, NaN);
    setStatistics(out.peakTimeStatistics, NaN);
    return out;
  }

  leakageParameters(geom.borderWidth1, geom.borderWidth2, image, selected, n, ws.scratch32, out.leakage);
  concentrationParameters(x, y, width, image32, n, out.hillas, ws.scratch32, out.concentration);
  descriptiveStatistics(image32, n, ws.scratch32, out.intensityStatistics);

  if (peakTime) {
    try {
      timingParameters(x, y, image64, peakTime32, n, out.hillas, ws.timing, out.timing);
    } catch (err) {
      out.timing.slope = out.timing.intercept = out.timing.deviation = NaN;
      if (out.status === STATUS_OK) out.status = errorStatus(err);
    }
    descriptiveStatistics(peakTime32, n, ws.scratch32, out.peakTimeStatistics);
  } else {
    out.timing.slope = out.timing.intercept = out.timing.deviation = NaN;
    setStatistics(out.peakTimeStatistics, NaN);
  }
  return out;
}

/**
 * ctapipe ImageProcessor's default ImageQualityQuery on the cleaned pixels:
 * "size_greater_0" (float32 sum > 0) and "at_least_2_pixels".
 */
export function passesImageQualityQuery(image: Float32Array, selected: Int32Array, nSelected: number, scratch: Float32Array): boolean {
  if (nSelected <= 1) return false;
  for (let k = 0; k < nSelected; k++) scratch[k] = image[selected[k]];
  return pairwiseSum32(scratch, nSelected) > 0;
}

/** ctapipe's DL1 parameter column names, in the order of ImageParametersContainer. */
export function imageParameterColumns(frame: ParameterFrame): string[] {
  const [cx, cy] = frame === 'CameraFrame' ? ['hillas_x', 'hillas_y'] : ['hillas_fov_lon', 'hillas_fov_lat'];
  const stats = (p: string) => ['max', 'min', 'mean', 'std', 'skewness', 'kurtosis'].map((s) => `${p}_${s}`);
  return [
    'hillas_intensity',
    cx,
    cy,
    'hillas_r',
    'hillas_phi',
    'hillas_length',
    'hillas_length_uncertainty',
    'hillas_width',
    'hillas_width_uncertainty',
    'hillas_psi',
    'hillas_psi_uncertainty',
    'hillas_skewness',
    'hillas_kurtosis',
    'hillas_transverse_cog_uncertainty',
    'timing_slope',
    'timing_intercept',
    'timing_deviation',
    'leakage_pixels_width_1',
    'leakage_pixels_width_2',
    'leakage_intensity_width_1',
    'leakage_intensity_width_2',
    'concentration_cog',
    'concentration_core',
    'concentration_pixel',
    'morphology_n_pixels',
    'morphology_n_islands',
    'morphology_n_small_islands',
    'morphology_n_medium_islands',
    'morphology_n_large_islands',
    ...stats('intensity'),
    ...stats('peak_time'),
  ];
}

/** A flat record with ctapipe's column names (NaN kept as NaN). */
export function imageParametersRecord(p: ImageParameters, frame: ParameterFrame): Record<string, number> {
  const h = p.hillas;
  const rec: Record<string, number> = {};
  rec.hillas_intensity = h.intensity;
  if (frame === 'CameraFrame') {
    rec.hillas_x = h.x;
    rec.hillas_y = h.y;
  } else {
    rec.hillas_fov_lon = h.x;
    rec.hillas_fov_lat = h.y;
  }
  rec.hillas_r = h.r;
  rec.hillas_phi = h.phi;
  rec.hillas_length = h.length;
  rec.hillas_length_uncertainty = h.lengthUncertainty;
  rec.hillas_width = h.width;
  rec.hillas_width_uncertainty = h.widthUncertainty;
  rec.hillas_psi = h.psi;
  rec.hillas_psi_uncertainty = h.psiUncertainty;
  rec.hillas_skewness = h.skewness;
  rec.hillas_kurtosis = h.kurtosis;
  rec.hillas_transverse_cog_uncertainty = h.transverseCogUncertainty;
  rec.timing_slope = p.timing.slope;
  rec.timing_intercept = p.timing.intercept;
  rec.timing_deviation = p.timing.deviation;
  rec.leakage_pixels_width_1 = p.leakage.pixelsWidth1;
  rec.leakage_pixels_width_2 = p.leakage.pixelsWidth2;
  rec.leakage_intensity_width_1 = p.leakage.intensityWidth1;
  rec.leakage_intensity_width_2 = p.leakage.intensityWidth2;
  rec.concentration_cog = p.concentration.cog;
  rec.concentration_core = p.concentration.core;
  rec.concentration_pixel = p.concentration.pixel;
  rec.morphology_n_pixels = p.morphology.nPixels;
  rec.morphology_n_islands = p.morphology.nIslands;
  rec.morphology_n_small_islands = p.morphology.nSmallIslands;
  rec.morphology_n_medium_islands = p.morphology.nMediumIslands;
  rec.morphology_n_large_islands = p.morphology.nLargeIslands;
  for (const [prefix, s] of [
    ['intensity', p.intensityStatistics],
    ['peak_time', p.peakTimeStatistics],
  ] as const) {
    rec[`${prefix}_max`] = s.max;
    rec[`${prefix}_min`] = s.min;
    rec[`${prefix}_mean`] = s.mean;
    rec[`${prefix}_std`] = s.std;
    rec[`${prefix}_skewness`] = s.skewness;
    rec[`${prefix}_kurtosis`] = s.kurtosis;
  }
  return rec;
}
