/**
 * The expected Cherenkov ring of a track: the cone of half-angle
 * θc = arccos(1 / (n β)) around the direction, from the vertex, intersected
 * with the tank cylinder (barrel and caps). Pure, cm.
 */
import { REGION_BARREL, REGION_BOTTOM, REGION_TOP, toAxial, type TankCylinder } from './tank-frame.js';

/** refractive index of water for Cherenkov light (~400 nm) */
export const WATER_REFRACTIVE_INDEX = 1.333;

/** Cherenkov angle, rad (β = 1: ~41.4° in water) */
export function cherenkovAngle(n = WATER_REFRACTIVE_INDEX, beta = 1): number {
  const c = 1 / (n * beta);
  return c >= 1 ? 0 : Math.acos(c);
}

/** Unit direction from WatChMaL's angles: polar = arccos(dir_y), azimuth = atan2(dir_z, dir_x). */
export function directionFromAngles(polar: number, azimuth: number): [number, number, number] {
  const s = Math.sin(polar);
  return [s * Math.cos(azimuth), Math.cos(polar), s * Math.sin(azimuth)];
}

/** Where a ray from inside the tank leaves it: distance and surface (null when it does not). */
export function rayExit(t: TankCylinder, origin: readonly number[], dir: readonly number[]): { distance: number; region: number } | null {
  const [h0, a0, b0] = toAxial(t.axis, origin[0], origin[1], origin[2]);
  const [dh, da, db] = toAxial(t.axis, dir[0], dir[1], dir[2]);
  let best = Infinity;
  let region = -1;
  // barrel: |(a0 + s da, b0 + s db)| = R
  const A = da * da + db * db;
  if (A > 1e-12) {
    const B = 2 * (a0 * da + b0 * db);
    const C = a0 * a0 + b0 * b0 - t.radius * t.radius;
    const disc = B * B - 4 * A * C;
    if (disc >= 0) {
      const s = (-B + Math.sqrt(disc)) / (2 * A);
      const h = h0 + s * dh;
      if (s > 0 && h <= t.hTop && h >= t.hBottom) {
        best = s;
        region = REGION_BARREL;
      }
    }
  }
  if (dh > 1e-12) {
    const s = (t.hTop - h0) / dh;
    if (s > 0 && s < best) {
      const a = a0 + s * da;
      const b = b0 + s * db;
      if (a * a + b * b <= t.radius * t.radius * 1.0001) {
        best = s;
        region = REGION_TOP;
      }
    }
  } else if (dh < -1e-12) {
    const s = (t.hBottom - h0) / dh;
    if (s > 0 && s < best) {
      const a = a0 + s * da;
      const b = b0 + s * db;
      if (a * a + b * b <= t.radius * t.radius * 1.0001) {
        best = s;
        region = REGION_BOTTOM;
      }
    }
  }
  return region < 0 ? null : { distance: best, region };
}

export interface RingPoints {
  /** points on the tank wall, x y z interleaved, cm (detector coordinates) */
  points: Float32Array;
  /** surface of each point: 0 barrel, 1 top, 2 bottom; 255 where the ray did not reach the wall */
  region: Uint8Array;
  /** axial coordinates (h, a, b) of each point, for the unrolled view */
  axial: Float32Array;
}

/** `steps` points of the cone's intersection with the tank, going once around the direction. */
export function cherenkovRing(t: TankCylinder, vertex: readonly number[], direction: readonly number[], halfAngle = cherenkovAngle(), steps = 240): RingPoints {
  const norm = Math.hypot(direction[0], direction[1], direction[2]) || 1;
  const d = [direction[0] / norm, direction[1] / norm, direction[2] / norm];
  // orthonormal e1, e2 ⟂ d
  const helper = Math.abs(d[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  let e1 = [d[1] * helper[2] - d[2] * helper[1], d[2] * helper[0] - d[0] * helper[2], d[0] * helper[1] - d[1] * helper[0]];
  const n1 = Math.hypot(e1[0], e1[1], e1[2]);
  e1 = e1.map((c) => c / n1);
  const e2 = [d[1] * e1[2] - d[2] * e1[1], d[2] * e1[0] - d[0] * e1[2], d[0] * e1[1] - d[1] * e1[0]];
  const c = Math.cos(halfAngle);
  const s = Math.sin(halfAngle);
  const points = new Float32Array(steps * 3);
  const axial = new Float32Array(steps * 3);
  const region = new Uint8Array(steps).fill(255);
  for (let k = 0; k < steps; k++) {
    const psi = (2 * Math.PI * k) / steps;
    const cp = Math.cos(psi) * s;
    const sp = Math.sin(psi) * s;
    const ray = [c * d[0] + cp * e1[0] + sp * e2[0], c * d[1] + cp * e1[1] + sp * e2[1], c * d[2] + cp * e1[2] + sp * e2[2]];
    const hit = rayExit(t, vertex, ray);
    if (!hit) {
      points[3 * k] = points[3 * k + 1] = points[3 * k + 2] = NaN;
      axial[3 * k] = axial[3 * k + 1] = axial[3 * k + 2] = NaN;
      continue;
    }
    const p = [vertex[0] + hit.distance * ray[0], vertex[1] + hit.distance * ray[1], vertex[2] + hit.distance * ray[2]];
    points.set(p, 3 * k);
    axial.set(toAxial(t.axis, p[0], p[1], p[2]), 3 * k);
    region[k] = hit.region;
  }
  return { points, region, axial };
}
