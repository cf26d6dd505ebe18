import { describe, expect, it } from 'vitest';
import { findPeaks, findPulses } from '../../../../../src-worker/lab/waveform/peak-finder.js';

/** A Gaussian pulse on a baseline, sampled at integer times. */
function gaussianTrace(nSamples: number, baseline: number, amplitude: number, t0: number, sigma: number): Float64Array {
  const v = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) v[i] = baseline + amplitude * Math.exp(-0.5 * ((i - t0) / sigma) ** 2);
  return v;
}

describe('findPeaks', () => {
  it('finds baseline, peak, amplitude and window integral of each row', () => {
    const nSamples = 64;
    const rows = [
      { baseline: 100, amplitude: 40, t0: 30, sigma: 2 },
      { baseline: -5, amplitude: 7, t0: 22.3, sigma: 1.5 },
      { baseline: 0, amplitude: 1000, t0: 45.6, sigma: 3 },
    ];
    const data = new Float32Array(rows.length * nSamples);
    rows.forEach((r, i) => data.set(gaussianTrace(nSamples, r.baseline, r.amplitude, r.t0, r.sigma), i * nSamples));
    const res = findPeaks(data, nSamples, { nBaselineSamples: 10, windowWidth: 21, windowShift: 10 });
    rows.forEach((r, i) => {
      expect(res.baseline[i]).toBeCloseTo(r.baseline, 4);
      expect(res.baselineRms[i]).toBeLessThan(1e-4);
      expect(res.peakSample[i]).toBe(Math.round(r.t0));
      // parabolic interpolation of a Gaussian: within a few % of a sample
      expect(Math.abs(res.peakTime[i] - r.t0)).toBeLessThan(0.05);
      const expectedAmp = r.amplitude * Math.exp(-0.5 * ((Math.round(r.t0) - r.t0) / r.sigma) ** 2);
      expect(res.amplitude[i]).toBeCloseTo(expectedAmp, 3);
      // ±10 samples covers > 3 σ: the sum is the Gaussian area amplitude·σ·√(2π)
      expect(res.integral[i] / (r.amplitude * r.sigma * Math.sqrt(2 * Math.PI))).toBeCloseTo(1, 3);
      expect(res.integralSamples[i]).toBe(21);
    });
  });

  it('handles negative pulses and windows clipped at the trace end', () => {
    const nSamples = 40;
    const v = Float32Array.from(gaussianTrace(nSamples, 10, -6, 38, 1));
    const res = findPeaks(v, nSamples, { nBaselineSamples: 8, windowWidth: 6, windowShift: 2, polarity: -1 });
    expect(res.peakSample[0]).toBe(38);
    expect(res.amplitude[0]).toBeCloseTo(-6, 5);
    expect(res.integralSamples[0]).toBe(4); // samples 36..39
    let expected = 0;
    for (let i = 36; i < 40; i++) expected += v[i] - 10;
    expect(res.integral[0]).toBeCloseTo(expected, 4);
  });

  it('measures the baseline RMS of the pre-samples', () => {
    const v = new Float32Array(20);
    for (let i = 0; i < 10; i++) v[i] = i % 2 === 0 ? 1 : -1;
    v[15] = 5;
    const res = findPeaks(v, 20, { nBaselineSamples: 10, windowWidth: 3, windowShift: 1 });
    expect(res.baseline[0]).toBe(0);
    expect(res.baselineRms[0]).toBeCloseTo(1, 6);
    expect(res.peakSample[0]).toBe(15);
  });

  it('restricts the search to the search window', () => {
    const v = new Float32Array(30);
    v[5] = 100;
    v[20] = 3;
    const res = findPeaks(v, 30, { nBaselineSamples: 0, windowWidth: 1, windowShift: 0, searchStart: 10 });
    expect(res.peakSample[0]).toBe(20);
    expect(res.integral[0]).toBe(3);
  });
});

describe('findPulses', () => {
  it('reports separated maxima above threshold, one per flat top', () => {
    const t = [0, 1, 3, 3, 3, 1, 0, 0.5, 0, 2, 5, 4, 6, 1, 0];
    expect(findPulses(t, { threshold: 2 })).toEqual([2, 10, 12]);
    // 10 and 12 are 2 samples apart: keep the larger
    expect(findPulses(t, { threshold: 2, minDistance: 3 })).toEqual([2, 12]);
    expect(
      findPulses(
        t.map((x) => -x),
        { threshold: 2, polarity: -1 },
      ),
    ).toEqual([2, 10, 12]);
  });
});
