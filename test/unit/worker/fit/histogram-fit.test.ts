import { describe, expect, it } from 'vitest';
import { type FitResult, evaluateFit, fitExponential, fitGaussian, fitPolynomial } from '../../../../src-worker/fit/histogram-fit.js';
import { fitDataFromHistogram } from '../../../../src-worker/fit/histogram-fit-data.js';
import { createHistogram1D, fillArray } from '../../../../src-worker/histogram/histogram-1d.js';
import { seededRandom } from './seeded-random.js';

function linspace(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}

function histogram(values: number[], edges: Float64Array): Float64Array {
  const n = edges.length - 1;
  const lo = edges[0];
  const h = (edges[n] - lo) / n;
  const counts = new Float64Array(n);
  for (const v of values) {
    const i = Math.floor((v - lo) / h);
    if (i >= 0 && i < n) counts[i]++;
  }
  return counts;
}

interface PullStats {
  mean: number;
  std: number;
}

function stats(xs: number[]): PullStats {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, std };
}

/**
 * Pull mean and std over R repetitions: the mean has a standard error of
 * 1/√R, the std ≈ 1/√(2(R−1)); for R = 200 these are 0.071 and 0.050; the bounds below are
 * 3.5 of those standard errors.
 */
function expectPullsStandardNormal(pulls: number[], label: string): void {
  const s = stats(pulls);
  const r = pulls.length;
  console.log(`${label}: pull mean ${s.mean.toFixed(3)}, std ${s.std.toFixed(3)} (${r} fits)`);
  expect(Math.abs(s.mean), `${label} pull mean ${s.mean.toFixed(3)}`).toBeLessThan(3.5 / Math.sqrt(r));
  expect(Math.abs(s.std - 1), `${label} pull std ${s.std.toFixed(3)}`).toBeLessThan(3.5 / Math.sqrt(2 * (r - 1)));
}

function expectWithin3Sigma(fit: FitResult, truth: number[]): void {
  truth.forEach((t, j) => {
    expect(Math.abs(fit.parameters[j] - t), `${fit.parameterNames[j]}: ${fit.parameters[j]} ± ${fit.errors[j]} vs ${t}`).toBeLessThan(3 * fit.errors[j]);
  });
}

const REPETITIONS = 200;

