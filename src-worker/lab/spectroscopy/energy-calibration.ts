/**
 * Energy calibration of a pulse-height spectrum from two or more lines:
 * pairs (ADC, keV) → keV = Σ c_j·ADC^j by least squares (degree 1 by
 * default, exact through two points; degree ≤ lines − 1). Errors of a peak
 * position propagate with the derivative at the peak.
 */
import { leastSquaresQR } from '../../fit/linear-algebra.js';

export interface CalibrationPoint {
  adc: number;
  keV: number;
}

export interface EnergyCalibration {
  /** keV = Σ coefficients[j]·ADC^j */
  coefficients: number[];
  points: CalibrationPoint[];
  /** keV(point) − point.keV */
  residuals: number[];
}

/** Parses "ADC=keV,ADC=keV,…" (e.g. "1323.6=661.657,0=0"). */
export function parseCalibrationPoints(text: string): CalibrationPoint[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const pts = parts.map((p) => {
    const m = /^([-+0-9.eE]+)\s*=\s*([-+0-9.eE]+)$/.exec(p);
    const adc = m ? Number(m[1]) : NaN;
    const keV = m ? Number(m[2]) : NaN;
    if (!Number.isFinite(adc) || !Number.isFinite(keV)) throw new Error(`calibration point "${p}": write ADC=keV, e.g. 1323.6=661.657`);
    return { adc, keV };
  });
  return pts;
}

export function fitEnergyCalibration(points: CalibrationPoint[], degree = 1): EnergyCalibration {
  if (points.length < 2) throw new Error(`an energy calibration needs at least two lines (ADC=keV pairs), got ${points.length}`);
  if (!Number.isInteger(degree) || degree < 1 || degree > points.length - 1) {
    throw new Error(`calibration degree ${degree}: use 1 up to ${points.length - 1} for ${points.length} lines`);
  }
  const distinct = new Set(points.map((p) => p.adc));
  if (distinct.size <= degree) throw new Error(`the calibration lines need ${degree + 1} different ADC values`);
  const n = points.length;
  const np = degree + 1;
  const A = new Float64Array(n * np);
  const b = new Float64Array(n);
  points.forEach((p, i) => {
    let x = 1;
    for (let j = 0; j < np; j++) {
      A[i * np + j] = x;
      x *= p.adc;
    }
    b[i] = p.keV;
  });
  const sol = leastSquaresQR(A, n, np, b);
  if (!sol) throw new Error('the calibration lines do not determine a calibration (degenerate ADC values)');
  const coefficients = Array.from(sol.x);
  const cal = { coefficients, points: points.slice(), residuals: [] as number[] };
  cal.residuals = points.map((p) => toKeV(cal, p.adc) - p.keV);
  return cal;
}

export function toKeV(cal: Pick<EnergyCalibration, 'coefficients'>, adc: number): number {
  const c = cal.coefficients;
  let v = 0;
  for (let j = c.length - 1; j >= 0; j--) v = v * adc + c[j];
  return v;
}

/** d keV / d ADC at `adc`. */
export function keVPerAdc(cal: Pick<EnergyCalibration, 'coefficients'>, adc: number): number {
  const c = cal.coefficients;
  let v = 0;
  for (let j = c.length - 1; j >= 1; j--) v = v * adc + j * c[j];
  return v;
}
