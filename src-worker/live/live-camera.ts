/**
 * Cleaning and telescope-frame image parameters of one telescope's images in
 * a worker (ctapipe stage-1 tailcuts, parameters in deg as ctapipe-process
 * writes them), with the per-camera preparation done once per worker thread
 * and (camera, focal length).
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { loadCameraGeometry } from '../instrument/load-camera-geometry.js';
import { createTailcutsWorkspace, tailcutsCleanInto, type TailcutsOptions, type TailcutsWorkspace } from '../image/tailcuts.js';
import { stage1Cleaning } from '../image/stage1-cleaning.js';
import { computeImageParameters, createImageParametersWorkspace, emptyImageParameters, prepareImageGeometry, type ImageGeometry, type ImageParametersWorkspace } from '../image/image-parameters.js';
import { cameraRadiusDeg, guessCameraRadiusFromNeighbors } from '../reco/camera-radius.js';
import { telescopeToCameraHillas } from '../instrument/telescope-frame.js';
import type { LiveImage, LiveImageParameters } from './live-types.js';
import type { ImageParameters } from '../containers/image-parameters.js';

export class LiveCamera {
  readonly geometry: CameraGeometry;
  readonly nPixels: number;
  /** camera radius in the telescope frame, deg (HillasReconstructor's second axis point) */
  readonly radiusDeg: number;
  private readonly imageGeometry: ImageGeometry;
  private readonly cleaning: TailcutsOptions;
  private readonly tailcuts: TailcutsWorkspace;
  private readonly workspace: ImageParametersWorkspace;
  private readonly params: ImageParameters = emptyImageParameters();

  constructor(camera: string, readonly focalLength: number) {
    this.geometry = loadCameraGeometry(camera);
    this.nPixels = this.geometry.nPixels;
    this.imageGeometry = prepareImageGeometry(this.geometry, { frame: 'TelescopeFrame', focalLength });
    this.cleaning = stage1Cleaning(this.geometry.name);
    this.tailcuts = createTailcutsWorkspace(this.nPixels);
    this.workspace = createImageParametersWorkspace(this.nPixels);
    this.radiusDeg = cameraRadiusDeg(guessCameraRadiusFromNeighbors(this.geometry.pixX, this.geometry.pixY, this.imageGeometry.neighbors), focalLength);
  }

  /** how many pixels survived cleaning in the last process() call (their indices: survivors) */
  nSurvivors = 0;

  /** the indices of the pixels that survived cleaning in the last process() call, [0, nSurvivors) */
  get survivors(): Int32Array {
    return this.tailcuts.selected;
  }

  /**
   * Cleans and parameterises one image; `image` and `peakTime` become the
   * LiveImage's (no copy), and so does `mask` (nPixels entries, overwritten)
   * when given.
   */
  process(telId: number, image: Float32Array, peakTime: Float32Array, mask = new Uint8Array(this.nPixels)): LiveImage {
    const n = tailcutsCleanInto(this.imageGeometry.neighbors, image, this.cleaning, mask, this.tailcuts);
    this.nSurvivors = n;
    const p = computeImageParameters(this.imageGeometry, image, peakTime, this.tailcuts.selected, n, this.workspace, this.params);
    const h = p.hillas;
    const params: LiveImageParameters = {
      ok: p.status === 'ok' && Number.isFinite(h.intensity) && Number.isFinite(h.width),
      intensity: h.intensity,
      fovLon: h.x,
      fovLat: h.y,
      length: h.length,
      width: h.width,
      psi: h.psi,
      skewness: h.skewness,
      kurtosis: h.kurtosis,
      timeGradient: p.timing.slope,
      nPixels: p.morphology.nPixels,
      nIslands: p.morphology.nIslands,
      leakage2: p.leakage.intensityWidth2,
    };
    const out: LiveImage = { telId, camera: this.geometry.name, image, peakTime, mask, params };
    if (params.ok) {
      const c = telescopeToCameraHillas(
        { intensity: params.intensity, fovLon: params.fovLon, fovLat: params.fovLat, length: params.length, width: params.width, psi: params.psi, timingSlope: params.timeGradient },
        this.focalLength,
        this.geometry.camRotation,
      );
      out.cameraHillas = c.hillas;
      if (c.timingSlope !== undefined) out.cameraTimingSlope = c.timingSlope;
    }
    return out;
  }
}

const cameras = new Map<string, LiveCamera>();

/** One prepared camera per (camera name, focal length) and worker thread. */
export function liveCamera(camera: string, focalLength: number): LiveCamera {
  const key = `${camera}@${focalLength}`;
  let c = cameras.get(key);
  if (!c) cameras.set(key, (c = new LiveCamera(camera, focalLength)));
  return c;
}
