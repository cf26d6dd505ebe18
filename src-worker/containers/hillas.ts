/**
 * Hillas ellipses as the views and the stereo reconstruction use them (the
 * full set of Hillas parameters is `HillasParameters` in image-parameters.ts).
 */

/** A Hillas ellipse in the camera frame: x, y, length, width in m; psi in deg, (-90, 90]; intensity in p.e. */
export interface HillasEllipse {
  intensity: number;
  x: number;
  y: number;
  length: number;
  width: number;
  psi: number;
}

/** A Hillas ellipse in the telescope frame (ctapipe's hillas_fov_lon/lat...): deg; intensity in p.e. */
export interface TelescopeFrameHillas {
  intensity: number;
  fovLon: number;
  fovLat: number;
  length: number;
  width: number;
  /** deg, (-90, 90] */
  psi: number;
}
