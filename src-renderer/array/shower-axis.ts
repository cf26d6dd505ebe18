/**
 * Shower-axis geometry for the array views, in ctapipe's GroundFrame
 * (x north, y west, z up, m) and AltAz (alt, az in deg, az from north towards
 * east). Pure functions: no DOM.
 */

const DEG = Math.PI / 180;

/** Unit vector from the ground towards the source at (alt, az), GroundFrame. */
export function directionToSource(altDeg: number, azDeg: number): [number, number, number] {
  const alt = altDeg * DEG;
  const az = azDeg * DEG;
  return [Math.cos(alt) * Math.cos(az), -Math.cos(alt) * Math.sin(az), Math.sin(alt)];
}

/**
 * The point of the shower axis at height `heightM` above the core: the axis
 * through (coreX, coreY, 0) towards the source. Returns the ground-frame point.
 */
export function axisPointAtHeight(coreX: number, coreY: number, altDeg: number, azDeg: number, heightM: number): [number, number, number] {
  const [dx, dy, dz] = directionToSource(altDeg, azDeg);
  if (dz <= 1e-9) return [coreX, coreY, 0];
  const s = heightM / dz;
  return [coreX + s * dx, coreY + s * dy, heightM];
}

/** Great-circle angle between two (alt, az) directions, deg. */
export function angularSeparationDeg(alt1: number, az1: number, alt2: number, az2: number): number {
  const a = directionToSource(alt1, az1);
  const b = directionToSource(alt2, az2);
  // atan2 of |a×b| and a·b stays accurate for tiny angles
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.hypot(cx, cy, cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / DEG;
}
