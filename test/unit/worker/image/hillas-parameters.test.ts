import { describe, expect, it } from 'vitest';
import { hillasParameters, HillasParameterizationError } from '../../../../src-worker/image/hillas-parameters.js';

/** a fine square grid with a 2-d Gaussian (sigma_l along psi, sigma_w across), centred at (cx, cy) */
function gaussianImage(cx: number, cy: number, sl: number, sw: number, psiDeg: number, skewSide = 0) {
  const xs: number[] = [],
    ys: number[] = [],
    w: number[] = [];
  const p = (psiDeg * Math.PI) / 180;
  for (let i = -60; i <= 60; i++)
    for (let j = -60; j <= 60; j++) {
      const x = cx + i * 0.005,
        y = cy + j * 0.005;
      const l = (x - cx) * Math.cos(p) + (y - cy) * Math.sin(p);
      const t = -(x - cx) * Math.sin(p) + (y - cy) * Math.cos(p);
      const s = skewSide && l * skewSide > 0 ? 1.5 : 1;
      const v = 100 * Math.exp(-0.5 * ((l / (sl * s)) ** 2 + (t / sw) ** 2));
      if (v > 1e-3) {
        xs.push(x);
        ys.push(y);
        w.push(v);
      }
    }
  const n = xs.length;
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), a: new Float64Array(n).fill(0.005 ** 2), w: Float64Array.from(w), n };
}

describe('hillasParameters', () => {
  it('recovers centroid, length, width and psi of a Gaussian ellipse', () => {
    const g = gaussianImage(0.1, -0.2, 0.06, 0.02, 30);
    const h = hillasParameters(g.x, g.y, g.a, g.w, g.n);
    expect(h.x).toBeCloseTo(0.1, 6);
    expect(h.y).toBeCloseTo(-0.2, 6);
    expect(h.r).toBeCloseTo(Math.hypot(0.1, 0.2), 6);
    expect(h.phi).toBeCloseTo((Math.atan2(-0.2, 0.1) * 180) / Math.PI, 5);
    expect(h.length).toBeCloseTo(0.06, 4);
    expect(h.width).toBeCloseTo(0.02, 4);
    expect(h.psi).toBeCloseTo(30, 3);
    expect(Math.abs(h.skewness)).toBeLessThan(1e-6);
    expect(h.kurtosis).toBeCloseTo(3, 2); // Gaussian: 4th moment / sigma^4 = 3
    for (const u of [h.lengthUncertainty, h.widthUncertainty, h.psiUncertainty, h.transverseCogUncertainty]) expect(u).toBeGreaterThan(0);
  });

  it('psi lies in (-90, 90] and the skewness sign follows the heavier side', () => {
    for (const psi of [-89, -45, 0, 60, 90, 120]) {
      const h = hillasParameters(...args(gaussianImage(0, 0, 0.05, 0.01, psi)));
      expect(h.psi).toBeGreaterThan(-90);
      expect(h.psi).toBeLessThanOrEqual(90);
      const d = (((h.psi - psi) % 180) + 180) % 180; // same axis modulo 180°
      expect(Math.min(d, 180 - d)).toBeLessThan(0.01);
    }
    const plus = hillasParameters(...args(gaussianImage(0, 0, 0.05, 0.01, 20, +1)));
    const minus = hillasParameters(...args(gaussianImage(0, 0, 0.05, 0.01, 20, -1)));
    expect(plus.skewness).toBeGreaterThan(0.1);
    expect(minus.skewness).toBeCloseTo(-plus.skewness, 6);
  });

  it('two pixels: width 0, width uncertainty NaN; one pixel: length 0 and NaN shape', () => {
    const two = hillasParameters(Float64Array.from([0, 0.05]), Float64Array.from([0, 0]), Float64Array.from([1, 1]), Float64Array.from([10, 30]), 2);
    expect(two.width).toBe(0);
    expect(two.widthUncertainty).toBeNaN();
    expect(two.psi).toBe(0);
    expect(two.intensity).toBe(40);
    const one = hillasParameters(Float64Array.from([0.03]), Float64Array.from([0.01]), Float64Array.from([1]), Float64Array.from([5]), 1);
    expect([one.length, one.width]).toEqual([0, 0]);
    expect(one.psi).toBeNaN();
    expect(one.skewness).toBeNaN();
  });

  it('zero intensity raises HillasParameterizationError like ctapipe', () => {
    expect(() => hillasParameters(new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0), 0)).toThrow(HillasParameterizationError);
    expect(() => hillasParameters(Float64Array.from([0, 1]), Float64Array.from([0, 0]), Float64Array.from([1, 1]), Float64Array.from([2, -2]), 2)).toThrow(
      'size=0, cannot calculate HillasParameters',
    );
  });
});

function args(g: ReturnType<typeof gaussianImage>): [Float64Array, Float64Array, Float64Array, Float64Array, number] {
  return [g.x, g.y, g.a, g.w, g.n];
}
