/**
 * χ² fits of histogram data: Gaussian, exponential (Levenberg–Marquardt, via
 * the `ml-levenberg-marquardt` package) and polynomial (linear least squares).
 *
 * Model per bin. With bin edges the model is the *average of f over the bin*
 * (5-point Gauss–Legendre quadrature, exact for polynomials up to degree 9),
 * so binning does not bias e.g. a Gaussian σ; parameters keep their meaning
 * as values of f (the Gaussian amplitude is the peak height in counts per
 * bin). With bin centres only, f is evaluated at the centres.
 *
 * Errors of the bin contents:
 * - supplied (`data.errors`): used as given; bins with a non-positive or
 *   non-finite error are left out;
 * - 'poisson' (default): the Poisson maximum-likelihood fit, so empty bins
 *   take part and the estimates are free of the bias of σ² = n. Gaussian and
 *   exponential: a least-squares start with σᵢ² = max(nᵢ, 1), then LM on the
 *   deviance residuals (Σ rᵢ² is the Poisson deviance) until the Newton
 *   decrement of the deviance is < 1e-6; polynomials: reweighting σᵢ² = μᵢ
 *   until the parameters are stable (its fixed point solves the same ML
 *   equations Σ (nᵢ − μᵢ)/μᵢ · ∂μᵢ/∂p = 0). Reweighting alone is not used for
 *   the nonlinear models: a bin whose expectation is tiny but whose content is
 *   not (a population the model does not describe) would get an enormous
 *   weight and drag the fit off the peak. The covariance then uses σᵢ² = μᵢ;
 *   χ² is Pearson's χ², and the Poisson deviance (likelihood-ratio χ²) is
 *   reported too;
 * - 'neyman': σᵢ² = nᵢ, empty bins left out (ROOT's default χ² fit).
 *
 * Parameter errors are the square roots of the diagonal of the covariance
 * C = (Jᵀ W J)⁻¹ evaluated at the minimum, J = ∂μ/∂p, W = diag(1/σᵢ²),
 * computed here from the analytic Jacobian (the LM package does not provide
 * it). The errors are taken as absolute: C is *not* scaled by χ²/ndf unless
 * `scaleErrors` is set (scipy's `absolute_sigma=False` convention), which
 * suits data whose errors are known only up to a factor.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { type NonlinearModel, exponentialSlopeModel, gaussianLinearModel, gaussianModel, polynomialModel } from './fit-models.js';
import { invertSymmetricPositiveDefinite, leastSquaresQR } from './linear-algebra.js';

export interface HistogramFitData {
  /** bin edges, length nBins + 1 (the model is averaged over each bin) */
  binEdges?: ArrayLike<number>;
  /** bin centres, length nBins (used when no edges are given) */
  binCenters?: ArrayLike<number>;
  /** bin contents */
  counts: ArrayLike<number>;
  /** standard errors of the bin contents; overrides errorModel */
  errors?: ArrayLike<number>;
}

export type ErrorModel = 'poisson' | 'neyman' | 'supplied';

export interface HistogramFitOptions {
  /** error model when `data.errors` is absent; default 'poisson' */
  errorModel?: 'poisson' | 'neyman';
  /** fit only bins whose centre lies in [lo, hi] */
  range?: [number, number];
  /** scale the covariance by χ²/ndf; default false */
  scaleErrors?: boolean;
  /** starting values (in the reported parametrisation); estimated from the data otherwise */
  initialValues?: number[];
  /** Levenberg–Marquardt iterations per pass; default 200 */
  maxIterations?: number;
}

export interface FitResult {
  model: 'gaussian' | 'exponential' | 'polynomial' | 'gaussian-linear';
  parameterNames: string[];
  parameters: Float64Array;
  errors: Float64Array;
  /** covariance matrix of the parameters, row-major */
  covariance: Float64Array;
  chi2: number;
  /** bins used − free parameters */
  ndf: number;
  /** 2 Σ [μ − n + n ln(n/μ)] at the solution (errorModel 'poisson' only) */
  poissonDeviance?: number;
  nBinsUsed: number;
  errorModel: ErrorModel;
  /** whether the model was averaged over the bins */
  binIntegrated: boolean;
  /** whether the iterations settled (parameter changes < 1e-6 of their errors) */
  converged: boolean;
  /** exponential and gaussian-linear: the reference x0 of A·exp(−(x − x0)/τ) or of the background line */
  x0?: number;
}

