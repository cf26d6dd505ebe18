import { describe, expect, it } from 'vitest';
import { ltsLinearRegression, LtsSampleError } from '../../../../src-worker/timing/lts-linear-regression.js';
import { TIMING_LTS_OPTIONS, timingParameters } from '../../../../src-worker/timing/timing-parameters.js';
import { emptyHillasParameters } from '../../../../src-worker/hillas/hillas-parameters.js';

describe('ltsLinearRegression (ctapipe lts_linear_regression)', () => {
  it('ignores outliers that plain least squares would follow', () => {
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => -0.2 + i * 0.01);
    const y = Float64Array.from(x, (v) => 12 + 35 * v);
    y[3] += 20; y[17] -= 15; y[30] += 9; // 3 of 40 outliers (< 15 %)
    const r = ltsLinearRegression(x, y, n, TIMING_LTS_OPTIONS);
    expect(r.slope).toBeCloseTo(35, 9);
    expect(r.intercept).toBeCloseTo(12, 9);
    expect(r.error).toBeLessThan(1e-20);
  });
  it('fewer than 2 points: numpy\'s ValueError; 2 points: NaN (trimmed sample of 1)', () => {
    expect(() => ltsLinearRegression(Float64Array.from([1]), Float64Array.from([2]), 1)).toThrow(LtsSampleError);
    expect(() => ltsLinearRegression(Float64Array.from([1]), Float64Array.from([2]), 1)).toThrow("Cannot take a larger sample than population when 'replace=False'");
    const r = ltsLinearRegression(Float64Array.from([0, 1]), Float64Array.from([2, 5]), 2, TIMING_LTS_OPTIONS);
    expect(r.slope).toBeNaN();
  });
  it('timingParameters fits peak time against the longitudinal coordinate', () => {
    const h = { ...emptyHillasParameters(), x: 0.1, y: 0.1, psiRad: Math.PI / 4 };
    const n = 20;
    const px = new Float64Array(n), py = new Float64Array(n), t = new Float32Array(n), img = new Float64Array(n).fill(10);
    for (let i = 0; i < n; i++) {
      const l = -0.1 + i * 0.01, tr = (i % 3) * 0.01 - 0.01;
      px[i] = 0.1 + l * Math.SQRT1_2 - tr * Math.SQRT1_2;
      py[i] = 0.1 + l * Math.SQRT1_2 + tr * Math.SQRT1_2;
      t[i] = Math.fround(20 - 8 * l);
    }
    const p = timingParameters(px, py, img, t, n, h);
    expect(p.slope).toBeCloseTo(-8, 4);
    expect(p.intercept).toBeCloseTo(20, 5);
    expect(p.deviation).toBeLessThan(1e-5);
    img[0] = -1;
    expect(() => timingParameters(px, py, img, t, n, h)).toThrow('The non-masked pixels must verify signal >= 0');
  });
});
