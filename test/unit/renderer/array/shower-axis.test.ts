import { describe, expect, test } from 'vitest';
import { angularSeparationDeg, axisPointAtHeight, directionToSource } from '../../../../src-renderer/array/shower-axis.js';

describe('shower axis in the ground frame (x north, y west, z up)', () => {
  test('directions: north, east, zenith', () => {
    const north = directionToSource(0, 0);
    expect(north[0]).toBeCloseTo(1, 12);
    expect(north[1]).toBeCloseTo(0, 12);
    const east = directionToSource(0, 90);
    expect(east[1]).toBeCloseTo(-1, 12); // east is -y (y points west)
    expect(directionToSource(90, 123)[2]).toBeCloseTo(1, 12);
  });

  test('an axis at 45° altitude from the north reaches height h at h metres north of the core', () => {
    const [x, y, z] = axisPointAtHeight(10, -20, 45, 0, 1000);
    expect(x).toBeCloseTo(1010, 9);
    expect(y).toBeCloseTo(-20, 9);
    expect(z).toBe(1000);
    // vertical shower: straight above the core
    const v = axisPointAtHeight(3, 4, 90, 77, 5000);
    expect(v[0]).toBeCloseTo(3, 9);
    expect(v[1]).toBeCloseTo(4, 9);
  });

  test('angular separation: exact for small and large angles', () => {
    expect(angularSeparationDeg(70, 0, 70, 0)).toBe(0);
    expect(angularSeparationDeg(70, 10, 71, 10)).toBeCloseTo(1, 10);
    expect(angularSeparationDeg(0, 0, 0, 90)).toBeCloseTo(90, 10);
    // 1 arcsecond in altitude
    expect(angularSeparationDeg(60, 30, 60 + 1 / 3600, 30)).toBeCloseTo(1 / 3600, 12);
    // azimuth differences shrink with cos(alt)
    expect(angularSeparationDeg(80, 0, 80, 1)).toBeCloseTo(Math.cos((80 * Math.PI) / 180), 4);
  });
});