describe('fitGaussian (Poisson errors, Levenberg–Marquardt)', () => {
  const mu = 2.0;
  const sigma = 0.7;
  const expected = 5000;
  const edges = linspace(-1, 5, 60);
  const h = edges[1] - edges[0];
  const truth = [(expected * h) / (sigma * Math.sqrt(2 * Math.PI)), mu, sigma];

  function sample(rng: ReturnType<typeof seededRandom>): Float64Array {
    const n = rng.poisson(expected);
    return histogram(
      Array.from({ length: n }, () => rng.normal(mu, sigma)),
      edges,
    );
  }

  it('recovers amplitude, mean and sigma within 3σ', () => {
    const fit = fitGaussian({ binEdges: edges, counts: sample(seededRandom(1)) });
    expect(fit.parameterNames).toEqual(['amplitude', 'mean', 'sigma']);
    expect(fit.converged).toBe(true);
    expect(fit.ndf).toBe(60 - 3);
    expectWithin3Sigma(fit, truth);
    // statistical expectation of the errors: σ/√N for the mean, σ/√(2N) for σ
    expect(fit.errors[1] / (sigma / Math.sqrt(expected))).toBeCloseTo(1, 1);
    expect(fit.errors[2] / (sigma / Math.sqrt(2 * expected))).toBeCloseTo(1, 1);
  });

  it(`has pulls with mean ≈ 0 and std ≈ 1 over ${REPETITIONS} repetitions, and ⟨χ²⟩ ≈ ndf`, () => {
    const rng = seededRandom(20240601);
    const pulls: number[][] = [[], [], []];
    const chi2: number[] = [];
    let ndf = 0;
    for (let r = 0; r < REPETITIONS; r++) {
      const fit = fitGaussian({ binEdges: edges, counts: sample(rng) });
      for (let j = 0; j < 3; j++) pulls[j].push((fit.parameters[j] - truth[j]) / fit.errors[j]);
      chi2.push(fit.chi2);
      ndf = fit.ndf;
    }
    expectPullsStandardNormal(pulls[0], 'amplitude');
    expectPullsStandardNormal(pulls[1], 'mean');
    expectPullsStandardNormal(pulls[2], 'sigma');
    // ⟨χ²⟩ = ndf within 3.5 standard errors √(2 ndf / R)
    expect(Math.abs(stats(chi2).mean - ndf)).toBeLessThan(3.5 * Math.sqrt((2 * ndf) / REPETITIONS));
  });

  it('averaging the model over the bins removes the binning bias on σ', () => {
    // exact expected contents of coarse bins (h = σ) by fine Simpson integration
    const coarse = linspace(-2, 6, 8);
    const amp = 1000;
    const f = (x: number) => amp * Math.exp(-0.5 * ((x - mu) / sigma) ** 2);
    const counts = new Float64Array(8).map((_, i) => {
      const a = coarse[i];
      const b = coarse[i + 1];
      const n = 400;
      let s = f(a) + f(b);
      for (let k = 1; k < n; k++) s += (k % 2 ? 4 : 2) * f(a + ((b - a) * k) / n);
      return (s * (b - a)) / (3 * n) / (b - a);
    });
    const errors = new Float64Array(8).fill(1);
    const integrated = fitGaussian({ binEdges: coarse, counts, errors });
    expect(integrated.binIntegrated).toBe(true);
    expect(integrated.parameters[2] / sigma).toBeCloseTo(1, 4);
    expect(integrated.parameters[1]).toBeCloseTo(mu, 5);
    expect(integrated.parameters[0] / amp).toBeCloseTo(1, 4);
    const centres = Float64Array.from({ length: 8 }, (_, i) => 0.5 * (coarse[i] + coarse[i + 1]));
    const atCentres = fitGaussian({ binCenters: centres, counts, errors });
    expect(atCentres.binIntegrated).toBe(false);
    // evaluated at the centres the fit sees the broadened width √(σ² + h²/12)
    expect(atCentres.parameters[2] / sigma).toBeGreaterThan(1.02);
  });

  it('supplied errors are used as absolute unless scaleErrors, which multiplies them by √(χ²/ndf)', () => {
    const rng = seededRandom(7);
    const counts = sample(rng);
    const errors = counts.map((c) => Math.sqrt(Math.max(c, 1)) * 2);
    const absolute = fitGaussian({ binEdges: edges, counts, errors });
    const scaled = fitGaussian({ binEdges: edges, counts, errors }, { scaleErrors: true });
    expect(absolute.errorModel).toBe('supplied');
    for (let j = 0; j < 3; j++) {
      expect(scaled.parameters[j]).toBeCloseTo(absolute.parameters[j], 8);
      expect(scaled.errors[j] / absolute.errors[j]).toBeCloseTo(Math.sqrt(absolute.chi2 / absolute.ndf), 10);
    }
  });

  it('neyman errors leave the empty bins out', () => {
    const counts = sample(seededRandom(3));
    const empty = counts.filter((c) => c === 0).length;
    expect(empty).toBeGreaterThan(0);
    const fit = fitGaussian({ binEdges: edges, counts }, { errorModel: 'neyman' });
    expect(fit.nBinsUsed).toBe(60 - empty);
    expectWithin3Sigma(fit, truth);
  });

  it('stays on the peak when one bin holds a population the model cannot describe (Poisson ML, not Pearson reweighting)', () => {
    // the live hillas_width histogram: a Gaussian peak of 30,000 entries and 1,200 images of width ≈ 0 in the first bin.
    // Reweighting with σ² = μ gave that bin (expectation 0.3) the weight of the whole peak and fitted a wide, low Gaussian.
    const e = Array.from({ length: 61 }, (_, i) => i * 0.005);
    const g = (x: number) => 30000 * Math.exp(-0.5 * ((x - 0.06) / 0.012) ** 2);
    const counts = e.slice(0, -1).map((a) => Math.round(g(a + 0.0025)));
    counts[0] = 1200;
    const fit = fitGaussian({ binEdges: e, counts });
    expect(fit.converged).toBe(true);
    expect(fit.parameters[1]).toBeCloseTo(0.06, 3);
    expect(fit.parameters[2] / 0.012).toBeGreaterThan(0.95);
    expect(fit.parameters[2] / 0.012).toBeLessThan(1.1);
    expect(fit.parameters[0] / 30000).toBeGreaterThan(0.9);
    // and the outlier shows in χ²: it is not hidden
    expect(fit.chi2 / fit.ndf).toBeGreaterThan(100);
  });

  it('range restricts the fitted bins', () => {
    const fit = fitGaussian({ binEdges: edges, counts: sample(seededRandom(4)) }, { range: [1, 3] });
    expect(fit.nBinsUsed).toBe(20);
    expectWithin3Sigma(fit, truth);
  });
});

