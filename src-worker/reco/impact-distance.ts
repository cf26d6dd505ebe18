import { DEG, type Vec3, altAzToRightHandedCartesian } from './coordinate-frames.js';

/**
 * ctapipe `shower_impact_distance`: distance (m) of each telescope's ground
 * position to the shower axis, the line through the ground core
 * (coreX, coreY, 0) along the direction (alt, az in deg). NaN when the
 * geometry is NaN (invalid reconstruction), as ctapipe stores it.
 */
export function showerImpactDistance(coreX: number, coreY: number, altDeg: number, azDeg: number, positions: readonly Vec3[]): Float64Array {
  const d = altAzToRightHandedCartesian(altDeg * DEG, azDeg * DEG);
  const dn = Math.hypot(d[0], d[1], d[2]);
  const out = new Float64Array(positions.length);
  positions.forEach((p, i) => {
    const vx = p[0] - coreX;
    const vy = p[1] - coreY;
    const vz = p[2];
    const cx = vy * d[2] - vz * d[1];
    const cy = vz * d[0] - vx * d[2];
    const cz = vx * d[1] - vy * d[0];
    out[i] = Math.hypot(cx, cy, cz) / dn;
  });
  return out;
}
