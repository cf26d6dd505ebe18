/**
 * One camera of the live pipeline in a worker: the image processor prepared
 * for (camera, focal length) in the telescope frame (the parameters ctapipe
 * writes, deg), and the live image built from its result: the telescope-frame
 * parameters the aggregation uses and the camera-frame ellipse of the overlays.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import type { AnnouncedCameraGeometry } from '../containers/subarray.js';
import { loadCameraGeometry } from '../io/assets/load-camera-geometry.js';
import { IMAGE_STATUS, imageProcessor, settingsFor, type ImageProcessingConfig, type ImageProcessor } from '../image/image-processor.js';
import { cameraRadiusDeg, guessCameraRadiusFromNeighbors } from '../reco/camera-radius.js';
import { telescopeToCameraHillas } from '../instrument/telescope-frame.js';
import type { LiveImage, LiveImageParameters } from './live-types.js';
import { LIVE_IMAGE_PROCESSING } from './live-image-processing.js';

export class LiveCamera {
  readonly geometry: CameraGeometry;
  readonly nPixels: number;
  /** camera radius in the telescope frame, deg (HillasReconstructor's second axis point) */
  readonly radiusDeg: number;
  readonly processor: ImageProcessor;

  constructor(
    camera: string,
    readonly focalLength: number,
    announced?: AnnouncedCameraGeometry,
  ) {
    this.geometry = announced ?? loadCameraGeometry(camera);
    this.nPixels = this.geometry.nPixels;
    const which = announced ? `#${announced.fingerprint}` : '';
    this.processor = imageProcessor({
      key: `live|${camera}${which}|TelescopeFrame|${focalLength}`,
      geometry: this.geometry,
      frame: 'TelescopeFrame',
      focalLength,
    });
    this.radiusDeg = cameraRadiusDeg(
      guessCameraRadiusFromNeighbors(this.geometry.pixX, this.geometry.pixY, this.processor.imageGeometry.neighbors),
      focalLength,
    );
  }

  /** how many pixels survived cleaning in the last process() call (their indices: survivors) */
  get nSurvivors(): number {
    return this.processor.nSelected;
  }

  /** the indices of the pixels that survived cleaning in the last process() call, [0, nSurvivors) */
  get survivors(): Int32Array {
    return this.processor.selected;
  }

  /**
   * Cleans, queries and parameterises one image with `config` (default: the
   * live pipeline's); `image` and `peakTime` become the LiveImage's (no copy),
   * and so does `mask` (nPixels entries, overwritten) when given.
   */
  process(
    telId: number,
    image: Float32Array,
    peakTime: Float32Array,
    mask = new Uint8Array(this.nPixels),
    config: ImageProcessingConfig = LIVE_IMAGE_PROCESSING,
  ): LiveImage {
    const status = this.processor.process(image, peakTime, settingsFor(config, this.geometry.name), mask);
    const p = this.processor.params;
    const h = p.hillas;
    const params: LiveImageParameters = {
      ok: status === IMAGE_STATUS.ok && Number.isFinite(h.intensity) && Number.isFinite(h.width),
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
        {
          intensity: params.intensity,
          fovLon: params.fovLon,
          fovLat: params.fovLat,
          length: params.length,
          width: params.width,
          psi: params.psi,
          timingSlope: params.timeGradient,
        },
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

/**
 * One prepared camera per (camera, focal length) and worker thread: the
 * geometry the source announced (keyed by its fingerprint), else the shipped
 * one of that name.
 */
export function liveCamera(camera: string, focalLength: number, announced?: AnnouncedCameraGeometry): LiveCamera {
  const key = `${camera}${announced ? `#${announced.fingerprint}` : ''}@${focalLength}`;
  let c = cameras.get(key);
  if (!c) cameras.set(key, (c = new LiveCamera(camera, focalLength, announced)));
  return c;
}
