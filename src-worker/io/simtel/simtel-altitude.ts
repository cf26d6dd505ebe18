/** ctapipe's _clip_altitude_if_close: sim_telarray's float32(π/2) is slightly above π/2 in float64. */
const HALF_PI = 0.5 * Math.PI;
const HALF_PI_MAX = (1 + 1e-6) * HALF_PI;

export function clipAltitude(alt: number): number {
  if (alt > HALF_PI && alt < HALF_PI_MAX) return HALF_PI;
  if (alt < -HALF_PI && alt > -HALF_PI_MAX) return -HALF_PI;
  return alt;
}
