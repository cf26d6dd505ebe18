/** Instrument descriptions as they travel over the API (ctapipe names and units). */
export interface CameraGeometryWire {
  name: string;
  nPixels: number;
  pixId: Int32Array;
  /** m */
  pixX: Float64Array;
  /** m */
  pixY: Float64Array;
  /** m² */
  pixArea: Float64Array;
  pixType: 'hexagon' | 'square';
  /** deg */
  pixRotation: number;
  /** deg */
  camRotation: number;
  /** m, when known */
  focalLength?: number;
}

export interface TelescopeDescription {
  telId: number;
  /** e.g. "LST_LST_LSTCam" */
  type: string;
  camera: string;
  /** equivalent focal length, m */
  focalLength: number;
  /** position on the ground (ctapipe GroundFrame), m */
  position: [number, number, number];
}

export interface SubarrayDescription {
  name: string;
  telescopes: TelescopeDescription[];
  /** array pointing, deg */
  pointing: { alt: number; az: number };
}
