/**
 * The one image processor: what ctapipe 0.26's ImageProcessor does per
 * image, for every path that turns images into parameters — `lightpool
 * process` (image-batch.ts), the live pipeline (../live/live-camera.ts) and
 * files alike:
 *
 * 1. tailcuts cleaning with the camera-frame neighbours;
 * 2. the ImageQualityQuery on the cleaned pixels (image-quality-query.ts),
 *    counted per criterion as ctapipe counts them; an image failing it gets
 *    ctapipe's default parameters (NaN, morphology -1);
 * 3. the image parameters in the telescope frame (deg, positions converted
 *    with the given focal length) or the camera frame (m): all of them, or
 *    only Hillas (for the clean + Hillas benchmark).
 *
 * The per-camera preparation (neighbours, frame conversion, border masks,
 * scratch memory) is done once per worker thread and camera key
 * (`imageProcessor`), so processing an image allocates nothing.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import type { ImageParameters, ParameterFrame } from '../containers/image-parameters.js';
import { computePixelNeighbors, type PixelNeighbors } from '../instrument/neighbors.js';
import { createTailcutsWorkspace, tailcutsCleanInto, type TailcutsOptions, type TailcutsWorkspace } from './tailcuts.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  emptyImageParameters,
  prepareImageGeometry,
  setDefaultImageParameters,
  type ImageGeometry,
  type ImageParametersWorkspace,
} from './image-parameters.js';
import { hillasParameters, HillasParameterizationError } from './hillas-parameters.js';
import { passesImageQuality } from './image-quality-query.js';
import type { QualityCounts, QualityCriterion } from '../selection/quality-query.js';

/** One camera as the processor sees it. */
export interface ImageProcessorCamera {
  /** identifies the prepared camera in the worker's cache (name + frame + focal length) */
  key: string;
  /** camera-frame geometry, m */
  geometry: CameraGeometry;
  frame: ParameterFrame;
  /** m; converts the camera frame to the telescope frame (ctapipe: the effective focal length) */
  focalLength?: number;
}

/** What to do with each image of a camera. */
export interface ImageProcessorSettings {
  cleaning: TailcutsOptions;
  /** ctapipe's ImageQualityQuery criteria; null: every image is parameterised */
  quality: readonly QualityCriterion[] | null;
  /** 'all': every image parameter; 'hillas': only the Hillas parameters (the rest NaN) */
  parameters: 'all' | 'hillas';
}

/** Tailcuts settings by camera name (ctapipe configures them per telescope type; Lightpool's live pipeline by camera). */
export interface CleaningByCamera {
  /** for cameras not listed */
  default: TailcutsOptions;
  cameras: Readonly<Record<string, TailcutsOptions>>;
}

export function cleaningFor(c: CleaningByCamera, cameraName: string): TailcutsOptions {
  return Object.hasOwn(c.cameras, cameraName) ? c.cameras[cameraName] : c.default;
}

/** An image-processing configuration for any camera: cleaning by camera, one ImageQualityQuery. */
export interface ImageProcessingConfig {
  cleaning: CleaningByCamera;
  /** ctapipe's ImageQualityQuery criteria; null: every image is parameterised */
  quality: readonly QualityCriterion[] | null;
}

