/**
 * Cleaning and image parameters of one camera type inside a worker: the
 * geometry-dependent data (neighbours, border masks) and the scratch memory
 * are prepared once per camera and reused for every image.
 */
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import { createTailcutsWorkspace, tailcutsCleanInto, type TailcutsOptions, type TailcutsWorkspace } from '../cleaning/tailcuts.js';
import { stage1Cleaning } from '../cleaning/stage1-cleaning.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  prepareImageGeometry,
  type ImageGeometry,
  type ImageParameters,
  type ImageParametersWorkspace,
} from '../image/image-parameters.js';

export interface CameraReconstruction {
  /** 1 = pixel survives cleaning */
  mask: Uint8Array;
  /** camera-frame parameters (m, deg), or a status saying why there are none */
  parameters: ImageParameters;
}

export class CameraReconstructor {
  private readonly imageGeometry: ImageGeometry;
  private readonly tailcuts: TailcutsWorkspace;
  private readonly workspace: ImageParametersWorkspace;

  constructor(readonly geometry: CameraGeometry, readonly cleaning: TailcutsOptions = stage1Cleaning(geometry.name)) {
    this.imageGeometry = prepareImageGeometry(geometry, { frame: 'CameraFrame' });
    this.tailcuts = createTailcutsWorkspace(geometry.nPixels);
    this.workspace = createImageParametersWorkspace(geometry.nPixels);
  }

  reconstruct(image: Float32Array, peakTime: Float32Array | null): CameraReconstruction {
    const mask = new Uint8Array(this.geometry.nPixels);
    const n = tailcutsCleanInto(this.imageGeometry.neighbors, image, this.cleaning, mask, this.tailcuts);
    const parameters = computeImageParameters(this.imageGeometry, image, peakTime, this.tailcuts.selected, n, this.workspace);
    return { mask, parameters };
  }
}

const cache = new Map<string, CameraReconstructor>();

/** One reconstructor per camera name and thread. */
export function cameraReconstructor(geometry: CameraGeometry): CameraReconstructor {
  let r = cache.get(geometry.name);
  if (!r || r.geometry !== geometry) cache.set(geometry.name, (r = new CameraReconstructor(geometry)));
  return r;
}
