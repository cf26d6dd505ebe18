/**
 * The few ctapipe coordinate frames the stereo reconstruction needs, as plain
 * float64 arithmetic (ctapipe.coordinates, which builds on astropy):
 *
 * - AltAz: astropy's horizontal frame, azimuth measured from north towards
 *   east. Its cartesian form (astropy convention) is
 *   (cos alt cos az, cos alt sin az, sin alt), a *left-handed* system.
 * - TelescopeFrame: astropy SkyOffsetFrame centred on the telescope pointing;
 *   (fov_lon, fov_lat) are longitude/latitude in the rotated sphere, fov_lon
 *   aligned with azimuth and fov_lat with altitude.
 *   AltAz → TelescopeFrame is the passive rotation R_y(-alt_p) · R_z(az_p).
 * - CameraFrame (equidistant mapping): x = fov_lat · f, y = fov_lon · f.
 * - GroundFrame: x north, y west, z up, metres; the right-handed direction of
 *   an AltAz coordinate is (cos alt cos az, -cos alt sin az, sin alt)
 *   (ctapipe.coordinates.altaz_to_righthanded_cartesian).
 * - TiltedGroundFrame: the ground frame rotated so that z is along a pointing
 *   direction (ctapipe's _get_shower_trans_matrix, from read_hess).
 *
 * All angles in radians unless a name says `Deg`.
 */

export type Vec3 = [number, number, number];

export const DEG = Math.PI / 180;

/** astropy `rotation_matrix(angle, 'y')` (passive rotation about y). */
function applyRy(angle: number, v: Vec3): Vec3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * v[0] - s * v[2], v[1], s * v[0] + c * v[2]];
}

/** Transpose of astropy `rotation_matrix(angle, 'y')`. */
function applyRyT(angle: number, v: Vec3): Vec3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * v[0] + s * v[2], v[1], -s * v[0] + c * v[2]];
}

/** astropy `rotation_matrix(angle, 'z')` (passive rotation about z). */
function applyRz(angle: number, v: Vec3): Vec3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * v[0] + s * v[1], -s * v[0] + c * v[1], v[2]];
}

/** Transpose of astropy `rotation_matrix(angle, 'z')`. */
function applyRzT(angle: number, v: Vec3): Vec3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]];
}

/** Unit vector of a (lon, lat) spherical coordinate, rad. */
export function sphericalToCartesian(lon: number, lat: number): Vec3 {
  const cl = Math.cos(lat);
  return [cl * Math.cos(lon), cl * Math.sin(lon), Math.sin(lat)];
}

/**
 * TelescopeFrame (fov_lon, fov_lat, rad) of a telescope pointing at
 * (pointingAlt, pointingAz, rad) → AltAz, as an astropy AltAz cartesian
 * unit vector (left-handed: y towards east).
 */
export function telescopeToAltAzCartesian(fovLon: number, fovLat: number, pointingAlt: number, pointingAz: number): Vec3 {
  // (R_y(-alt) R_z(az))^T = R_z(az)^T R_y(-alt)^T
  return applyRzT(pointingAz, applyRyT(-pointingAlt, sphericalToCartesian(fovLon, fovLat)));
}

/**
 * AltAz cartesian unit vector (astropy, left-handed) → TelescopeFrame of a
 * pointing (rad); returns [fov_lon, fov_lat] in rad, fov_lon in (-π, π].
 */
export function altAzCartesianToTelescope(v: Vec3, pointingAlt: number, pointingAz: number): [number, number] {
  const t = applyRy(-pointingAlt, applyRz(pointingAz, v));
  const lon = Math.atan2(t[1], t[0]);
  const lat = Math.atan2(t[2], Math.hypot(t[0], t[1]));
  return [lon, lat];
}

/** astropy AltAz cartesian (y east) → ctapipe's right-handed direction (y west). */
export function altAzCartesianToRightHanded(v: Vec3): Vec3 {
  return [v[0], -v[1], v[2]];
}

/** ctapipe altaz_to_righthanded_cartesian(alt, az), rad. */
export function altAzToRightHandedCartesian(alt: number, az: number): Vec3 {
  return sphericalToCartesian(-az, alt);
}

/**
 * ctapipe `_get_shower_trans_matrix(azimuth, altitude)`: GroundFrame →
 * TiltedGroundFrame rotation (row-major 3×3); its transpose is the inverse.
 */
export function tiltedFrameMatrix(pointingAlt: number, pointingAz: number): number[][] {
  const cosZ = Math.sin(pointingAlt);
  const sinZ = Math.cos(pointingAlt);
  const cosAz = Math.cos(pointingAz);
  const sinAz = Math.sin(pointingAz);
  return [
    [cosZ * cosAz, -cosZ * sinAz, -sinZ],
    [sinAz, cosAz, 0],
    [sinZ * cosAz, -sinZ * sinAz, cosZ],
  ];
}

/** GroundFrame point (m) → TiltedGroundFrame point (m) for a pointing (rad). */
export function groundToTilted(p: Vec3, pointingAlt: number, pointingAz: number): Vec3 {
  const m = tiltedFrameMatrix(pointingAlt, pointingAz);
  return [m[0][0] * p[0] + m[0][1] * p[1] + m[0][2] * p[2], m[1][0] * p[0] + m[1][1] * p[1] + m[1][2] * p[2], m[2][0] * p[0] + m[2][1] * p[1] + m[2][2] * p[2]];
}

/**
 * ctapipe `project_to_ground`: a TiltedGroundFrame point (m) is rotated back to
 * the GroundFrame and slid along the tilted frame's z axis onto z = 0.
 * Returns the ground [x, y] in m.
 */
export function projectTiltedToGround(t: Vec3, pointingAlt: number, pointingAz: number): [number, number] {
  const m = tiltedFrameMatrix(pointingAlt, pointingAz);
  // inverse = transpose
  const gx = m[0][0] * t[0] + m[1][0] * t[1] + m[2][0] * t[2];
  const gy = m[0][1] * t[0] + m[1][1] * t[1] + m[2][1] * t[2];
  const gz = m[0][2] * t[0] + m[1][2] * t[1] + m[2][2] * t[2];
  return [gx - (m[2][0] * gz) / m[2][2], gy - (m[2][1] * gz) / m[2][2]];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function norm(a: Vec3): number {
  return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}
