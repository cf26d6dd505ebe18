/**
 * Camera geometries from the JSON files under assets/cameras
 * (iact-camera-geometry-json/1) and ctapipe's pixel-type names.
 */
import type { CameraGeometry, PixelShape } from '../containers/camera-geometry.js';

/** The JSON format of assets/cameras (iact-camera-geometry-json/1). */
export interface CameraGeometryJson {
  format: string;
  name: string;
  n_pixels: number;
  pix_type: string;
  pix_rotation_deg: number;
  cam_rotation_deg: number;
  focal_length: { equivalent_focal_length_m: number } | null;
  pix_id: number[];
  pix_x: number[];
  pix_y: number[];
  pix_area: number[];
}

/** Normalises a pixel-type string the way ctapipe's PixelShape.from_string does. */
export function pixelShapeFromString(s: string): PixelShape {
  const t = s.trim().toLowerCase();
  if (t.startsWith('hex')) return 'hexagon';
  if (t.startsWith('rect') || t.startsWith('square')) return 'square';
  throw new Error(`unknown pixel type "${s}" (expected hexagon/hexagonal or square/rectangular)`);
}

export function cameraGeometryFromJson(json: CameraGeometryJson): CameraGeometry {
  const n = json.n_pixels;
  for (const key of ['pix_id', 'pix_x', 'pix_y', 'pix_area'] as const) {
    if (!Array.isArray(json[key]) || json[key].length !== n) {
      throw new Error(`camera geometry ${json.name}: ${key} has ${json[key]?.length ?? 'no'} entries, expected n_pixels=${n}`);
    }
  }
  return {
    name: json.name,
    nPixels: n,
    pixId: Int32Array.from(json.pix_id),
    pixX: Float64Array.from(json.pix_x),
    pixY: Float64Array.from(json.pix_y),
    pixArea: Float64Array.from(json.pix_area),
    pixType: pixelShapeFromString(json.pix_type),
    pixRotation: json.pix_rotation_deg,
    camRotation: json.cam_rotation_deg,
    focalLength: json.focal_length?.equivalent_focal_length_m,
  };
}