// 5-point Gauss–Legendre on [-1, 1]
const GL_T = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
const GL_W = [0.23692688505618908, 0.47862867049937936, 0.5688888888888889, 0.47862867049937936, 0.23692688505618908];
const N_NODES = GL_T.length;
/** floor of the expected content used as a Poisson variance */
const MIN_POISSON_VARIANCE = 1e-9;
const MAX_REWEIGHTINGS = 50;
const MAX_DEVIANCE_PASSES = 8;
const DEVIANCE_PASS_ITERATIONS = 12;

interface Bins {
  n: number;
  center: Float64Array;
  /** quadrature nodes, n × N_NODES (when integrating) */
  nodes: Float64Array | null;
  y: Float64Array;
  suppliedSigma: Float64Array | null;
}

function prepareBins(data: HistogramFitData, options: HistogramFitOptions, errorModel: ErrorModel): Bins {
  const nAll = data.counts.length;
  const edges = data.binEdges;
  const centers = data.binCenters;
  if (edges) {
    if (edges.length !== nAll + 1) throw new Error(`binEdges must have counts.length + 1 = ${nAll + 1} entries, got ${edges.length}`);
  } else if (!centers || centers.length !== nAll) {
    throw new Error('give binEdges (nBins + 1) or binCenters (nBins)');
  }
  if (data.errors && data.errors.length !== nAll) throw new Error('errors must have one entry per bin');
  const [lo, hi] = options.range ?? [-Infinity, Infinity];
  const keep: number[] = [];
  for (let i = 0; i < nAll; i++) {
    const c = edges ? 0.5 * (edges[i] + edges[i + 1]) : centers![i];
    if (!(c >= lo && c <= hi)) continue;
    const y = data.counts[i];
    if (!Number.isFinite(y)) continue;
    if (errorModel === 'supplied') {
      const e = data.errors![i];
      if (!(e > 0) || !Number.isFinite(e)) continue;
    } else if (errorModel === 'neyman' && !(y > 0)) {
      continue;
    }
    keep.push(i);
  }
  const n = keep.length;
  const bins: Bins = {
    n,
    center: new Float64Array(n),
    nodes: edges ? new Float64Array(n * N_NODES) : null,
    y: new Float64Array(n),
    suppliedSigma: errorModel === 'supplied' ? new Float64Array(n) : null,
  };
  keep.forEach((i, k) => {
    bins.y[k] = data.counts[i];
    if (bins.suppliedSigma) bins.suppliedSigma[k] = data.errors![i];
    if (edges) {
      const a = edges[i];
      const b = edges[i + 1];
      const mid = 0.5 * (a + b);
      const half = 0.5 * (b - a);
      bins.center[k] = mid;
      for (let q = 0; q < N_NODES; q++) bins.nodes![k * N_NODES + q] = mid + half * GL_T[q];
    } else {
      bins.center[k] = centers![i];
    }
  });
  return bins;
}

/** The model's expected content of bin k (average over the bin, or value at the centre). */
function binValue(model: NonlinearModel, bins: Bins, k: number, p: ArrayLike<number>): number {
  if (!bins.nodes) return model.value(bins.center[k], p);
  let s = 0;
  for (let q = 0; q < N_NODES; q++) s += GL_W[q] * model.value(bins.nodes[k * N_NODES + q], p);
  return 0.5 * s;
}

function binGradient(model: NonlinearModel, bins: Bins, k: number, p: ArrayLike<number>, out: Float64Array, tmp: Float64Array): void {
  if (!bins.nodes) {
    model.gradient(bins.center[k], p, out);
    return;
  }
  out.fill(0);
  for (let q = 0; q < N_NODES; q++) {
    model.gradient(bins.nodes[k * N_NODES + q], p, tmp);
    for (let j = 0; j < out.length; j++) out[j] += 0.5 * GL_W[q] * tmp[j];
  }
}

function initialSigma(bins: Bins, errorModel: ErrorModel): Float64Array {
  if (bins.suppliedSigma) return Float64Array.from(bins.suppliedSigma);
  // neyman: σ² = n (empty bins were left out); poisson: a start for the reweighting
  return bins.y.map((y) => Math.sqrt(errorModel === 'neyman' ? y : Math.max(y, 1)));
}

