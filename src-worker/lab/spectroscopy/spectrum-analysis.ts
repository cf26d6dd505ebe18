/**
 * From pulse heights to fitted lines: the pulse-height spectrum, its peaks,
 * a photopeak fit per peak, optionally a rise-time correction measured on
 * the most prominent peak (or one given) and an energy calibration applied
 * to every fit. Pure and synchronous: what `lightpool spectrum` prints and
 * what a spectrum view redraws when the user changes bins or calibration.
 */
import { createHistogram1D, fillArray, type Histogram1D } from '../../histogram/histogram-1d.js';
import { findSpectrumPeaks, type PeakSearchOptions, type SpectrumPeakCandidate } from './spectrum-peaks.js';
import { calibratePeak, fitPhotopeak, type PhotopeakFit, type PhotopeakFitOptions } from './photopeak-fit.js';
import { fitEnergyCalibration, type CalibrationPoint, type EnergyCalibration } from './energy-calibration.js';
import { applyRiseTimeCorrection, fitRiseTimeCorrection, type RiseTimeCorrection } from './rise-time-correction.js';

export interface SpectrumAnalysisOptions {
  /** number of bins; default 2048 */
  bins?: number;
  /** [lo, hi) of the spectrum; default [0, 1.02 × the largest pulse height] */
  range?: [number, number];
  peaks?: PeakSearchOptions;
  fit?: PhotopeakFitOptions;
  /** ADC=keV pairs (two or more) for the energy calibration */
  calibration?: CalibrationPoint[];
  /** degree of the calibration polynomial; default 1 */
  calibrationDegree?: number;
  /**
   * rise-time correction: true measures it on the most prominent peak, a
   * [lo, hi] window on that line; needs rise times
   */
  riseTimeCorrection?: boolean | [number, number];
}

export interface SpectrumAnalysis {
  /** the pulse heights the spectrum was filled with (corrected when asked) */
  heights: Float64Array;
  histogram: Histogram1D;
  candidates: SpectrumPeakCandidate[];
  /** one fit per candidate that could be fitted, by position */
  peaks: PhotopeakFit[];
  /** candidates whose fit failed, with the reason */
  failed: { position: number; reason: string }[];
  calibration?: EnergyCalibration;
  correction?: RiseTimeCorrection;
}

export function fillSpectrum(values: ArrayLike<number>, bins: number, range?: [number, number]): Histogram1D {
  let lo = 0,
    hi = 0;
  if (range) [lo, hi] = range;
  else {
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
    hi = Number.isFinite(max) && max > 0 ? 1.02 * max : 1;
  }
  const h = createHistogram1D({ nBins: bins, lo, hi });
  fillArray(h, values);
  return h;
}

function fitAll(h: Histogram1D, candidates: SpectrumPeakCandidate[], options: PhotopeakFitOptions | undefined) {
  const peaks: PhotopeakFit[] = [];
  const failed: { position: number; reason: string }[] = [];
  for (const c of candidates) {
    try {
      const f = fitPhotopeak(h.edges, h.counts, c.position, c.fwhm, options);
      if (!(f.centroid > f.range[0] && f.centroid < f.range[1]) || !(f.sigma > 0) || !Number.isFinite(f.centroidError)) {
        failed.push({ position: c.position, reason: 'the fit left its range or found no peak' });
      } else peaks.push(f);
    } catch (err) {
      failed.push({ position: c.position, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { peaks, failed };
}

export function analyseSpectrum(
  amplitude: ArrayLike<number>,
  riseTime: ArrayLike<number> | undefined,
  options: SpectrumAnalysisOptions = {},
): SpectrumAnalysis {
  const bins = options.bins ?? 2048;
  if (!Number.isInteger(bins) || bins < 8) throw new Error(`bins must be a whole number ≥ 8, got ${bins}`);
  let heights: Float64Array = Float64Array.from(amplitude);
  let h = fillSpectrum(heights, bins, options.range);
  let candidates = findSpectrumPeaks(h.edges, h.counts, options.peaks);
  let correction: RiseTimeCorrection | undefined;
  if (options.riseTimeCorrection) {
    if (!riseTime) throw new Error('the rise-time correction needs the rise times of the pulses');
    let window: [number, number];
    if (Array.isArray(options.riseTimeCorrection)) window = options.riseTimeCorrection;
    else {
      const top = candidates.reduce<SpectrumPeakCandidate | undefined>((best, c) => (!best || c.prominence > best.prominence ? c : best), undefined);
      if (!top) throw new Error('no peak found to measure the rise-time correction on');
      const first = fitPhotopeak(h.edges, h.counts, top.position, top.fwhm, options.fit);
      const w = Math.max(3 * first.fwhm, 3 * top.fwhm);
      window = [first.centroid - w, first.centroid + w];
    }
    correction = fitRiseTimeCorrection(heights, riseTime, window);
    heights = applyRiseTimeCorrection(heights, riseTime, correction);
    h = fillSpectrum(heights, bins, options.range ?? [h.lo, h.hi]);
    candidates = findSpectrumPeaks(h.edges, h.counts, options.peaks);
  }
  const { peaks, failed } = fitAll(h, candidates, options.fit);
  let calibration: EnergyCalibration | undefined;
  let calibrated = peaks;
  if (options.calibration) {
    calibration = fitEnergyCalibration(options.calibration, options.calibrationDegree ?? 1);
    const cal = calibration;
    calibrated = peaks.map((p) => calibratePeak(p, cal));
  }
  return { heights, histogram: h, candidates, peaks: calibrated, failed, calibration, correction };
}
