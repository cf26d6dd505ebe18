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

// the direction to a point of the sky and the angle between two directions: shared with the 2D array view
export { directionToSource as groundDirection, angularSeparationDeg } from '../array/shower-axis.js';

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