function poissonSigma(model: NonlinearModel, bins: Bins, p: ArrayLike<number>): Float64Array {
  const s = new Float64Array(bins.n);
  for (let k = 0; k < bins.n; k++) s[k] = Math.sqrt(Math.max(binValue(model, bins, k, p), MIN_POISSON_VARIANCE));
  return s;
}

/** (JᵀWJ)⁻¹ at p, or null if singular. */
function covarianceAt(model: NonlinearModel, bins: Bins, p: ArrayLike<number>, sigma: Float64Array): Float64Array | null {
  const np = model.parameterNames.length;
  const g = new Float64Array(np);
  const tmp = new Float64Array(np);
  const jtj = new Float64Array(np * np);
  for (let k = 0; k < bins.n; k++) {
    binGradient(model, bins, k, p, g, tmp);
    const w = 1 / (sigma[k] * sigma[k]);
    for (let a = 0; a < np; a++) for (let b = 0; b <= a; b++) jtj[a * np + b] += w * g[a] * g[b];
  }
  for (let a = 0; a < np; a++) for (let b = 0; b < a; b++) jtj[b * np + a] = jtj[a * np + b];
  return invertSymmetricPositiveDefinite(jtj, np);
}

function chi2At(model: NonlinearModel, bins: Bins, p: ArrayLike<number>, sigma: Float64Array): number {
  let chi2 = 0;
  for (let k = 0; k < bins.n; k++) {
    const r = (bins.y[k] - binValue(model, bins, k, p)) / sigma[k];
    chi2 += r * r;
  }
  return chi2;
}

function poissonDevianceAt(model: NonlinearModel, bins: Bins, p: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < bins.n; k++) {
    const mu = Math.max(binValue(model, bins, k, p), MIN_POISSON_VARIANCE);
    const y = bins.y[k];
    d += mu - y + (y > 0 ? y * Math.log(y / mu) : 0);
  }
  return 2 * d;
}

/**
 * One weighted least-squares minimisation with fixed σ: LM on the normalised
 * residuals (yᵢ − μᵢ)/σᵢ. The package's damping is added to JᵀJ as λ·I, so it
 * depends on the units of the parameters (an amplitude of 10⁴ counts next to a
 * width of 10⁻² deg): the minimisation runs in scaled coordinates
 * q = (p − p_start)/scale, each of order one, which keeps its steps sane.
 */
function minimiseLM(model: NonlinearModel, bins: Bins, pStart: number[], scales: number[], sigma: Float64Array, maxIterations: number): number[] {
  const np = model.parameterNames.length;
  const index = new Float64Array(bins.n).map((_, k) => k);
  const yNorm = bins.y.map((y, k) => y / sigma[k]);
  const g = new Float64Array(np);
  const tmp = new Float64Array(np);
  const p = new Float64Array(np);
  const toP = (q: number[]) => {
    for (let j = 0; j < np; j++) p[j] = pStart[j] + scales[j] * q[j];
    return p;
  };
  // The package's `weights` option is not used: the residuals are normalised
  // here, so every point has unit weight and the objective is exactly χ².
  const result = levenbergMarquardt(
    { x: index, y: yNorm },
    (q: number[]) => {
      const pq = Float64Array.from(toP(q));
      return (x: number) => binValue(model, bins, x, pq) / sigma[x];
    },
    {
      initialValues: new Array<number>(np).fill(0),
      jacobianFunction: (q: number[]) => {
        const pq = Float64Array.from(toP(q));
        return (x: number) => {
          binGradient(model, bins, x, pq, g, tmp);
          const out = new Array<number>(np);
          for (let j = 0; j < np; j++) out[j] = (g[j] * scales[j]) / sigma[x];
          return out;
        };
      },
      damping: 1e-3,
      maxIterations,
      errorTolerance: 0,
    },
  );
  return Array.from(toP(result.parameterValues));
}

/**
 * Poisson maximum likelihood by LM on the deviance residuals
 * rᵢ = sign(nᵢ − μᵢ)·√(2(μᵢ − nᵢ + nᵢ ln(nᵢ/μᵢ))), whose sum of squares is the
 * Poisson deviance: minimising it is the ML fit itself, robust to bins the
 * model cannot describe (where Pearson reweighting, σ² = μ, would blow up
 * the weight of a bin whose expectation is tiny). Same scaled coordinates as
 * minimiseLM.
 */
