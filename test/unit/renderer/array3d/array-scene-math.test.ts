/** The array view's geometry: a proper rotation to the scene, AltAz directions as ctapipe's GroundFrame has them. */
import { describe, expect, it } from 'vitest';
import { angularSeparationDeg, groundDirection, sceneFromGround } from '../../../../src-renderer/array3d/array-scene-math.js';

describe('array scene geometry', () => {
  it('maps the GroundFrame by a rotation (no mirror): north away, west left, up up', () => {
    expect(sceneFromGround(1, 0, 0)).toEqual([-0, 0, -1]);
    expect(sceneFromGround(0, 1, 0)).toEqual([-1, 0, -0]);
    expect(sceneFromGround(0, 0, 1)).toEqual([-0, 1, -0]);
    // determinant of the columns = +1
    const [a, b, c] = [sceneFromGround(1, 0, 0), sceneFromGround(0, 1, 0), sceneFromGround(0, 0, 1)];
    const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - b[0] * (a[1] * c[2] - a[2] * c[1]) + c[0] * (a[1] * b[2] - a[2] * b[1]);
    expect(det).toBeCloseTo(1, 12);
  });

  it('points to the zenith, north and east as AltAz says (az from north towards east; y is west)', () => {
    const z = groundDirection(90, 123);
    expect(z[2]).toBeCloseTo(1, 12);
    const n = groundDirection(0, 0);
    expect(n[0]).toBeCloseTo(1, 12);
    const e = groundDirection(0, 90);
    expect(e[1]).toBeCloseTo(-1, 12);
    expect(angularSeparationDeg(70, 0, 70, 180)).toBeCloseTo(40, 9);
    expect(angularSeparationDeg(70, 10, 70.001, 10)).toBeCloseTo(0.001, 9);
  });
});
