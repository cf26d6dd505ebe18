/**
 * The PMT geometry of a water-Cherenkov detector (WatChMaL's tables), as readers,
 * the API and the views share it (../io/watchmal/pmt-geometry.ts loads the shipped ones).
 */

export interface PmtGeometryEntry {
  name: string;
  file: string;
  description: string;
  nPmts: number;
  /** the tank's cylinder axis */
  axis: 'x' | 'y' | 'z';
  hints: string[];
}

export interface PmtGeometry {
  name: string;
  description: string;
  nPmts: number;
  axis: 'x' | 'y' | 'z';
  /** WCSim tube number (= pmt index + 1) */
  tubeNo: Int32Array;
  /** PMT position, cm */
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  /** facing direction (unit vector into the tank) */
  dirX: Float32Array;
  dirY: Float32Array;
  dirZ: Float32Array;
  /** 0 barrel, 1 top cap, 2 bottom cap */
  region: Uint8Array;
  /** multi-PMT module of each PMT (IWCD), when known */
  mpmtId?: Int32Array;
  /** 40×40 mPMT image row/column of each PMT's module (IWCD), when known */
  mpmtImageRow?: Int16Array;
  mpmtImageCol?: Int16Array;
}

export interface GeometryChoice {
  name: string;
  nPmts: number;
  reason: string;
}