function minimiseDeviance(model: NonlinearModel, bins: Bins, pStart: number[], scales: number[], maxIterations: number): number[] {
  const np = model.parameterNames.length;
  const index = new Float64Array(bins.n).map((_, k) => k);
  const g = new Float64Array(np);
  const tmp = new Float64Array(np);
  const p = new Float64Array(np);
  const toP = (q: number[]) => {
    for (let j = 0; j < np; j++) p[j] = pStart[j] + scales[j] * q[j];
    return Float64Array.from(p);
  };
  const residual = (k: number, mu: number): number => {
    const n = bins.y[k];
    const d = 2 * (mu - n + (n > 0 ? n * Math.log(n / mu) : 0));
    return (n > mu ? 1 : -1) * Math.sqrt(Math.max(d, 0));
  };
  const result = levenbergMarquardt(
    { x: index, y: new Float64Array(bins.n) },
    (q: number[]) => {
      const pq = toP(q);
      // residual y − f = r with y = 0
      return (k: number) => -residual(k, Math.max(binValue(model, bins, k, pq), MIN_POISSON_VARIANCE));
    },
    {
      initialValues: new Array<number>(np).fill(0),
      jacobianFunction: (q: number[]) => {
        const pq = toP(q);
        return (k: number) => {
          const mu = Math.max(binValue(model, bins, k, pq), MIN_POISSON_VARIANCE);
          const n = bins.y[k];
          const r = residual(k, mu);
          const drdmu = Math.abs(r) > 1e-6 * Math.sqrt(Math.max(n, 1)) ? (1 - n / mu) / r : -1 / Math.sqrt(mu);
          binGradient(model, bins, k, pq, g, tmp);
          const out = new Array<number>(np);
          for (let j = 0; j < np; j++) out[j] = -drdmu * g[j] * scales[j];
          return out;
        };
      },
      damping: 1e-3,
      maxIterations,
      errorTolerance: 0,
    },
  );
  return Array.from(toP(result.parameterValues));
}

/** Newton decrement of the deviance at p: the expected decrease still to come (converged when ≪ 1). */
function devianceDecrement(model: NonlinearModel, bins: Bins, p: ArrayLike<number>, cov: Float64Array): number {
  const np = model.parameterNames.length;
  const score = new Float64Array(np);
  const g = new Float64Array(np);
  const tmp = new Float64Array(np);
  for (let k = 0; k < bins.n; k++) {
    const mu = Math.max(binValue(model, bins, k, p), MIN_POISSON_VARIANCE);
    binGradient(model, bins, k, p, g, tmp);
    const f = 1 - bins.y[k] / mu;
    for (let j = 0; j < np; j++) score[j] += f * g[j];
  }
  let q = 0;
  for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) q += score[a] * cov[a * np + b] * score[b];
  return 2 * q;
}

/** Weighted linear least squares with fixed σ (the model is linear in its parameters). */
function minimiseLinear(model: NonlinearModel, bins: Bins, sigma: Float64Array): number[] | null {
  const np = model.parameterNames.length;
  const A = new Float64Array(bins.n * np);
  const b = new Float64Array(bins.n);
  const g = new Float64Array(np);
  const tmp = new Float64Array(np);
  const zero = new Float64Array(np);
  for (let k = 0; k < bins.n; k++) {
    binGradient(model, bins, k, zero, g, tmp);
    for (let j = 0; j < np; j++) A[k * np + j] = g[j] / sigma[k];
    b[k] = bins.y[k] / sigma[k];
  }
  const sol = leastSquaresQR(A, bins.n, np, b);
  return sol ? Array.from(sol.x) : null;
}

interface CoreResult {
  p: number[];
  covariance: Float64Array;
  sigma: Float64Array;
  converged: boolean;
}

