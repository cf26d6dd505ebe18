/**
 * A photopeak fit: a Gaussian on a linear background (the Compton continuum
 * under the peak) over ±`window` FWHM around a peak of the pulse-height
 * spectrum, by Poisson maximum likelihood (src-worker/fit/histogram-fit.ts,
 * Levenberg–Marquardt on the deviance residuals, the model averaged over
 * each bin). Where the fitted line would go below zero inside the range
 * (no continuum under the peak, as above a Compton edge: a negative
 * expectation is no Poisson model) the peak is fitted without background
 * (`background: 'none'`). Reports the centroid ± error, σ, FWHM = 2√(2 ln 2)·σ, the
 * resolution FWHM/centroid, the net peak counts A·σ·√(2π)/bin width, and,
 * with an energy calibration, the same in keV.
 */
import { fitGaussian, fitGaussianLinear, type FitResult } from '../../fit/histogram-fit.js';
import { keVPerAdc, toKeV, type EnergyCalibration } from './energy-calibration.js';

export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

export interface PhotopeakFitOptions {
  /** half-width of the fit range in units of the FWHM estimate; default 3 */
  window?: number;
  /** least half-width of the fit range, bins; default 8 */
  minBins?: number;
}

export interface PhotopeakFit {
  /** peak position (the spectrum's units, e.g. ADC) */
  centroid: number;
  centroidError: number;
  sigma: number;
  sigmaError: number;
  fwhm: number;
  fwhmError: number;
  /** FWHM / centroid */
  resolution: number;
  /** counts in the peak above the background */
  netCounts: number;
  netCountsError: number;
  /** 'linear', or 'none' where a line would be negative in the range */
  backgroundModel: 'linear' | 'none';
  /** background line b0 + b1·(x − x0) (0 and 0 without background) */
  background: number;
  slope: number;
  x0: number;
  chi2: number;
  ndf: number;
  converged: boolean;
  /** the fitted range */
  range: [number, number];
  /** the same in keV when calibrated */
  keV?: { centroid: number; centroidError: number; fwhm: number; fwhmError: number };
}

export function fitPhotopeak(
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
  position: number,
  fwhmEstimate: number,
  options: PhotopeakFitOptions = {},
): PhotopeakFit {
  const n = counts.length;
  const binWidth = (edges[n] - edges[0]) / n;
  const half = Math.max((options.window ?? 3) * fwhmEstimate, (options.minBins ?? 8) * binWidth);
  const range: [number, number] = [position - half, position + half];
  let fit: FitResult;
  let backgroundModel: PhotopeakFit['backgroundModel'] = 'linear';
  try {
    fit = fitGaussianLinear({ binEdges: edges, counts }, { range, x0: position });
    const [, , , b0, b1] = fit.parameters;
    if (b0 + b1 * (range[0] - position) < 0 || b0 + b1 * (range[1] - position) < 0) throw new Error('negative background');
  } catch {
    fit = fitGaussian({ binEdges: edges, counts }, { range });
    backgroundModel = 'none';
  }
  const np = fit.parameters.length;
  const [A, mu, sigma] = fit.parameters;
  const [b0, b1] = backgroundModel === 'linear' ? [fit.parameters[3], fit.parameters[4]] : [0, 0];
  const e = fit.errors;
  const cov = fit.covariance;
  // net counts N = A·σ·√(2π)/w: dN² = (σ dA)² + (A dσ)² + 2Aσ cov(A,σ), times (√(2π)/w)²
  const k = Math.sqrt(2 * Math.PI) / binWidth;
  const varN = k * k * (sigma * sigma * cov[0] + A * A * cov[2 * np + 2] + 2 * A * sigma * cov[2]);
  return {
    centroid: mu,
    centroidError: e[1],
    sigma,
    sigmaError: e[2],
    fwhm: FWHM_PER_SIGMA * sigma,
    fwhmError: FWHM_PER_SIGMA * e[2],
    resolution: (FWHM_PER_SIGMA * sigma) / mu,
    netCounts: A * sigma * k,
    netCountsError: Math.sqrt(Math.max(varN, 0)),
    backgroundModel,
    background: b0,
    slope: b1,
    x0: position,
    chi2: fit.chi2,
    ndf: fit.ndf,
    converged: fit.converged,
    range,
  };
}

/** Adds the keV values of a fit (derivative of the calibration at the centroid for widths and errors). */
export function calibratePeak(p: PhotopeakFit, cal: Pick<EnergyCalibration, 'coefficients'>): PhotopeakFit {
  const g = Math.abs(keVPerAdc(cal, p.centroid));
  return { ...p, keV: { centroid: toKeV(cal, p.centroid), centroidError: g * p.centroidError, fwhm: g * p.fwhm, fwhmError: g * p.fwhmError } };
}
