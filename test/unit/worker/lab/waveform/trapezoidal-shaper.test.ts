import { describe, expect, it } from 'vitest';
import { decayConstantM, trapezoidalShaper } from '../../../../../src-worker/lab/waveform/trapezoidal-shaper.js';

/** Closed-form shaper response to a step / matched exponential of amplitude A at n0. */
function trapezoid(n: number, n0: number, A: number, k: number, m: number): number {
  const l = k + m;
  const t = n - n0 + 1;
  const clamp = (x: number) => Math.min(Math.max(x, 0), k);
  return (A * (clamp(t) - clamp(t - l))) / k;
}

function step(nSamples: number, n0: number, A: number, baseline = 0): Float64Array {
  const v = new Float64Array(nSamples).fill(baseline);
  for (let n = n0; n < nSamples; n++) v[n] += A;
  return v;
}

function exponential(nSamples: number, n0: number, A: number, tau: number, baseline = 0): Float64Array {
  const v = new Float64Array(nSamples).fill(baseline);
  for (let n = n0; n < nSamples; n++) v[n] += A * Math.exp(-(n - n0) / tau);
  return v;
}

describe('trapezoidal shaper: ideal step (M = ∞)', () => {
  const k = 10;
  const m = 5;
  const n0 = 20;
  const A = 3.5;
  const out = trapezoidalShaper(step(100, n0, A), 100, { k, m, M: Infinity }, new Float64Array(100));

  it('equals the closed-form trapezoid at every sample', () => {
    for (let n = 0; n < 100; n++) expect(out[n]).toBeCloseTo(trapezoid(n, n0, A, k, m), 12);
  });

  it('rises linearly over k samples, stays at A for the gap, falls and returns to 0', () => {
    for (let n = 0; n < n0; n++) expect(out[n]).toBe(0);
    // linear rise: constant increments of A/k over k samples
    for (let j = 0; j < k; j++) expect(out[n0 + j] - (j === 0 ? 0 : out[n0 + j - 1])).toBeCloseTo(A / k, 12);
    // flat top: A from n0+k-1 through n0+k-1+m (m intervals)
    for (let n = n0 + k - 1; n <= n0 + k - 1 + m; n++) expect(out[n]).toBeCloseTo(A, 12);
    expect(out[n0 + k + m]).toBeLessThan(A - 1e-9);
    // back to zero after k + l samples
    for (let n = n0 + 2 * k + m - 1; n < 100; n++) expect(Math.abs(out[n])).toBeLessThan(1e-12);
  });

  it('is insensitive to a constant baseline with edge padding', () => {
    const withBaseline = trapezoidalShaper(step(100, n0, A, 100), 100, { k, m, M: Infinity }, new Float64Array(100));
    for (let n = 0; n < 100; n++) expect(withBaseline[n]).toBeCloseTo(out[n], 10);
  });

  it('zero padding treats the samples before the trace as 0', () => {
    const z = trapezoidalShaper(new Float64Array(50).fill(2), 50, { k, m, M: Infinity, pad: 'zero' }, new Float64Array(50));
    // a constant 2 is then a step of 2 at n0 = 0
    for (let n = 0; n < 50; n++) expect(z[n]).toBeCloseTo(trapezoid(n, 0, 2, k, m), 12);
  });
});

describe('trapezoidal shaper: exponential pulse with M = 1/(exp(1/τ) − 1)', () => {
  const k = 8;
  const m = 4;
  const n0 = 30;
  const A = 12;
  const tau = 25;
  const M = decayConstantM(tau);

  it('gives the same closed-form trapezoid, flat top = A, no undershoot', () => {
    const out = trapezoidalShaper(exponential(200, n0, A, tau), 200, { k, m, M }, new Float64Array(200));
    for (let n = 0; n < 200; n++) expect(out[n]).toBeCloseTo(trapezoid(n, n0, A, k, m), 10);
    for (let n = n0 + k - 1; n <= n0 + k - 1 + m; n++) expect(out[n]).toBeCloseTo(A, 10);
    for (let n = n0 + 2 * k + m - 1; n < 200; n++) expect(Math.abs(out[n])).toBeLessThan(1e-10);
  });

  it('a mismatched M leaves a tail (the pole-zero term really matters)', () => {
    const out = trapezoidalShaper(exponential(200, n0, A, tau), 200, { k, m, M: decayConstantM(2 * tau) }, new Float64Array(200));
    expect(Math.abs(out[n0 + 2 * k + m + 10])).toBeGreaterThan(0.05 * A);
  });

  it('separates two piled-up pulses into two trapezoids of their own amplitudes', () => {
    const v = exponential(300, 40, 5, tau);
    const second = exponential(300, 70, 9, tau); // starts while the first still decays
    for (let n = 0; n < 300; n++) v[n] += second[n];
    const out = trapezoidalShaper(v, 300, { k, m, M }, new Float64Array(300));
    for (let n = 0; n < 300; n++) expect(out[n]).toBeCloseTo(trapezoid(n, 40, 5, k, m) + trapezoid(n, 70, 9, k, m), 9);
  });

  it('processes N × samples rows independently (Float32 in and out)', () => {
    const nSamples = 120;
    const amps = [1, 7.5, 20, 0.25];
    const data = new Float32Array(amps.length * nSamples);
    amps.forEach((a, r) => data.set(exponential(nSamples, 10 + 5 * r, a, tau, 50 + r), r * nSamples));
    const out = trapezoidalShaper(data, nSamples, { k, m, M });
    expect(out).toBeInstanceOf(Float32Array);
    amps.forEach((a, r) => {
      for (let n = 0; n < nSamples; n++) {
        // float32 input: the pulse rides on a baseline of ~50, so the error scales with it
        expect(Math.abs(out[r * nSamples + n] - trapezoid(n, 10 + 5 * r, a, k, m))).toBeLessThan(2e-4 * 50);
      }
    });
  });

  it('rejects bad parameters', () => {
    expect(() => trapezoidalShaper(new Float32Array(10), 3, { k: 2, m: 0, M: 1 })).toThrow();
    expect(() => trapezoidalShaper(new Float32Array(10), 10, { k: 0, m: 0, M: 1 })).toThrow();
    expect(() => decayConstantM(0)).toThrow();
    expect(decayConstantM(Infinity)).toBe(Infinity);
  });
});