function fitCore(
  model: NonlinearModel,
  bins: Bins,
  errorModel: ErrorModel,
  p0: number[],
  linear: boolean,
  maxIterations: number,
  /** typical size of each parameter's change (LM works in units of these) */
  scales: number[] = p0.map((v) => Math.abs(v) || 1),
): CoreResult {
  const np = model.parameterNames.length;
  if (bins.n < np) throw new Error(`only ${bins.n} usable bins for ${np} parameters`);
  let sigma = initialSigma(bins, errorModel);
  let p = p0.slice();
  let converged = errorModel !== 'poisson';
  const passes = errorModel === 'poisson' ? MAX_REWEIGHTINGS : 1;
  let cov: Float64Array | null = null;
  if (errorModel === 'poisson' && !linear) {
    // start from a least-squares fit with σ² = max(n, 1), then maximise the Poisson likelihood
    const start = minimiseLM(model, bins, p, scales, sigma, Math.min(maxIterations, 30));
    if (start.every(Number.isFinite) && poissonDevianceAt(model, bins, start) < poissonDevianceAt(model, bins, p)) p = start;
    let deviance = poissonDevianceAt(model, bins, p);
    // short LM runs, stopped as soon as the Newton decrement says the minimum is reached
    // (the package runs all its iterations: it has no relative tolerance)
    const passes = Math.max(MAX_DEVIANCE_PASSES, Math.ceil(maxIterations / DEVIANCE_PASS_ITERATIONS));
    for (let pass = 0; pass < passes; pass++) {
      const next = minimiseDeviance(model, bins, p, scales, Math.min(maxIterations, DEVIANCE_PASS_ITERATIONS));
      const d = next.every(Number.isFinite) ? poissonDevianceAt(model, bins, next) : NaN;
      if (d < deviance) {
        p = next;
        deviance = d;
      }
      sigma = poissonSigma(model, bins, p);
      cov = covarianceAt(model, bins, p, sigma);
      if (cov && devianceDecrement(model, bins, p, cov) < 1e-6) {
        converged = true;
        break;
      }
    }
    cov = covarianceAt(model, bins, p, sigma);
    if (!cov) throw new Error('fit failed: the covariance matrix is singular (parameters not constrained by the data)');
    return { p, covariance: cov, sigma, converged };
  }
  for (let pass = 0; pass < passes; pass++) {
    // after the first pass the start is already close: fewer LM iterations suffice
    const iterations = pass === 0 ? maxIterations : Math.min(maxIterations, 40);
    const next = linear ? minimiseLinear(model, bins, sigma) : minimiseLM(model, bins, p, scales, sigma, iterations);
    if (!next || next.some((v) => !Number.isFinite(v))) throw new Error('fit failed: singular or non-finite solution');
    const previous = p;
    p = next;
    if (errorModel !== 'poisson') break;
    sigma = poissonSigma(model, bins, p);
    cov = covarianceAt(model, bins, p, sigma);
    if (pass > 0 && cov) {
      let settled = true;
      for (let j = 0; j < np; j++) {
        if (Math.abs(p[j] - previous[j]) > 1e-6 * Math.sqrt(cov[j * np + j])) settled = false;
      }
      if (settled) {
        converged = true;
        break;
      }
    }
  }
  cov = covarianceAt(model, bins, p, sigma);
  if (!cov) throw new Error('fit failed: the covariance matrix is singular (parameters not constrained by the data)');
  return { p, covariance: cov, sigma, converged };
}

function resolveErrorModel(data: HistogramFitData, options: HistogramFitOptions): ErrorModel {
  return data.errors ? 'supplied' : (options.errorModel ?? 'poisson');
}

function finish(
  name: FitResult['model'],
  names: readonly string[],
  model: NonlinearModel,
  bins: Bins,
  errorModel: ErrorModel,
  core: CoreResult,
  options: HistogramFitOptions,
  reported: { parameters: number[]; covariance: Float64Array },
): FitResult {
  const np = names.length;
  const chi2 = chi2At(model, bins, core.p, core.sigma);
  const ndf = bins.n - np;
  const covariance = Float64Array.from(reported.covariance);
  if (options.scaleErrors && ndf > 0) {
    const f = chi2 / ndf;
    for (let i = 0; i < covariance.length; i++) covariance[i] *= f;
  }
  const errors = new Float64Array(np);
  for (let j = 0; j < np; j++) errors[j] = Math.sqrt(covariance[j * np + j]);
  const result: FitResult = {
    model: name,
    parameterNames: [...names],
    parameters: Float64Array.from(reported.parameters),
    errors,
    covariance,
    chi2,
    ndf,
    nBinsUsed: bins.n,
    errorModel,
    binIntegrated: bins.nodes !== null,
    converged: core.converged,
  };
  if (errorModel === 'poisson') result.poissonDeviance = poissonDevianceAt(model, bins, core.p);
  return result;
}