describe('fitExponential (Poisson errors)', () => {
  const tau = 1.5;
  const expected = 5000;
  const edges = linspace(0, 8, 40);
  const h = edges[1] - edges[0];
  const truth = [(expected * h) / tau, tau];

  function sample(rng: ReturnType<typeof seededRandom>): Float64Array {
    const n = rng.poisson(expected);
    return histogram(
      Array.from({ length: n }, () => rng.exponential(tau)),
      edges,
    );
  }

  it('recovers amplitude and τ within 3σ', () => {
    const fit = fitExponential({ binEdges: edges, counts: sample(seededRandom(11)) });
    expect(fit.parameterNames).toEqual(['amplitude', 'tau']);
    expect(fit.converged).toBe(true);
    expectWithin3Sigma(fit, truth);
    // statistical expectation of σ_τ: the Poisson Fisher information of the
    // exact expected bin contents N·(e^(−a/τ) − e^(−b/τ)) with N and τ free
    // (≈ 8 % above τ/√N here because the histogram stops at 8 = 5.3 τ)
    const binMu = (n: number, t: number) => Array.from({ length: 40 }, (_, i) => n * (Math.exp(-edges[i] / t) - Math.exp(-edges[i + 1] / t)));
    const eps = 1e-6;
    const m0 = binMu(expected, tau);
    const dN = binMu(expected + eps, tau).map((v, i) => (v - binMu(expected - eps, tau)[i]) / (2 * eps));
    const dT = binMu(expected, tau + eps).map((v, i) => (v - binMu(expected, tau - eps)[i]) / (2 * eps));
    let iNN = 0,
      iNT = 0,
      iTT = 0;
    m0.forEach((m, i) => {
      iNN += (dN[i] * dN[i]) / m;
      iNT += (dN[i] * dT[i]) / m;
      iTT += (dT[i] * dT[i]) / m;
    });
    const sigmaTau = Math.sqrt(iNN / (iNN * iTT - iNT * iNT));
    expect(sigmaTau / (tau / Math.sqrt(expected))).toBeGreaterThan(1.05);
    // the fit's error scales with its own τ̂ and N̂, which fluctuate by ~1.5 %
    expect(Math.abs(fit.errors[1] / sigmaTau - 1)).toBeLessThan(0.05);
    expect(evaluateFit(fit, 1)).toBeCloseTo(fit.parameters[0] * Math.exp(-1 / fit.parameters[1]), 10);
  });

  it(`has pulls with mean ≈ 0 and std ≈ 1 over ${REPETITIONS} repetitions`, () => {
    const rng = seededRandom(99);
    const pulls: number[][] = [[], []];
    for (let r = 0; r < REPETITIONS; r++) {
      const fit = fitExponential({ binEdges: edges, counts: sample(rng) });
      for (let j = 0; j < 2; j++) pulls[j].push((fit.parameters[j] - truth[j]) / fit.errors[j]);
    }
    expectPullsStandardNormal(pulls[0], 'amplitude');
    expectPullsStandardNormal(pulls[1], 'tau');
  });

  it('uses the reference x0 and fits rising exponentials (negative τ)', () => {
    const centres = Float64Array.from({ length: 20 }, (_, i) => 100 + i);
    const counts = centres.map((x) => 50 * Math.exp((x - 100) / 8));
    const fit = fitExponential({ binCenters: centres, counts, errors: counts.map((c) => Math.sqrt(c)) }, { x0: 100 });
    expect(fit.parameters[0]).toBeCloseTo(50, 6);
    expect(fit.parameters[1]).toBeCloseTo(-8, 6);
    expect(fit.chi2).toBeLessThan(1e-12);
    expect(evaluateFit(fit, 110)).toBeCloseTo(50 * Math.exp(10 / 8), 6);
  });
});

