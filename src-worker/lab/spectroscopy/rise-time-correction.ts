/**
 * Rise-time (ballistic-deficit) correction of pulse heights. A pulse whose
 * charge arrives slowly loses part of its height in the shaper (the flat top
 * is reached late) and, when the preamplifier decays while the charge is
 * still collected, in the pole-zero correction too; both deficits grow with
 * the rise time and are proportional to the pulse height. A line's pulses
 * then spread along a slope of height against rise time, which broadens the
 * photopeak (on the lab spectrometer's file: 8–25-sample rises, a 0.2–0.7 %
 * deficit, the 1.7 keV line spread to ~4.4 keV FWHM).
 *
 * The correction is measured on one line: the pulses with heights in
 * [lo, hi] and a finite rise time give a straight line height = a + b·t
 * (least squares, then once more without the points beyond 3 standard
 * deviations), and every pulse is scaled by (a + b·t_ref)/(a + b·t), with
 * t_ref the median rise time of the line: a relative correction, the same
 * at every energy.
 */

export interface RiseTimeCorrection {
  intercept: number;
  /** height change per sample of rise time */
  slope: number;
  /** rise time the heights are corrected to, samples */
  reference: number;
  /** pulses the line was fitted to */
  nUsed: number;
  /** the height window of the line */
  window: [number, number];
}

function lineFit(t: number[], a: number[]): { a: number; b: number; rms: number } {
  const n = t.length;
  let st = 0,
    sa = 0;
  for (let i = 0; i < n; i++) {
    st += t[i];
    sa += a[i];
  }
  const mt = st / n,
    ma = sa / n;
  let stt = 0,
    sta = 0;
  for (let i = 0; i < n; i++) {
    stt += (t[i] - mt) ** 2;
    sta += (t[i] - mt) * (a[i] - ma);
  }
  const b = stt > 0 ? sta / stt : 0;
  const a0 = ma - b * mt;
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += (a[i] - a0 - b * t[i]) ** 2;
  return { a: a0, b, rms: Math.sqrt(r2 / Math.max(1, n - 2)) };
}

export function fitRiseTimeCorrection(amplitude: ArrayLike<number>, riseTime: ArrayLike<number>, window: [number, number]): RiseTimeCorrection {
  let t: number[] = [];
  let a: number[] = [];
  for (let i = 0; i < amplitude.length; i++) {
    if (amplitude[i] >= window[0] && amplitude[i] <= window[1] && Number.isFinite(riseTime[i])) {
      t.push(riseTime[i]);
      a.push(amplitude[i]);
    }
  }
  if (t.length < 10) throw new Error(`a rise-time correction needs at least 10 pulses in [${window[0]}, ${window[1]}], found ${t.length}`);
  let f = lineFit(t, a);
  const keepT: number[] = [],
    keepA: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (Math.abs(a[i] - f.a - f.b * t[i]) <= 3 * f.rms) {
      keepT.push(t[i]);
      keepA.push(a[i]);
    }
  }
  if (keepT.length >= 10) {
    t = keepT;
    a = keepA;
    f = lineFit(t, a);
  }
  const sorted = t.slice().sort((x, y) => x - y);
  const reference = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
  return { intercept: f.a, slope: f.b, reference, nUsed: t.length, window };
}

/** Heights scaled to the reference rise time; pulses without a rise time are kept as they are. */
export function applyRiseTimeCorrection(amplitude: ArrayLike<number>, riseTime: ArrayLike<number>, c: RiseTimeCorrection): Float64Array {
  const out = new Float64Array(amplitude.length);
  const ref = c.intercept + c.slope * c.reference;
  for (let i = 0; i < amplitude.length; i++) {
    const t = riseTime[i];
    const d = c.intercept + c.slope * t;
    out[i] = Number.isFinite(t) && d > 0 ? (amplitude[i] * ref) / d : amplitude[i];
  }
  return out;
}
