import { describe, expect, it } from 'vitest';
import { binIndex, curveX, layerTotal, stepSeries, unionX, type HistogramLayer } from '../../../../src-renderer/histograms/histogram-layers.js';
import { evaluateFitAt, fitLines, formatWithError } from '../../../../src-renderer/histograms/fit-display.js';
import { linearTicks, logTicks, tickLabel } from '../../../../src-renderer/histograms/axis-ticks.js';
import { histogramSvg } from '../../../../src-renderer/histograms/histogram-svg.js';
import { gaussianModel, polynomialModel } from '../../../../src-worker/fit/fit-models.js';

const a: HistogramLayer = { label: 'a', edges: [0, 1, 2, 3], counts: [5, 0, 7], color: '#4fc3f7' };
const b: HistogramLayer = { label: 'b', edges: [0.5, 1.5, 2.5], counts: [1, 2], color: '#ffb74d' };

describe('histogram layers', () => {
  it('finds bins with half-open edges, the last edge in the last bin', () => {
    expect([-0.1, 0, 0.99, 1, 2.5, 3, 3.01].map((x) => binIndex(a.edges, x))).toEqual([-1, 0, 0, 1, 2, 2, -1]);
  });
  it('overlays different binnings as steps on the union of edges', () => {
    const xs = unionX([a, b]);
    expect(Array.from(xs)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(stepSeries(a, xs, false)).toEqual([5, 5, 0, 0, 7, 7, 7]);
    expect(stepSeries(b, xs, false)).toEqual([null, 1, 1, 2, 2, 2, null]);
    // log y: empty bins are gaps; scale normalises
    expect(stepSeries(a, xs, true, 0.5)).toEqual([2.5, 2.5, null, null, 3.5, 3.5, 3.5]);
    expect(layerTotal(a)).toBe(12);
  });
  it('samples curves linearly or log-spaced', () => {
    expect(Array.from(curveX(0, 1, 3, false))).toEqual([0, 0.5, 1]);
    const l = curveX(1, 100, 3, true);
    expect(l[1]).toBeCloseTo(10, 10);
  });
});

describe('fit display', () => {
  it('evaluates the fitted function exactly as the backend models', () => {
    const p = [100, 1.5, 0.3];
    for (const x of [0, 1.2, 2.9]) expect(evaluateFitAt({ model: 'gaussian', parameters: p }, x)).toBeCloseTo(gaussianModel.value(x, p), 12);
    const c = [1, -2, 0.5];
    expect(evaluateFitAt({ model: 'polynomial', parameters: c }, 3)).toBeCloseTo(polynomialModel(2).value(3, c), 12);
    expect(evaluateFitAt({ model: 'exponential', parameters: [10, 2], x0: 1 }, 3)).toBeCloseTo(10 * Math.exp(-1), 12);
  });
  it('rounds value ± error to two significant digits of the error', () => {
    expect(formatWithError(123.456, 0.789)).toBe('123.46 ± 0.79');
    expect(formatWithError(1234.4, 12.3)).toBe('1234 ± 12');
    expect(formatWithError(12345, 123)).toBe('12350 ± 120');
    expect(formatWithError(123456, 789)).toBe('(1.2346 ± 0.0079)e5');
    expect(formatWithError(0.000123, 0.0000045)).toBe('(1.230 ± 0.045)e-4');
  });
  it('lists the parameters with units and χ²/ndf', () => {
    const lines = fitLines(
      {
        model: 'gaussian',
        parameterNames: ['amplitude', 'mean', 'sigma'],
        parameters: [100, 0.5, 0.2],
        errors: [3, 0.01, 0.008],
        chi2: 40.2,
        ndf: 37,
        nBinsUsed: 40,
        errorModel: 'poisson',
        converged: true,
        elapsedMs: 1,
      },
      'deg',
    );
    expect(lines).toEqual([
      'Gaussian fit: A·exp(−(x−μ)²/2σ²)',
      'A = 100.0 ± 3.0',
      'μ = 0.500 ± 0.010 deg',
      'σ = 0.2000 ± 0.0080 deg',
      'χ²/ndf = 40.2 / 37 = 1.09',
    ]);
  });
});

describe('figure axes and SVG', () => {
  it('chooses 1-2-5 linear ticks and decades on log axes', () => {
    expect(linearTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearTicks(-0.3, 0.3, 6)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(logTicks(30, 20000)).toEqual([100, 1000, 10000]);
    expect(logTicks(2, 60)).toEqual([2, 5, 10, 20, 50]);
    expect(logTicks(3, 8)).toEqual([5]);
    expect(tickLabel(1e6)).toBe('10^6');
    expect(tickLabel(-0.5)).toBe('−0.5');
  });
  it('writes a standalone SVG with axes, labels, one path per layer, the fit curve and box', () => {
    const svg = histogramSvg({
      title: 'hillas_width <all>',
      xLabel: 'hillas_width / deg',
      yLabel: 'entries per bin',
      layers: [a, b],
      xRange: [0, 3],
      yRange: [0, 8],
      logX: false,
      logY: false,
      curve: { x: [0, 1, 2, 3], y: [1, 2, 3, 4], color: '#c62828' },
      fitLines: ['Gaussian fit', 'μ = 1 ± 0.1'],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('hillas_width &lt;all&gt;');
    expect(svg).toContain('>hillas_width / deg</text>');
    expect(svg.match(/<path d="M/g)).toHaveLength(2);
    expect(svg).toContain('<polyline');
    expect(svg).toContain('μ = 1 ± 0.1');
    expect(svg.match(/text-anchor="middle">[0-9.]+<\/text>/g)!.length).toBeGreaterThanOrEqual(4);
  });
});
