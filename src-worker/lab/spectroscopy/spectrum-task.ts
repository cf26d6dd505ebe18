/**
 * The worker-pool task of a spectrum view: the pulse-height spectrum of
 * shaped signals analysed (analyseSpectrum: peaks, photopeak fits, rise-time
 * correction, calibration) off the main thread, with each fitted peak's
 * model sampled for drawing. The per-signal heights are not sent back, only
 * the histogram and the fits.
 */
import { analyseSpectrum, type SpectrumAnalysisOptions } from './spectrum-analysis.js';
import { toKeV, type EnergyCalibration } from './energy-calibration.js';
import type { SpectrumPeakCandidate } from './spectrum-peaks.js';
import type { PhotopeakFit } from './photopeak-fit.js';
import type { RiseTimeCorrection } from './rise-time-correction.js';

export interface SpectrumTask {
  kind: 'lab-spectrum';
  amplitude: Float64Array;
  riseTime?: Float64Array;
  options: Pick<SpectrumAnalysisOptions, 'bins' | 'range' | 'calibration' | 'riseTimeCorrection'>;
}

export interface FittedPeakCurve extends PhotopeakFit {
  /** Gaussian height, counts per bin */
  amplitude: number;
  curve: { x: Float64Array; y: Float64Array; xKeV?: Float64Array };
}

export interface SpectrumTaskResult {
  kind: 'lab-spectrum';
  edges: Float64Array;
  counts: Float64Array;
  edgesKeV?: Float64Array;
  underflow: number;
  overflow: number;
  entries: number;
  candidates: SpectrumPeakCandidate[];
  peaks: FittedPeakCurve[];
  failed: { position: number; reason: string }[];
  calibration?: EnergyCalibration;
  correction?: RiseTimeCorrection;
}

/** points per drawn fit curve */
const CURVE_POINTS = 240;

/** The photopeak model over its fit range (the same function the fit used: Gaussian + b0 + b1·(x − x0)). */
export function peakCurve(p: PhotopeakFit, binWidth: number, cal?: Pick<EnergyCalibration, 'coefficients'>): FittedPeakCurve {
  const amplitude = (p.netCounts * binWidth) / (p.sigma * Math.sqrt(2 * Math.PI));
  const [lo, hi] = p.range;
  const x = new Float64Array(CURVE_POINTS);
  const y = new Float64Array(CURVE_POINTS);
  for (let i = 0; i < CURVE_POINTS; i++) {
    const v = lo + ((hi - lo) * i) / (CURVE_POINTS - 1);
    x[i] = v;
    y[i] = amplitude * Math.exp((-0.5 * (v - p.centroid) ** 2) / (p.sigma * p.sigma)) + p.background + p.slope * (v - p.x0);
  }
  return { ...p, amplitude, curve: { x, y, xKeV: cal ? x.map((v) => toKeV(cal, v)) : undefined } };
}

export function runSpectrumTask(task: SpectrumTask): { result: SpectrumTaskResult; transfer: ArrayBuffer[] } {
  const a = analyseSpectrum(task.amplitude, task.riseTime, task.options);
  const h = a.histogram;
  const binWidth = (h.hi - h.lo) / h.nBins;
  const peaks = a.peaks.map((p) => peakCurve(p, binWidth, a.calibration));
  const cal = a.calibration;
  const edgesKeV = cal ? h.edges.map((e) => toKeV(cal, e)) : undefined;
  const result: SpectrumTaskResult = {
    kind: 'lab-spectrum',
    edges: h.edges,
    counts: h.counts,
    edgesKeV,
    underflow: h.underflow,
    overflow: h.overflow,
    entries: h.entries,
    candidates: a.candidates,
    peaks,
    failed: a.failed,
    calibration: a.calibration,
    correction: a.correction,
  };
  const transfer = [h.edges.buffer, h.counts.buffer, ...(edgesKeV ? [edgesKeV.buffer] : [])];
  for (const p of peaks) transfer.push(p.curve.x.buffer, p.curve.y.buffer, ...(p.curve.xKeV ? [p.curve.xKeV.buffer] : []));
  return { result, transfer: transfer as ArrayBuffer[] };
}
