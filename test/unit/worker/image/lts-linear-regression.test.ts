import { describe, expect, it } from 'vitest';
import { initialPairs, ltsLinearRegression, LtsSampleError } from '../../../../src-worker/image/lts-linear-regression.js';
import { TIMING_LTS_OPTIONS, timingParameters } from '../../../../src-worker/image/timing-parameters.js';
import { emptyHillasParameters } from '../../../../src-worker/image/hillas-parameters.js';

describe('ltsLinearRegression (ctapipe lts_linear_regression)', () => {
  it('ignores outliers that plain least squares would follow', () => {
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => -0.2 + i * 0.01);
    const y = Float64Array.from(x, (v) => 12 + 35 * v);
    y[3] += 20;
    y[17] -= 15;
    y[30] += 9; // 3 of 40 outliers (< 15 %)
    const r = ltsLinearRegression(x, y, n, TIMING_LTS_OPTIONS);
    expect(r.slope).toBeCloseTo(35, 9);
    expect(r.intercept).toBeCloseTo(12, 9);
    expect(r.error).toBeLessThan(1e-20);
  });
  it("fewer than 2 points: numpy's ValueError; 2 points: NaN (trimmed sample of 1)", () => {
    expect(() => ltsLinearRegression(Float64Array.from([1]), Float64Array.from([2]), 1)).toThrow(LtsSampleError);
    expect(() => ltsLinearRegression(Float64Array.from([1]), Float64Array.from([2]), 1)).toThrow(
      "Cannot take a larger sample than population when 'replace=False'",
    );
    const r = ltsLinearRegression(Float64Array.from([0, 1]), Float64Array.from([2, 5]), 2, TIMING_LTS_OPTIONS);
    expect(r.slope).toBeNaN();
  });
  it('timingParameters fits peak time against the longitudinal coordinate', () => {
    const h = { ...emptyHillasParameters(), x: 0.1, y: 0.1, psiRad: Math.PI / 4 };
    const n = 20;
    const px = new Float64Array(n),
      py = new Float64Array(n),
      t = new Float32Array(n),
      img = new Float64Array(n).fill(10);
    for (let i = 0; i < n; i++) {
      const l = -0.1 + i * 0.01,
        tr = (i % 3) * 0.01 - 0.01;
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

describe("ltsLinearRegression shortcuts do not change ctapipe's result", () => {
  /** ctapipe.fitting.lts_linear_regression transcribed literally (argsort, no shortcuts) */
  function naiveLts(x: number[], y: number[], samples: number): { slope: number; intercept: number } {
    const n = x.length;
    const fit = (idx: number[]) => {
      let sxx = 0,
        sx = 0,
        sxy = 0,
        sy = 0;
      for (const i of idx) {
        sxx += x[i] * x[i];
        sx += x[i];
        sxy += x[i] * y[i];
        sy += y[i];
      }
      const det = sxx * idx.length - sx * sx;
      if (det < 2 * 2 ** -52) return [NaN, NaN];
      return [(idx.length * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det];
    };
    const rssOf = (idx: number[], b: number[]) => idx.reduce((s, i) => s + (y[i] - (x[i] * b[0] + b[1])) ** 2, 0);
    const pairs = initialPairs(n, samples);
    const k = Math.trunc(0.85 * n);
    let best = [NaN, NaN],
      bestErr = Infinity;
    for (let s = 0; s < samples; s++) {
      let idx = [pairs[2 * s], pairs[2 * s + 1]];
      let b = fit(idx);
      if (Number.isNaN(b[0])) continue;
      let err = rssOf(idx, b);
      for (let it = 0; it < 20; it++) {
        const r2 = x.map((xi, i) => (y[i] - (xi * b[0] + b[1])) ** 2);
        idx = Array.from({ length: n }, (_, i) => i)
          .sort((a, c) => r2[a] - r2[c] || a - c)
          .slice(0, k);
        b = fit(idx);
        const last = err;
        err = rssOf(idx, b);
        if (Math.abs(last - err) < 1e-12) break;
      }
      if (err < bestErr) {
        bestErr = err;
        best = b;
      }
    }
    return { slope: best[0], intercept: best[1] };
  }
  let seed = 777;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

  it('random shower-like samples with outliers, n = 4 .. 400', () => {
    for (let t = 0; t < 60; t++) {
      const n = 4 + Math.floor(rnd() ** 2 * 400);
      const slope = 40 * (rnd() - 0.5),
        intercept = 15 + 10 * rnd(),
        noise = 0.2 + 2 * rnd();
      const x = Array.from({ length: n }, () => 0.5 * (rnd() - 0.5));
      const y = x.map((v) => Math.fround(intercept + slope * v + noise * (rnd() + rnd() + rnd() - 1.5) + (rnd() < 0.1 ? 20 * (rnd() - 0.5) : 0)));
      const ours = ltsLinearRegression(Float64Array.from(x), Float64Array.from(y), n, TIMING_LTS_OPTIONS);
      const ref = naiveLts(x, y, 5);
      expect(Math.abs(ours.slope - ref.slope), `n=${n}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.slope)));
      expect(Math.abs(ours.intercept - ref.intercept), `n=${n}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.intercept)));
    }
  });
});
