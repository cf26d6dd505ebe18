/**
 * Geodetic (WGS84 longitude, latitude, height) → geocentric ITRS positions,
 * as astropy's EarthLocation.from_geodetic computes them (ERFA's eraGd2gce),
 * for the site ctapipe writes with a subarray (`reference_itrs_{x,y,z}`).
 */

/** WGS84, as ERFA's eraEform(ERFA_WGS84) gives it */
const WGS84_A = 6378137.0;
const WGS84_F = 1.0 / 298.257223563;

/**
 * `deg` wrapped as astropy's Angle.wrap_at(`wrapDeg`) does it, rounding
 * included: into [wrapDeg - 360, wrapDeg).
 */
function wrapAt(deg: number, wrapDeg: number): number {
  const floor = wrapDeg - 360;
  const wraps = Math.floor((deg - floor) / 360);
  if (!Number.isFinite(wraps) || wraps === 0) return deg;
  let out = deg - wraps * 360;
  if (out >= wrapDeg) out -= 360;
  if (out < floor) out += 360;
  return out;
}

/**
 * The geocentric (ITRS) position, m, of a geodetic WGS84 location, as
 * astropy's `EarthLocation.from_geodetic(lon, lat, height)` computes it, to
 * the last bit where the sines agree: the longitude wrapped at 180° and then,
 * as its Longitude is, into [0°, 360°); degrees times π/180; then ERFA's
 * eraGd2gce step by step.
 */
export function geodeticToItrs(lonDeg: number, latDeg: number, heightM: number): [number, number, number] {
  const elong = wrapAt(wrapAt(lonDeg, 180), 360) * (Math.PI / 180);
  const phi = latDeg * (Math.PI / 180);
  const sp = Math.sin(phi);
  const cp = Math.cos(phi);
  let w = 1.0 - WGS84_F;
  w = w * w;
  const d = cp * cp + w * sp * sp;
  const ac = WGS84_A / Math.sqrt(d);
  const as = w * ac;
  const r = (ac + heightM) * cp;
  return [r * Math.cos(elong), r * Math.sin(elong), (as + heightM) * sp];
}
