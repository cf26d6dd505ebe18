/**
 * Camera geometries as a DAQ announces them (the subarray frame's optional
 * `cameras`, already checked by its schema) ↔ Lightpool's CameraGeometry:
 * pixel ids 0..n-1 in the images' order, the pixel columns copied into
 * SharedArrayBuffers (a live task carries the subarray to a worker without
 * copying them), and a fingerprint of the pixels so prepared cameras are
 * keyed by what they are, not only by name.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import type { AnnouncedCameraGeometry } from '../containers/subarray.js';
import { pixelShapeFromString } from './camera-geometry-json.js';

/** The wire form (daq-protocol.md, "subarray"): ctapipe's CameraGeometry columns, m and deg. */
export interface CameraGeometryAnnouncement {
  pix_type: string;
  pix_rotation_deg: number;
  cam_rotation_deg: number;
  pix_x: number[];
  pix_y: number[];
  pix_area: number[];
}

function sharedFloat64(values: ArrayLike<number>): Float64Array {
  const a = new Float64Array(new SharedArrayBuffer(8 * values.length));
  a.set(values);
  return a;
}

/** FNV-1a over the bytes of the pixel columns and the shape, as hex */
function fingerprintOf(g: CameraGeometry): string {
  let h = 0x811c9dc5;
  const mix = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  };
  for (const a of [g.pixX, g.pixY, g.pixArea]) mix(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const tail = `${g.pixType}|${g.pixRotation}|${g.camRotation}`;
  mix(Uint8Array.from(tail, (c) => c.charCodeAt(0) & 0xff));
  return `${g.nPixels}:${(h >>> 0).toString(16)}`;
}

/** The announced geometry of camera `name` (throws on a pixel type ctapipe does not know; the schema already refused the rest). */
export function fromAnnouncement(name: string, a: CameraGeometryAnnouncement): AnnouncedCameraGeometry {
  const n = a.pix_x.length;
  if (a.pix_y.length !== n || a.pix_area.length !== n) throw new Error(`camera ${name}: pix_x, pix_y and pix_area differ in length`);
  let pixType;
  try {
    pixType = pixelShapeFromString(a.pix_type);
  } catch (e) {
    throw new Error(`camera ${name}: ${(e as Error).message}`);
  }
  const pixId = new Int32Array(new SharedArrayBuffer(4 * n));
  for (let i = 0; i < n; i++) pixId[i] = i;
  const g: CameraGeometry = {
    name,
    nPixels: n,
    pixId,
    pixX: sharedFloat64(a.pix_x),
    pixY: sharedFloat64(a.pix_y),
    pixArea: sharedFloat64(a.pix_area),
    pixType,
    pixRotation: a.pix_rotation_deg,
    camRotation: a.cam_rotation_deg,
  };
  return { ...g, fingerprint: fingerprintOf(g) };
}

/** Every announced geometry of a subarray frame, or undefined when it announces none. */
export function announcedGeometries(cameras: Record<string, CameraGeometryAnnouncement> | undefined): Record<string, AnnouncedCameraGeometry> | undefined {
  if (!cameras || Object.keys(cameras).length === 0) return undefined;
  const out: Record<string, AnnouncedCameraGeometry> = {};
  for (const [name, a] of Object.entries(cameras)) out[name] = fromAnnouncement(name, a);
  return out;
}

/** The wire form of `g`, pixels in its order (the images'). */
export function toAnnouncement(g: CameraGeometry): CameraGeometryAnnouncement {
  return {
    pix_type: g.pixType,
    pix_rotation_deg: g.pixRotation,
    cam_rotation_deg: g.camRotation,
    pix_x: Array.from(g.pixX),
    pix_y: Array.from(g.pixY),
    pix_area: Array.from(g.pixArea),
  };
}