describe('fitPolynomial (linear least squares)', () => {
  const coeffs = [3, -0.5, 0.02];
  const centres = Float64Array.from({ length: 40 }, (_, i) => 0.25 + 0.5 * i);
  const poly = (x: number) => coeffs[0] + coeffs[1] * x + coeffs[2] * x * x;

  it('reproduces noiseless data exactly, also far from x = 0', () => {
    const fit = fitPolynomial({ binCenters: centres, counts: centres.map(poly), errors: new Float64Array(40).fill(0.1) }, 2);
    fit.parameters.forEach((p, j) => expect(p).toBeCloseTo(coeffs[j], 10));
    expect(fit.chi2).toBeLessThan(1e-18);
    const far = centres.map((x) => x + 1000);
    const farFit = fitPolynomial({ binCenters: far, counts: far.map((x) => poly(x - 1000)), errors: new Float64Array(40).fill(0.1) }, 2);
    for (const x of far) expect(evaluateFit(farFit, x)).toBeCloseTo(poly(x - 1000), 6);
  });

  it(`recovers the coefficients with pulls of mean ≈ 0 and std ≈ 1 (${REPETITIONS} repetitions, supplied errors)`, () => {
    const rng = seededRandom(5);
    const err = 0.3;
    const errors = new Float64Array(40).fill(err);
    const pulls: number[][] = [[], [], []];
    for (let r = 0; r < REPETITIONS; r++) {
      const counts = centres.map((x) => poly(x) + rng.normal(0, err));
      const fit = fitPolynomial({ binCenters: centres, counts, errors }, 2);
      if (r === 0) expectWithin3Sigma(fit, coeffs);
      for (let j = 0; j < 3; j++) pulls[j].push((fit.parameters[j] - coeffs[j]) / fit.errors[j]);
    }
    pulls.forEach((p, j) => expectPullsStandardNormal(p, `c${j}`));
  });

  it('fits Poisson histogram data by reweighting (a flat background)', () => {
    const rng = seededRandom(8);
    const edges = linspace(0, 10, 50);
    const level = 40;
    const pulls: number[] = [];
    for (let r = 0; r < REPETITIONS; r++) {
      const counts = new Float64Array(50).map(() => rng.poisson(level));
      const fit = fitPolynomial({ binEdges: edges, counts }, 0);
      pulls.push((fit.parameters[0] - level) / fit.errors[0]);
      // the Poisson ML estimate of a constant is the mean of the bins
      if (r === 0) expect(fit.parameters[0]).toBeCloseTo(counts.reduce((a, b) => a + b, 0) / 50, 6);
    }
    expectPullsStandardNormal(pulls, 'c0');
  });

  it('rejects fits with fewer bins than parameters', () => {
    expect(() => fitPolynomial({ binCenters: [1, 2], counts: [1, 2], errors: [1, 1] }, 2)).toThrow(/usable bins/);
  });
});

describe('fitting a Histogram1D', () => {
  it('uses Poisson errors for unweighted and √Σw² for weighted histograms', () => {
    const rng = seededRandom(12);
    const h = createHistogram1D({ nBins: 40, lo: -4, hi: 4 });
    const values = Float64Array.from({ length: rng.poisson(4000) }, () => rng.normal(0.3, 1.1));
    fillArray(h, values);
    const plain = fitGaussian(fitDataFromHistogram(h));
    expect(plain.errorModel).toBe('poisson');
    expectWithin3Sigma(plain, [(values.length * 0.2) / (1.1 * Math.sqrt(2 * Math.PI)), 0.3, 1.1]);
    const hw = createHistogram1D({ nBins: 40, lo: -4, hi: 4 });
    fillArray(hw, values, new Float64Array(values.length).fill(0.5));
    const weighted = fitGaussian(fitDataFromHistogram(hw));
    expect(weighted.errorModel).toBe('supplied');
    // same shape, half the contents, errors of the contents halved: mean and σ unchanged
    expect(weighted.parameters[1]).toBeCloseTo(fitGaussian(fitDataFromHistogram(h), { errorModel: 'neyman' }).parameters[1], 8);
  });
});
