import { describe, expect, it } from 'vitest';
import { descriptiveStatistics } from '../../../../src-worker/image/descriptive-statistics.js';

describe('descriptiveStatistics (ctapipe descriptive_statistics, scipy definitions)', () => {
  it('agrees with the float64 definitions to float32 precision', () => {
    const v = [3.5, 9.25, 4, 12.75, 5.5, 6, 30.125, 7];
    const s = descriptiveStatistics(Float32Array.from(v), v.length);
    const n = v.length,
      mean = v.reduce((a, b) => a + b) / n;
    const m = (k: number) => v.reduce((a, b) => a + (b - mean) ** k, 0) / n;
    expect(s.max).toBe(30.125);
    expect(s.min).toBe(3.5);
    expect(s.mean).toBeCloseTo(mean, 5);
    expect(s.std).toBeCloseTo(Math.sqrt(m(2)), 5);
    expect(s.skewness).toBeCloseTo(m(3) / m(2) ** 1.5, 5); // scipy.stats.skew(bias=True)
    expect(s.kurtosis).toBeCloseTo(m(4) / m(2) ** 2 - 3, 5); // scipy.stats.kurtosis(fisher=True, bias=True)
    expect(Math.fround(s.mean)).toBe(s.mean); // float32 results, as numpy gives for float32 input
  });
  it('a single value: std 0, skewness and kurtosis NaN', () => {
    const s = descriptiveStatistics(Float32Array.from([5.25]), 1);
    expect([s.max, s.min, s.mean, s.std]).toEqual([5.25, 5.25, 5.25, 0]);
    expect(s.skewness).toBeNaN();
    expect(s.kurtosis).toBeNaN();
  });
});
