/**
 * From detector coordinates (cm, tank axis x, y or z) to the 3D scene (m, the
 * tank axis up = +y), by a proper rotation so the picture is never mirrored.
 * Pure.
 */
import type { TankAxis } from '../../src-worker/tank/tank-frame.js';

export const CM_TO_SCENE = 0.01;

export function sceneFromDetector(axis: TankAxis, x: number, y: number, z: number): [number, number, number] {
  const s = CM_TO_SCENE;
  if (axis === 'y') return [x * s, y * s, z * s];
  if (axis === 'z') return [x * s, z * s, -y * s];
  return [y * s, x * s, -z * s];
}

/** Typical PMT spacing, cm: the wall area shared by the PMTs. */
export function pmtSpacing(nPmts: number, radius: number, height: number): number {
  const area = 2 * Math.PI * radius * height + 2 * Math.PI * radius * radius;
  return Math.sqrt(area / Math.max(1, nPmts));
}
