/**
 * A camera as ctapipe 0.26's SimTelEventSource builds it from sim_telarray's
 * camera settings, pixel settings and camera organisation (build_camera):
 *
 * - geometry: pixel positions (m) and areas (m²) from the camera settings,
 *   the shape of pixel 0 (0 circle, 1 hexagon, 2 square, 3 hexagon rotated by
 *   30°; unknown: hexagon, as ctapipe warns and does), and the camera
 *   rotation `cam_rot` undone the way CameraGeometry(apply_derotation=True)
 *   does: positions rotated by cam_rot, pixel rotation = shape rotation +
 *   cam_rot, camera rotation 0;
 * - neighbours: Lightpool's ctapipe-equivalent k-NN rule (circle pixels like
 *   hexagons, as ctapipe assumes they lie on a hexagonal grid);
 * - readout: sampling rate 1 / time_slice (GHz), reference pulse shapes per
 *   gain and their sample width (ns), channels, pixels and samples.
 */
import type { CameraGeometry, PixelShape } from '../../containers/camera-geometry.js';
import { computePixelNeighbors, type PixelNeighbors } from '../../instrument/neighbors.js';
import type { CameraOrganization, CameraSettings, PixelSettings } from './objects/camera-objects.js';

/** sim_telarray's pixel shape codes: shape and pixel rotation in deg (ctapipe's SIMTEL_PIXEL_SHAPES). */
export const SIMTEL_PIXEL_SHAPES: Record<number, { shape: 'circle' | 'hexagon' | 'square'; rotationDeg: number }> = {
  0: { shape: 'circle', rotationDeg: 0 },
  1: { shape: 'hexagon', rotationDeg: 0 },
  2: { shape: 'square', rotationDeg: 0 },
  3: { shape: 'hexagon', rotationDeg: 30 },
};

export interface CameraReadout {
  name: string;
  /** GHz */
  samplingRate: number;
  /** one shape per gain channel, each `referencePulseShape[g].length` samples */
  referencePulseShape: Float64Array[];
  /** ns between the reference pulse shape's samples */
  referencePulseSampleWidth: number;
  nChannels: number;
  nPixels: number;
  nSamples: number;
}

export interface SimtelCamera {
  name: string;
  /** Lightpool's geometry (camera frame, m; derotated as ctapipe does) */
  geometry: CameraGeometry;
  /** the shape sim_telarray gives ('circle' is drawn and neighboured like 'hexagon') */
  pixelShape: 'circle' | 'hexagon' | 'square';
  /** sim_telarray's shape code of pixel 0, -1 when the file has none */
  simtelPixelShape: number;
  /** the pixel neighbours ctapipe's CameraGeometry.neighbors gives (computed on first use, then kept; shared by identical cameras) */
  readonly neighbors: PixelNeighbors;
  readout: CameraReadout;
}

export interface BuildCameraInput {
  cameraName: string;
  cameraSettings: CameraSettings;
  pixelSettings: PixelSettings;
  cameraOrganization: CameraOrganization;
  /** equivalent focal length, m */
  equivalentFocalLength: number;
  /** effective focal length, m (NaN when the file has none) */
  effectiveFocalLength: number;
}

const RAD2DEG = 180 / Math.PI;

/** Rotates pixel positions by `camRot` (rad) as ctapipe's CameraGeometry.rotate(-cam_rot) does. */
export function derotatePixels(x: Float32Array, y: Float32Array, camRot: number): { x: Float64Array; y: Float64Array } {
  // rotate(angle) multiplies by rotation_matrix_2d(angle).T with angle = -cam_rot:
  // x' = cos(psi) x + sin(psi) y, y' = -sin(psi) x + cos(psi) y, psi = -cam_rot
  const psi = -camRot;
  const c = Math.cos(psi);
  const s = Math.sin(psi);
  const n = x.length;
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ox[i] = c * x[i] + s * y[i];
    oy[i] = -s * x[i] + c * y[i];
  }
  return { x: ox, y: oy };
}

