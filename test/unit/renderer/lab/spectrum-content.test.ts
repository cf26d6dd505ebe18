/**
 * What the spectrum plot shows (src-renderer/lab/spectroscopy/spectrum-content.ts)
 * from the backend's analysis (the pool task runSpectrumTask, run here on
 * pulse heights of a line on a flat continuum): the histogram in ADC or
 * keV, the peaks marked where they were fitted, the chosen peak's curve the
 * fitted model, the numbers as `lightpool spectrum` prints them.
 */
import { describe, expect, it } from 'vitest';
import { runSpectrumTask } from '../../../../src-worker/lab/spectroscopy/spectrum-task.js';
import type { SpectrumWire } from '../../../../src-main/api/lab-contract.js';
import { interpolate, peakLines, photopeakIndex, spectrumPlotContent } from '../../../../src-renderer/lab/spectroscopy/spectrum-content.js';

/** A seeded generator (mulberry32) and Box–Muller normals. */
function rng(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { u, normal: () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()) };
}

function spectrum(calibrated: boolean): SpectrumWire {
  const r = rng(7);
  const heights = Float64Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? 1300 + 4 * r.normal() : 100 + 1000 * r.u()));
  const { result } = runSpectrumTask({
    kind: 'lab-spectrum',
    amplitude: heights,
    options: {
      bins: 1024,
      range: [0, 1400],
      calibration: calibrated
        ? [
            { adc: 0, keV: 0 },
            { adc: 1300, keV: 661.657 },
          ]
        : undefined,
    },
  });
  const { kind: _k, ...rest } = result;
  void _k;
  return {
    signalsId: 's',
    nSignals: 6000,
    shaping: { k: 450, m: 60, M: 3600, gain: 'Mk', amplitude: 'max', baselineSamples: 500, searchStart: 0, searchEnd: 3000, riseTime: true, riseSmoothing: 5 },
    elapsedMs: 0,
    ...rest,
  };
}

describe('spectrum plot content', () => {
  it('the photopeak is the fitted peak with the most counts; its box and marker are where it was fitted', () => {
    const s = spectrum(false);
    const i = photopeakIndex(s);
    const p = s.peaks[i];
    expect(Math.abs(p.centroid - 1300)).toBeLessThan(1);
    const c = spectrumPlotContent(s, { keV: false, logY: false, selected: i }, 'spectrum');
    expect(c.layers[0].edges).toBe(s.edges);
    expect(c.xLabel).toBe('pulse height (ADC, gain M·k)');
    expect(c.markers).toEqual(s.peaks.map((q, j) => ({ x: q.centroid, label: String(j + 1) })));
    expect(c.fit!.lines[1]).toBe(`centroid ${p.centroid.toFixed(2)} ± ${p.centroidError.toFixed(2)} ADC`);
    expect(c.fitBox).toBe('left');
    // the drawn curve is the fitted model, Gaussian + b0 + b1·(x − x0), sampled finely enough (240 points over ±3 FWHM: 1e-3 of the peak)
    const model = (x: number) => p.amplitude * Math.exp(-0.5 * ((x - p.centroid) / p.sigma) ** 2) + p.background + p.slope * (x - p.x0);
    for (const x of [p.centroid, p.centroid + p.sigma, p.centroid - 2 * p.sigma])
      expect(Math.abs(c.fit!.f(x) - model(x))).toBeLessThan(1e-3 * model(p.centroid));
    // A·σ·√(2π)/bin width is the fit's net count
    expect((p.amplitude * p.sigma * Math.sqrt(2 * Math.PI)) / (1400 / 1024)).toBeCloseTo(p.netCounts, 6);
  });

  it('calibrated: the axis, the markers and the curve in keV', () => {
    const s = spectrum(true);
    const i = photopeakIndex(s);
    const p = s.peaks[i];
    const c = spectrumPlotContent(s, { keV: true, logY: true, selected: i }, 'spectrum');
    expect(c.xLabel).toBe('energy (keV)');
    expect(c.layers[0].edges).toBe(s.edgesKeV);
    expect(c.markers![i].x).toBe(p.keV!.centroid);
    expect(Math.abs(p.keV!.centroid - 661.657)).toBeLessThan(1);
    expect(c.fit!.range[0]).toBe(p.curve.xKeV![0]);
    expect(peakLines(p, i, true)[1]).toBe(`centroid ${p.keV!.centroid.toFixed(2)} ± ${p.keV!.centroidError.toFixed(2)} keV`);
    // on a log axis the curve stops at 0.1 count
    expect(c.fit!.f(c.fit!.range[0])).toBeNaN();
    // without a calibration the keV axis is not offered
    expect(spectrumPlotContent(spectrum(false), { keV: true, logY: false, selected: 0 }, 't').xLabel).toMatch(/^pulse height/);
  });

  it('interpolates between samples and is NaN outside or below the floor', () => {
    const f = interpolate([0, 1, 2], [0, 10, 4], 1);
    expect(f(0.5)).toBe(5);
    expect(f(1.5)).toBe(7);
    expect(f(0.05)).toBeNaN();
    expect(f(-1)).toBeNaN();
    expect(f(3)).toBeNaN();
  });
});
