/**
 * The array as Lightpool carries it between threads, the API and files
 * (ctapipe.instrument's TelescopeDescription / SubarrayDescription, reduced
 * to what the views and the live pipeline need; positions in the ctapipe
 * GroundFrame: x north, y west, z up).
 */
export interface TelescopeDescription {
  telId: number;
  /** ctapipe's telescope type string, e.g. "LST_LST_LSTCam" */
  type: string;
  /** camera name, e.g. "LSTCam" */
  camera: string;
  /** equivalent focal length, m */
  focalLength: number;
  /** position on the ground, m */
  position: [number, number, number];
}

export interface SubarrayDescription {
  name: string;
  /** array pointing, deg */
  pointing: { alt: number; az: number };
  telescopes: TelescopeDescription[];
}
