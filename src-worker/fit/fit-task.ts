/**
 * One histogram fit as a message-in, message-out task (what the fit worker
 * runs): the model by name, plain arrays in, plain numbers out.
 */
import { fitExponential, fitGaussian, fitPolynomial, type FitResult, type HistogramFitOptions } from './histogram-fit.js';

export interface FitTask {
  edges: number[];
  counts: number[];
  errors?: number[];
  model: 'gaussian' | 'exponential' | 'polynomial';
  degree?: number;
  range?: [number, number];
  errorModel?: 'poisson' | 'neyman';
}

export interface FitTaskResult {
  model: FitTask['model'];
  parameterNames: string[];
  parameters: number[];
  errors: number[];
  chi2: number;
  ndf: number;
  nBinsUsed: number;
  errorModel: FitResult['errorModel'];
  converged: boolean;
  /** exponential: the reference x0 of A·exp(−(x − x0)/τ) */
  x0?: number;
  /** worker time, ms */
  elapsedMs: number;
}

export function runFitTask(task: FitTask): FitTaskResult {
  const t0 = performance.now();
  if (task.edges.length !== task.counts.length + 1) {
    throw new Error(`a fit needs one more bin edge than bins: got ${task.edges.length} edges for ${task.counts.length} bins`);
  }
  const data = { binEdges: task.edges, counts: task.counts, errors: task.errors };
  const options: HistogramFitOptions = { range: task.range, errorModel: task.errorModel };
  let fit: FitResult;
  if (task.model === 'gaussian') fit = fitGaussian(data, options);
  else if (task.model === 'exponential') {
    // reference x0 at the first fitted bin keeps A and τ weakly correlated
    const x0 = task.range ? Math.max(task.range[0], task.edges[0]) : task.edges[0];
    fit = fitExponential(data, { ...options, x0 });
  } else fit = fitPolynomial(data, task.degree ?? 1, options);
  const out: FitTaskResult = {
    model: task.model,
    parameterNames: fit.parameterNames,
    parameters: Array.from(fit.parameters),
    errors: Array.from(fit.errors),
    chi2: fit.chi2,
    ndf: fit.ndf,
    nBinsUsed: fit.nBinsUsed,
    errorModel: fit.errorModel,
    converged: fit.converged,
    elapsedMs: performance.now() - t0,
  };
  if (fit.x0 !== undefined) out.x0 = fit.x0;
  return out;
}