/** Fit A·exp(−(x − μ)²/(2σ²)); parameters [amplitude, mean, sigma], σ reported positive. */
export function fitGaussian(data: HistogramFitData, options: HistogramFitOptions = {}): FitResult {
  const errorModel = resolveErrorModel(data, options);
  const bins = prepareBins(data, options, errorModel);
  let p0 = options.initialValues;
  if (!p0) {
    let sw = 0,
      sx = 0,
      sxx = 0,
      max = -Infinity;
    for (let k = 0; k < bins.n; k++) {
      const w = Math.max(bins.y[k], 0);
      sw += w;
      sx += w * bins.center[k];
      if (bins.y[k] > max) max = bins.y[k];
    }
    if (!(sw > 0)) throw new Error('no positive bin contents to start a Gaussian fit from');
    const mean = sx / sw;
    for (let k = 0; k < bins.n; k++) sxx += Math.max(bins.y[k], 0) * (bins.center[k] - mean) ** 2;
    let sd = Math.sqrt(sxx / sw);
    if (!(sd > 0)) sd = bins.n > 1 ? Math.abs(bins.center[1] - bins.center[0]) : 1;
    p0 = [max, mean, sd];
  }
  const width = Math.abs(p0[2]) || 1;
  const core = fitCore(gaussianModel, bins, errorModel, p0, false, options.maxIterations ?? 200, [Math.abs(p0[0]) || 1, width, width]);
  core.p[2] = Math.abs(core.p[2]);
  // the covariance does not depend on the sign convention of σ except the off-diagonal σ terms
  const cov = covarianceAt(gaussianModel, bins, core.p, core.sigma)!;
  return finish('gaussian', gaussianModel.parameterNames, gaussianModel, bins, errorModel, core, options, {
    parameters: core.p,
    covariance: cov,
  });
}

export interface ExponentialFitOptions extends HistogramFitOptions {
  /** reference x0 of A·exp(−(x − x0)/τ); default 0 */
  x0?: number;
}

/**
 * Fit A·exp(−(x − x0)/τ); parameters [amplitude, tau]. Internally the slope
 * λ = −1/τ is fitted (so flat and rising data work too); τ's error is
 * propagated linearly, σ_τ = σ_λ/λ².
 */
export function fitExponential(data: HistogramFitData, options: ExponentialFitOptions = {}): FitResult {
  const x0 = options.x0 ?? 0;
  const errorModel = resolveErrorModel(data, options);
  const bins = prepareBins(data, options, errorModel);
  const model = exponentialSlopeModel(x0);
  let p0: number[];
  if (options.initialValues) {
    const [a, tau] = options.initialValues;
    p0 = [a, -1 / tau];
  } else {
    // log-linear fit on the positive bins, weights ∝ content (var ln n ≈ 1/n)
    const rows: number[] = [];
    for (let k = 0; k < bins.n; k++) if (bins.y[k] > 0) rows.push(k);
    if (rows.length < 2) throw new Error('need at least 2 positive bins to start an exponential fit');
    const A = new Float64Array(rows.length * 2);
    const b = new Float64Array(rows.length);
    rows.forEach((k, r) => {
      const w = Math.sqrt(bins.y[k]);
      A[r * 2] = w;
      A[r * 2 + 1] = w * (bins.center[k] - x0);
      b[r] = w * Math.log(bins.y[k]);
    });
    const sol = leastSquaresQR(A, rows.length, 2, b);
    if (!sol) throw new Error('cannot start an exponential fit: degenerate bins');
    p0 = [Math.exp(sol.x[0]), sol.x[1]];
  }
  const span = bins.n > 1 ? Math.abs(bins.center[bins.n - 1] - bins.center[0]) : 1;
  const core = fitCore(model, bins, errorModel, p0, false, options.maxIterations ?? 200, [Math.abs(p0[0]) || 1, Math.max(Math.abs(p0[1]), 1 / (span || 1))]);
  const [amp, slope] = core.p;
  const tau = -1 / slope;
  // covariance of (A, τ) = T C Tᵀ with T = diag(1, 1/λ²)
  const c = core.covariance;
  const d = 1 / (slope * slope);
  const cov = Float64Array.from([c[0], c[1] * d, c[2] * d, c[3] * d * d]);
  const result = finish('exponential', ['amplitude', 'tau'], model, bins, errorModel, core, options, {
    parameters: [amp, tau],
    covariance: cov,
  });
  result.x0 = x0;
  return result;
}

