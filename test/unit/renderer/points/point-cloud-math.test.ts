/** Point-cloud helpers: positions from chosen columns, colour values, hover text, the shuffled subsample order. */
import { describe, expect, it } from 'vitest';
import {
  columnRange,
  columnValues,
  defaultColumnNames,
  pointText,
  scenePositions,
  shuffleRows,
  type PointTable,
} from '../../../../src-renderer/points/point-cloud-math.js';

const table = (rows: number, columns: number): PointTable => {
  const data = new Float32Array(rows * columns);
  for (let i = 0; i < rows; i++) for (let c = 0; c < columns; c++) data[i * columns + c] = i * 10 + c;
  return { source: 't', rows, columns, data, columnNames: defaultColumnNames(columns) };
};

describe('point-cloud math', () => {
  it('names columns x, y, z, c3… unless given', () => {
    expect(defaultColumnNames(5)).toEqual(['x', 'y', 'z', 'c3', 'c4']);
    expect(defaultColumnNames(3, ['a', 'b'])).toEqual(['a', 'b', 'z']);
  });

  it('centres and scales the chosen columns into the scene, and reads a colour column', () => {
    const t = table(11, 4); // column c runs from c to 100 + c
    const p = scenePositions(t, 0, 1, 3, 10);
    expect(p.scale).toBeCloseTo(0.1, 12);
    expect(p.centre).toEqual([50, 51, 53]);
    expect(Array.from(p.positions.subarray(0, 3))).toEqual([-5, -5, -5]);
    expect(Array.from(p.positions.subarray(30, 33))).toEqual([5, 5, 5]);
    expect(Array.from(columnValues(t, 2))).toEqual(Array.from({ length: 11 }, (_, i) => i * 10 + 2));
    expect(columnRange(t, 2)).toEqual({ vmin: 2, vmax: 102 });
    expect(pointText(t, 3)).toBe('point 3: x = 30, y = 31, z = 32, c3 = 33');
    expect(pointText(t, 3, 99)).toMatch(/^point 99: /);
  });

  it('shuffles rows as a permutation that keeps each row whole', () => {
    const t = table(1000, 3);
    const { table: s, sourceRow } = shuffleRows(t);
    expect(new Set(sourceRow).size).toBe(1000);
    expect(Array.from(sourceRow.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 0; i < 1000; i += 97) {
      expect(Array.from(s.data.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(t.data.subarray(3 * sourceRow[i], 3 * sourceRow[i] + 3)));
    }
    // a prefix is spread over the whole cloud
    const first = Array.from(sourceRow.subarray(0, 100));
    expect(Math.min(...first)).toBeLessThan(100);
    expect(Math.max(...first)).toBeGreaterThan(900);
  });
});
