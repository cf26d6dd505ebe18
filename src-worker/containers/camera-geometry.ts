/**
 * The camera geometry model, with ctapipe's names and units
 * (ctapipe.instrument.CameraGeometry): pixel positions in metres in the
 * CameraFrame, areas in m², rotations in degrees.
 */
export type PixelShape = 'hexagon' | 'square';

export interface CameraGeometry {
  /** camera name, e.g. "LSTCam" */
  name: string;
  nPixels: number;
  pixId: Int32Array;
  /** pixel centre x in the camera frame, m */
  pixX: Float64Array;
  /** pixel centre y in the camera frame, m */
  pixY: Float64Array;
  /** pixel area, m² */
  pixArea: Float64Array;
  pixType: PixelShape;
  /** rotation of every pixel polygon, deg */
  pixRotation: number;
  /** rotation of the whole camera, deg */
  camRotation: number;
  /** equivalent focal length when known, m (to convert to the telescope frame) */
  focalLength?: number;
  /** effective focal length when known, m (ctapipe >= 0.19 uses it for the telescope frame) */
  effectiveFocalLength?: number;
}
