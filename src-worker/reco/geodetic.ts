/**
 * Geodetic height of an ITRS (geocentric, m) position on the WGS84 ellipsoid,
 * as astropy's `EarthLocation.geodetic.height` (ERFA gc2gd, WGS84) gives it.
 * ctapipe adds the subarray reference location's height to h_max; the DL1
 * layout table stores that location as `reference_itrs_{x,y,z}` attributes.
 */

const WGS84_A = 6378137.0;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);

/** [latitude rad, height m] of a geocentric point on WGS84. */
export function itrsToGeodetic(x: number, y: number, z: number): { lat: number; lon: number; height: number } {
  const p = Math.hypot(x, y);
  const lon = Math.atan2(y, x);
  // Fixed-point iteration on the latitude; converges to float64 precision in a
  // few steps for any point outside the Earth's core.
  let lat = Math.atan2(z, p * (1 - WGS84_E2));
  let height = 0;
  for (let i = 0; i < 20; i++) {
    const s = Math.sin(lat);
    const nRadius = WGS84_A / Math.sqrt(1 - WGS84_E2 * s * s);
    // height from whichever of cos/sin is better conditioned
    height = Math.abs(lat) < Math.PI / 4 ? p / Math.cos(lat) - nRadius : z / s - nRadius * (1 - WGS84_E2);
    const next = Math.atan2(z, p * (1 - (WGS84_E2 * nRadius) / (nRadius + height)));
    if (next === lat) break;
    lat = next;
  }
  return { lat, lon, height };
}
