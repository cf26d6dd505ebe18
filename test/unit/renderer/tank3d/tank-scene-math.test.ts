/** Detector → scene: the tank axis becomes +y by a rotation (never a mirror), for tanks along x, y or z. */
import { describe, expect, it } from 'vitest';
import { sceneFromDetector } from '../../../../src-renderer/tank3d/tank-scene-math.js';

describe('sceneFromDetector', () => {
  for (const axis of ['x', 'y', 'z'] as const) {
    it(`axis ${axis}: up is the tank axis and the map is a proper rotation`, () => {
      const e = [sceneFromDetector(axis, 100, 0, 0), sceneFromDetector(axis, 0, 100, 0), sceneFromDetector(axis, 0, 0, 100)];
      const up = { x: 0, y: 1, z: 2 }[axis];
      expect(e[up][1]).toBeCloseTo(1, 12);
      const det =
        e[0][0] * (e[1][1] * e[2][2] - e[1][2] * e[2][1]) -
        e[1][0] * (e[0][1] * e[2][2] - e[0][2] * e[2][1]) +
        e[2][0] * (e[0][1] * e[1][2] - e[0][2] * e[1][1]);
      expect(det).toBeCloseTo(1, 12);
    });
  }
});