export function buildSimtelCamera(input: BuildCameraInput, neighborCache?: Map<string, PixelNeighbors>): SimtelCamera {
  const cs = input.cameraSettings;
  const code = cs.pixelShape.length ? cs.pixelShape[0] : -1;
  const known = SIMTEL_PIXEL_SHAPES[code];
  const shape = known ? known.shape : 'hexagon';
  const shapeRotation = known ? known.rotationDeg : 0;
  const { x, y } = derotatePixels(cs.pixelX, cs.pixelY, cs.camRot);
  const pixType: PixelShape = shape === 'square' ? 'square' : 'hexagon';
  const n = cs.nPixels;
  const pixId = new Int32Array(n);
  for (let i = 0; i < n; i++) pixId[i] = i;
  const geometry: CameraGeometry = {
    name: input.cameraName,
    nPixels: n,
    pixId,
    pixX: x,
    pixY: y,
    pixArea: Float64Array.from(cs.pixelArea),
    pixType,
    // Angle arithmetic: shape rotation (deg) - (-cam_rot rad), expressed in deg
    pixRotation: shapeRotation + cs.camRot * RAD2DEG,
    camRotation: 0,
    focalLength: input.equivalentFocalLength,
  };
  if (Number.isFinite(input.effectiveFocalLength)) geometry.effectiveFocalLength = input.effectiveFocalLength;
  const key = `${input.cameraName}|${n}|${pixType}|${hashPositions(x, y)}`;
  const neighbors = (): PixelNeighbors => {
    let nb = neighborCache?.get(key) ?? sharedNeighbors(key, x, y);
    if (!nb) {
      nb = computePixelNeighbors(x, y, pixType);
      shareNeighbors(key, x, y, nb);
    }
    neighborCache?.set(key, nb);
    return nb;
  };
  const ps = input.pixelSettings;
  const nRef = ps.nRefShape ?? 0;
  const lRef = ps.lRefShape ?? 0;
  const referencePulseShape: Float64Array[] = [];
  for (let g = 0; g < nRef; g++) referencePulseShape.push((ps.refShape as Float64Array).slice(g * lRef, (g + 1) * lRef));
  const readout: CameraReadout = {
    name: input.cameraName,
    samplingRate: ps.timeSlice !== undefined ? 1 / ps.timeSlice : NaN,
    referencePulseShape,
    referencePulseSampleWidth: ps.refStep ?? NaN,
    nChannels: input.cameraOrganization.nGains,
    nPixels: input.cameraOrganization.nPixels,
    nSamples: ps.sumBins ?? 0,
  };
  const camera = { name: input.cameraName, geometry, pixelShape: shape, simtelPixelShape: code, readout } as Omit<SimtelCamera, 'neighbors'>;
  // a lazy, enumerable getter: structuredClone and postMessage read it like a plain value
  let memo: PixelNeighbors | null = null;
  Object.defineProperty(camera, 'neighbors', { enumerable: true, get: () => (memo ??= neighbors()) });
  return camera as SimtelCamera;
}

/**
 * Neighbours of the cameras seen lately in this thread, across files (a
 * production's files share their cameras, and the k-NN search is the
 * largest part of opening a small file): found by name, pixels, shape and
 * a hash of the positions, and used only when the positions are equal.
 */
const SHARED_NEIGHBORS = new Map<string, { x: Float64Array; y: Float64Array; neighbors: PixelNeighbors }>();
const SHARED_NEIGHBORS_MAX = 16;

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sharedNeighbors(key: string, x: Float64Array, y: Float64Array): PixelNeighbors | undefined {
  const e = SHARED_NEIGHBORS.get(key);
  return e && sameArray(e.x, x) && sameArray(e.y, y) ? e.neighbors : undefined;
}

function shareNeighbors(key: string, x: Float64Array, y: Float64Array, neighbors: PixelNeighbors): void {
  SHARED_NEIGHBORS.delete(key);
  SHARED_NEIGHBORS.set(key, { x, y, neighbors });
  while (SHARED_NEIGHBORS.size > SHARED_NEIGHBORS_MAX) SHARED_NEIGHBORS.delete(SHARED_NEIGHBORS.keys().next().value as string);
}

function hashPositions(x: Float64Array, y: Float64Array): string {
  let h = 2166136261;
  const b = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const c = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619);
  for (let i = 0; i < c.length; i++) h = Math.imul(h ^ c[i], 16777619);
  return (h >>> 0).toString(16);
}
