/**
 * Camera geometry converted from the CameraFrame (m in the focal plane) to
 * the TelescopeFrame (deg on the sky), as ctapipe 0.26
 * `CameraGeometry.transform_to(TelescopeFrame())` does it:
 *
 *     fov_lon = y / focal_length  (rad → deg),   fov_lat = x / focal_length  (rad → deg)
 *
 * (equidistant mapping, CameraFrame rotation 0). The new geometry's pix_x is
 * fov_lon and pix_y is fov_lat, so the axes swap: the frame is mirrored, psi
 * and the sign of the skewness and timing slope change with respect to the
 * camera frame. Pixel areas are scaled by the squared deg-per-m factor
 * that ctapipe measures on the first pixel's width; the longitude goes
 * through astropy's wrap to [0°, 360°) and back to [-180°, 180°) like in
 * ctapipe (a rounding-level detail, kept for fidelity).
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { pixelWidthFromArea } from './pixel-width.js';
import type { HillasEllipse } from '../containers/hillas.js';
import type { TelescopeFrameHillas } from '../containers/hillas.js';

const DEG_PER_RAD = 180 / Math.PI;
/** astropy: u.degree.to(u.rad, 360.0) */
const A360_RAD = 360 * (Math.PI / 180);

export type TelescopeFrameGeometry = CameraGeometry & {
  /** the frame of pixX/pixY: pixX = fov_lon, pixY = fov_lat in deg, pixArea in deg² */
  frame: 'TelescopeFrame';
  /** focal length used for the conversion, m */
  focalLengthUsed: number;
};

/** astropy Longitude created with wrap 360° then re-wrapped at 180° (TelescopeFrame). */
function longitudeRad(v: number): number {
  if (v < 0) return v + A360_RAD - A360_RAD;
  return v;
}

export function cameraToTelescopeFrame(geom: CameraGeometry, focalLength?: number): TelescopeFrameGeometry {
  const f = focalLength ?? geom.focalLength;
  if (!(typeof f === 'number' && f > 0 && Number.isFinite(f))) {
    throw new Error(`camera ${geom.name}: a positive focal length (m) is needed to convert to the telescope frame, got ${String(f)}`);
  }
  const n = geom.nPixels;
  let x = geom.pixX;
  let y = geom.pixY;
  let pixRotation = geom.pixRotation;
  let camRotation = geom.camRotation;
  if (camRotation !== 0) {
    // ctapipe derotates first: rotated = R(angle)ᵀ · (x, y)
    const a = (camRotation * Math.PI) / 180;
    const c = Math.cos(a),
      s = Math.sin(a);
    const rx = new Float64Array(n),
      ry = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rx[i] = c * x[i] + s * y[i];
      ry[i] = -s * x[i] + c * y[i];
    }
    x = rx;
    y = ry;
    pixRotation -= camRotation;
    camRotation = 0;
  }
  const fovLon = new Float64Array(n);
  const fovLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    fovLon[i] = longitudeRad(y[i] / f) * DEG_PER_RAD;
    fovLat[i] = (x[i] / f) * DEG_PER_RAD;
  }
  // scale of areas, measured like ctapipe on two points one pixel width away
  const w = pixelWidthFromArea(geom.pixArea[0], geom.pixType);
  const wDeg = (w / f) * DEG_PER_RAD;
  const before = Math.sqrt(w * w + w * w);
  const after = Math.sqrt(wDeg * wDeg + wDeg * wDeg);
  const scale = after / before;
  const scale2 = scale * scale;
  const area = new Float64Array(n);
  for (let i = 0; i < n; i++) area[i] = geom.pixArea[i] * scale2;
  return {
    ...geom,
    pixX: fovLon,
    pixY: fovLat,
    pixArea: area,
    // the swap of axes mirrors the frame: rotation angles as ctapipe gives them
    pixRotation: 90 - pixRotation,
    camRotation: -camRotation,
    frame: 'TelescopeFrame',
    focalLengthUsed: f,
  };
}

/** Hillas parameters of the telescope frame converted to the camera frame, and the timing slope with them. */
export interface CameraFrameHillas {
  hillas: HillasEllipse;
  /** ns/m along the camera-frame major axis (direction psi), when stored */
  timingSlope?: number;
}

/**
 * The inverse of ctapipe's CameraFrame → TelescopeFrame conversion
 * (cameraToTelescopeFrame above): fov_lon = y/f, fov_lat = x/f
 * (rad) after undoing the camera rotation. Lengths scale by f·(π/180); the
 * axis direction (cos ψ, sin ψ) in (lon, lat) is (sin ψ, cos ψ) in (x, y),
 * so ψ_cam = 90° − ψ_tel (+ camera rotation), brought back to (−90°, 90°]
 * like ctapipe's Hillas ψ; when that flips the axis the timing slope (and
 * skewness) change sign with it.
 */
export function telescopeToCameraHillas(p: TelescopeFrameHillas & { timingSlope?: number }, focalLength: number, camRotationDeg = 0): CameraFrameHillas {
  const mPerDeg = focalLength / DEG_PER_RAD;
  const xd = p.fovLat * mPerDeg;
  const yd = p.fovLon * mPerDeg;
  const a = camRotationDeg / DEG_PER_RAD;
  const c = Math.cos(a),
    s = Math.sin(a);
  // ctapipe derotated by Rᵀ(a); rotate back by R(a)
  const x = c * xd - s * yd;
  const y = s * xd + c * yd;
  let psi = 90 - p.psi + camRotationDeg;
  let sign = 1;
  while (psi > 90) {
    psi -= 180;
    sign = -sign;
  }
  while (psi <= -90) {
    psi += 180;
    sign = -sign;
  }
  const out: CameraFrameHillas = {
    hillas: { intensity: p.intensity, x, y, length: p.length * mPerDeg, width: p.width * mPerDeg, psi },
  };
  // slope: ns/deg along the axis → ns/m
  if (p.timingSlope !== undefined && Number.isFinite(p.timingSlope)) out.timingSlope = (sign * p.timingSlope) / mPerDeg;
  return out;
}
