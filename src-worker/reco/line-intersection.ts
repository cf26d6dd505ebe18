import type { Vec3 } from './coordinate-frames.js';

/**
 * Least-squares intersection of many 3D lines (ctapipe
 * `line_line_intersection_3d`): the point minimising the summed squared
 * distances to lines through `origins[i]` along `directions[i]`.
 *
 * With P_i = n_i n_iᵀ − I it solves (Σ P_i) x = Σ P_i o_i. The directions are
 * used as given (ctapipe does not normalise them either; pass unit vectors).
 * Returns NaNs when the system is singular (e.g. all lines parallel).
 */
export function lineLineIntersection3d(directions: readonly Vec3[], origins: readonly Vec3[]): Vec3 {
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s11 = 0,
    s12 = 0,
    s22 = 0;
  let c0 = 0,
    c1 = 0,
    c2 = 0;
  for (let i = 0; i < directions.length; i++) {
    const [nx, ny, nz] = directions[i];
    const [ox, oy, oz] = origins[i];
    const p00 = nx * nx - 1,
      p01 = nx * ny,
      p02 = nx * nz;
    const p11 = ny * ny - 1,
      p12 = ny * nz,
      p22 = nz * nz - 1;
    s00 += p00;
    s01 += p01;
    s02 += p02;
    s11 += p11;
    s12 += p12;
    s22 += p22;
    c0 += p00 * ox + p01 * oy + p02 * oz;
    c1 += p01 * ox + p11 * oy + p12 * oz;
    c2 += p02 * ox + p12 * oy + p22 * oz;
  }
  return solveSymmetric3(s00, s01, s02, s11, s12, s22, c0, c1, c2);
}

/** Solves the symmetric 3×3 system S x = c by the adjugate (S⁻¹ c, as ctapipe does with inv). */
function solveSymmetric3(a: number, b: number, c: number, d: number, e: number, f: number, r0: number, r1: number, r2: number): Vec3 {
  // S = [[a, b, c], [b, d, e], [c, e, f]]
  const A = d * f - e * e;
  const B = c * e - b * f;
  const C = b * e - c * d;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) return [NaN, NaN, NaN];
  const D = a * f - c * c;
  const E = b * c - a * e;
  const F = a * d - b * b;
  const inv = 1 / det;
  return [(A * r0 + B * r1 + C * r2) * inv, (B * r0 + D * r1 + E * r2) * inv, (C * r0 + E * r1 + F * r2) * inv];
}