/** the settings for one camera's images */
export function settingsFor(
  config: ImageProcessingConfig,
  cameraName: string,
  parameters: ImageProcessorSettings['parameters'] = 'all',
): ImageProcessorSettings {
  return { cleaning: cleaningFor(config.cleaning, cameraName), quality: config.quality, parameters };
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
export type ImageStatus = (typeof IMAGE_STATUS)[keyof typeof IMAGE_STATUS];

export class ImageProcessor {
  readonly nPixels: number;
  /** camera-frame neighbours (cleaning) */
  readonly cleaningNeighbors: PixelNeighbors;
  /** the geometry the parameters are computed in */
  readonly imageGeometry: ImageGeometry;
  /** the parameters of the last image processed (overwritten by the next) */
  readonly params: ImageParameters = emptyImageParameters();
  private readonly tailcuts: TailcutsWorkspace;
  private readonly workspace: ImageParametersWorkspace;
  /** the mask tailcuts writes when the caller keeps none */
  private readonly scratchMask: Uint8Array;
  /** `params` has NaN in every group but Hillas (set by the Hillas-only path, cleared by a full one) */
  private othersNaN = false;
  /** how many pixels survived cleaning in the last image (their indices: `selected`) */
  nSelected = 0;

  /**
   * `prepared`: the camera's neighbours and parameter geometry when the
   * caller already has them (a reader that shares them between telescopes of
   * one camera type); computed from the geometry otherwise.
   */
  constructor(
    readonly camera: ImageProcessorCamera,
    prepared?: { cleaningNeighbors: PixelNeighbors; imageGeometry: ImageGeometry },
  ) {
    const g = camera.geometry;
    this.nPixels = g.nPixels;
    this.cleaningNeighbors = prepared?.cleaningNeighbors ?? computePixelNeighbors(g.pixX, g.pixY, g.pixType);
    this.imageGeometry =
      prepared?.imageGeometry ??
      (camera.frame === 'CameraFrame'
        ? prepareImageGeometry(g, { frame: 'CameraFrame', neighbors: this.cleaningNeighbors })
        : prepareImageGeometry(g, { frame: 'TelescopeFrame', focalLength: camera.focalLength }));
    this.tailcuts = createTailcutsWorkspace(g.nPixels);
    this.workspace = createImageParametersWorkspace(g.nPixels);
    this.scratchMask = new Uint8Array(g.nPixels);
  }

  /** the pixels that survived cleaning in the last image, ascending, [0, nSelected) */
  get selected(): Int32Array {
    return this.tailcuts.selected;
  }

  /**
   * Cleans, queries and parameterises one image (`image` p.e., `peakTime` ns
   * or null); the cleaning mask goes to `mask` (nPixels entries, overwritten)
   * when given, the parameters to `this.params`, the quality query's counts
   * to `counts`.
   */
  process(
    image: Float32Array,
    peakTime: Float32Array | null,
    settings: ImageProcessorSettings,
    mask: Uint8Array = this.scratchMask,
    counts?: QualityCounts,
  ): ImageStatus {
    const n = tailcutsCleanInto(this.cleaningNeighbors, image, settings.cleaning, mask, this.tailcuts);
    this.nSelected = n;
    if (settings.quality && !passesImageQuality(image, this.tailcuts.selected, n, this.workspace.scratch32, settings.quality, counts)) {
      setDefaultImageParameters(this.params);
      this.othersNaN = false;
      return IMAGE_STATUS.qualityFailed;
    }
    if (settings.parameters === 'hillas') return this.hillasOnly(image, n) ? IMAGE_STATUS.ok : IMAGE_STATUS.error;
    this.othersNaN = false;
    const p = computeImageParameters(this.imageGeometry, image, peakTime, this.tailcuts.selected, n, this.workspace, this.params);
    return p.status === 'ok' ? IMAGE_STATUS.ok : IMAGE_STATUS.error;
  }

  /** Hillas only (for the clean + Hillas benchmark): every other parameter NaN. */
  private hillasOnly(image: Float32Array, n: number): boolean {
    const g = this.imageGeometry.geometry;
    const ws = this.workspace;
    const sel = this.tailcuts.selected;
    for (let k = 0; k < n; k++) {
      const i = sel[k];
      ws.x[k] = g.pixX[i];
      ws.y[k] = g.pixY[i];
      ws.area[k] = g.pixArea[i];
      ws.image64[k] = image[i];
    }
    // every group but Hillas NaN: once, until an image gets all of its parameters
    if (!this.othersNaN) {
      setAllNaN(this.params);
      this.othersNaN = true;
    }
    if (n === 0) {
      // no parameters; cheaper than hillasParameters' exception
      setGroupNaN(this.params, HILLAS_GROUP);
      return false;
    }
    try {
      hillasParameters(ws.x, ws.y, ws.area, ws.image64, n, ws.hillas, this.params.hillas);
      return true;
    } catch (err) {
      if (!(err instanceof HillasParameterizationError)) throw err;
      setGroupNaN(this.params, HILLAS_GROUP);
      return false;
    }
  }
}

/** The groups of ImageParameters whose fields setAllNaN sets, and their field names (listed once, not per image). */
const NAN_GROUPS = ['hillas', 'leakage', 'concentration', 'timing', 'morphology', 'intensityStatistics', 'peakTimeStatistics'] as const;
const NAN_FIELDS: readonly (readonly string[])[] = (() => {
  const p = emptyImageParameters();
  return NAN_GROUPS.map((g) => Object.keys(p[g]));
})();

const HILLAS_GROUP = NAN_GROUPS.indexOf('hillas');

function setGroupNaN(p: ImageParameters, g: number): void {
  const group = p[NAN_GROUPS[g]] as unknown as Record<string, number>;
  const fields = NAN_FIELDS[g];
  for (let k = 0; k < fields.length; k++) group[fields[k]] = NaN;
}

function setAllNaN(p: ImageParameters): void {
  for (let g = 0; g < NAN_GROUPS.length; g++) setGroupNaN(p, g);
  p.status = 'ok';
}

const prepared = new Map<string, ImageProcessor>();

/** One prepared processor per camera key and worker thread. */
export function imageProcessor(camera: ImageProcessorCamera): ImageProcessor {
  let p = prepared.get(camera.key);
  if (!p || p.nPixels !== camera.geometry.nPixels) prepared.set(camera.key, (p = new ImageProcessor(camera)));
  return p;
}
