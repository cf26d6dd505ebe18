/**
 * Geometry of the array view, pure: ctapipe's GroundFrame (m; x north,
 * y west, z up) to the scene (y up, north away from a viewer standing south,
 * east to the right) by a proper rotation; the direction to a point of the
 * sky from AltAz (az from north towards east); the angle between two
 * directions; telescope marker sizes from the focal length.
 */

export function sceneFromGround(x: number, y: number, z: number): [number, number, number] {
  return [-y, z, -x];
}

/** Unit vector in the GroundFrame pointing to (alt, az), degrees. */
export function groundDirection(altDeg: number, azDeg: number): [number, number, number] {
  const alt = (altDeg * Math.PI) / 180; const az = (azDeg * Math.PI) / 180;
  return [Math.cos(alt) * Math.cos(az), -Math.cos(alt) * Math.sin(az), Math.sin(alt)];
}

/** Angular distance between two AltAz directions, degrees. */
export function angularSeparationDeg(alt1: number, az1: number, alt2: number, az2: number): number {
  const a = groundDirection(alt1, az1); const b = groundDirection(alt2, az2);
  const dot = Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));
  // atan2 form: accurate for small angles
  const cx = a[1] * b[2] - a[2] * b[1]; const cy = a[2] * b[0] - a[0] * b[2]; const cz = a[0] * b[1] - a[1] * b[0];
  return (Math.atan2(Math.hypot(cx, cy, cz), dot) * 180) / Math.PI;
}

/** Marker radius, m: larger mirrors (longer focal lengths) get larger markers. */
export function telescopeRadius(focalLengthM: number): number {
  return Math.max(2, Math.min(12, 0.42 * focalLengthM));
}

/** Half-width of the ground to show, m: the telescopes' extent with a margin, and the cores. */
export function groundExtent(positions: [number, number, number][], cores: [number, number][] = []): number {
  let e = 50;
  for (const p of positions) e = Math.max(e, Math.abs(p[0]), Math.abs(p[1]));
  for (const c of cores) if (Number.isFinite(c[0]) && Number.isFinite(c[1])) e = Math.max(e, Math.abs(c[0]), Math.abs(c[1]));
  return e * 1.3;
}