/** Fit Σ c_j x^j, j = 0..degree (linear least squares; Poisson errors by reweighting). */
export function fitPolynomial(data: HistogramFitData, degree: number, options: HistogramFitOptions = {}): FitResult {
  if (!Number.isInteger(degree) || degree < 0) throw new Error(`invalid polynomial degree ${degree}`);
  const errorModel = resolveErrorModel(data, options);
  const bins = prepareBins(data, options, errorModel);
  const model = polynomialModel(degree);
  const core = fitCore(model, bins, errorModel, new Array<number>(degree + 1).fill(0), true, 0);
  return finish('polynomial', model.parameterNames, model, bins, errorModel, core, options, {
    parameters: core.p,
    covariance: core.covariance,
  });
}

export interface GaussianLinearFitOptions extends HistogramFitOptions {
  /** reference x0 of the background line b0 + b1·(x − x0); default the middle of the fitted range */
  x0?: number;
}

/**
 * Fit a Gaussian peak on a linear background, A·exp(−(x − μ)²/(2σ²)) +
 * b0 + b1·(x − x0); parameters [amplitude, mean, sigma, background, slope],
 * σ reported positive. Starting values, unless given: the background line
 * through the means of the first and last three bins, the peak's height
 * above it at the highest bin, its position, and σ from the width at half
 * height above the background.
 */
export function fitGaussianLinear(data: HistogramFitData, options: GaussianLinearFitOptions = {}): FitResult {
  const errorModel = resolveErrorModel(data, options);
  const bins = prepareBins(data, options, errorModel);
  if (bins.n < 6) throw new Error(`only ${bins.n} bins in the fit range: a peak on a linear background needs at least 6`);
  const x0 = options.x0 ?? 0.5 * (bins.center[0] + bins.center[bins.n - 1]);
  const model = gaussianLinearModel(x0);
  let p0 = options.initialValues;
  if (!p0) {
    const e = Math.min(3, Math.floor(bins.n / 4));
    let yl = 0,
      xl = 0,
      yr = 0,
      xr = 0;
    for (let k = 0; k < e; k++) {
      yl += bins.y[k] / e;
      xl += bins.center[k] / e;
      yr += bins.y[bins.n - 1 - k] / e;
      xr += bins.center[bins.n - 1 - k] / e;
    }
    const slope = xr !== xl ? (yr - yl) / (xr - xl) : 0;
    const bg = (x: number) => yl + slope * (x - xl);
    let top = 0;
    for (let k = 1; k < bins.n; k++) if (bins.y[k] - bg(bins.center[k]) > bins.y[top] - bg(bins.center[top])) top = k;
    const height = Math.max(bins.y[top] - bg(bins.center[top]), 1e-9);
    let lo = top,
      hi = top;
    while (lo > 0 && bins.y[lo - 1] - bg(bins.center[lo - 1]) > 0.5 * height) lo--;
    while (hi < bins.n - 1 && bins.y[hi + 1] - bg(bins.center[hi + 1]) > 0.5 * height) hi++;
    const binWidth = Math.abs(bins.center[Math.min(1, bins.n - 1)] - bins.center[0]) || 1;
    const fwhm = Math.max(binWidth, bins.center[hi] - bins.center[lo] + binWidth);
    p0 = [height, bins.center[top], fwhm / 2.3548200450309493, bg(x0), slope];
  }
  const width = Math.abs(p0[2]) || 1;
  const scaleY = Math.max(Math.abs(p0[0]), Math.abs(p0[3]), 1);
  const span = Math.abs(bins.center[bins.n - 1] - bins.center[0]) || 1;
  const core = fitCore(model, bins, errorModel, p0, false, options.maxIterations ?? 200, [Math.abs(p0[0]) || 1, width, width, scaleY, scaleY / span]);
  core.p[2] = Math.abs(core.p[2]);
  const cov = covarianceAt(model, bins, core.p, core.sigma);
  if (!cov) throw new Error('fit failed: the covariance matrix is singular (parameters not constrained by the data)');
  const result = finish('gaussian-linear', model.parameterNames, model, bins, errorModel, core, options, { parameters: core.p, covariance: cov });
  result.x0 = x0;
  return result;
}

/** The fitted function at x (not averaged over a bin). */
export function evaluateFit(result: FitResult, x: number): number {
  const p = result.parameters;
  switch (result.model) {
    case 'gaussian':
      return gaussianModel.value(x, p);
    case 'exponential':
      return p[0] * Math.exp(-(x - (result.x0 ?? 0)) / p[1]);
    case 'polynomial':
      return polynomialModel(p.length - 1).value(x, p);
    case 'gaussian-linear':
      return gaussianLinearModel(result.x0 ?? 0).value(x, p);
  }
}
