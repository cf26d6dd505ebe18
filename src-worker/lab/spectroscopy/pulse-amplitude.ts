/**
 * Pulse heights of digitized preamplifier signals (N × samples, any numeric
 * type) with the trapezoidal shaper: per signal
 *
 * 1. baseline: the mean of the first `baselineSamples` samples (the
 *    pre-trigger), subtracted from the signal before shaping; a constant
 *    baseline b would otherwise give an offset b·l/M after the pole-zero
 *    correction (src-worker/lab/waveform/trapezoidal-shaper.ts);
 * 2. the shaped trace (Jordanov's recursion, zero padding before the trace
 *    as numpy's cumsum does, gain M·k by default or (M + 1)·k);
 * 3. the amplitude, from the flat top of the trapezoid:
 *    - 'max' (default): the largest shaped sample in [searchStart, searchEnd),
 *      what `shaped.max(axis=1)` gives;
 *    - 'flat-top-mean': the mean of the central half of the flat top (⌊m/2⌋
 *      samples, at least 1), centred halfway between the half-maximum
 *      crossings of the rising and falling edges around the maximum: less
 *      noise than the maximum (no upward bias from picking the largest of
 *      m + 1 noisy samples), and away from the corners that a slow rise
 *      rounds off;
 * 4. optionally the 10–90 % rise time of the raw (baseline-subtracted)
 *    signal, in samples: on a `riseSmoothing`-sample moving average, walking
 *    back from its maximum to the last samples below 90 % and 10 % of it,
 *    with linear interpolation between samples. Used by the rise-time
 *    (ballistic-deficit) correction of the spectrum.
 */
import {
  checkShaperOptions,
  shapedMaximum,
  shapedMaximumPair,
  shapeTrace,
  shaperGain,
  type NumericSamples,
  type ShaperGain,
} from '../waveform/trapezoidal-shaper.js';

export type AmplitudeMethod = 'max' | 'flat-top-mean';

export interface PulseShapingOptions {
  /** peaking time, samples */
  k: number;
  /** gap (flat top), samples */
  m: number;
  /** decay constant of the recursion, samples (≈ τ of the preamplifier) */
  M: number;
  /** 'Mk' (default: Jordanov's and the seed's M·k) or 'M1k' ((M + 1)·k, flat top = step height) */
  gain?: ShaperGain;
  /** leading samples whose mean is the baseline (0: no subtraction); default 0 */
  baselineSamples?: number;
  /** default 'max' */
  amplitude?: AmplitudeMethod;
  /** first sample searched for the maximum; default 0 */
  searchStart?: number;
  /** end (exclusive) of the search; default the trace length */
  searchEnd?: number;
  /** compute the 10–90 % rise time; default false */
  riseTime?: boolean;
  /** moving-average length for the rise time, samples; default 5 */
  riseSmoothing?: number;
}

export interface PulseMeasurements {
  /** pulse height per signal, in the input's units (ADC) times the gain convention */
  amplitude: Float64Array;
  /** the subtracted baseline per signal (0 without baseline samples) */
  baseline: Float64Array;
  /** sample of the shaped maximum */
  peakSample: Int32Array;
  /** 10–90 % rise time, samples (NaN when not asked or not measurable) */
  riseTime: Float64Array;
}

/** Validates the options against a trace length and fills in the defaults. */
export function resolveShapingOptions(o: PulseShapingOptions, nSamples: number): Required<PulseShapingOptions> {
  checkShaperOptions({ k: o.k, m: o.m, M: o.M, gain: o.gain });
  if (!Number.isInteger(nSamples) || nSamples < 1) throw new Error(`signals need at least one sample, got ${nSamples}`);
  const baselineSamples = o.baselineSamples ?? 0;
  if (!Number.isInteger(baselineSamples) || baselineSamples < 0 || baselineSamples > nSamples) {
    throw new Error(`baseline samples must be a whole number from 0 to the ${nSamples} samples of a signal, got ${baselineSamples}`);
  }
  const amplitude = o.amplitude ?? 'max';
  if (amplitude !== 'max' && amplitude !== 'flat-top-mean') throw new Error(`amplitude must be 'max' or 'flat-top-mean', got ${String(amplitude)}`);
  const searchStart = o.searchStart ?? 0;
  const searchEnd = o.searchEnd ?? nSamples;
  if (!Number.isInteger(searchStart) || !Number.isInteger(searchEnd) || searchStart < 0 || searchEnd > nSamples || searchStart >= searchEnd) {
    throw new Error(`the amplitude search window [${searchStart}, ${searchEnd}) must lie inside the ${nSamples} samples and not be empty`);
  }
  const riseSmoothing = o.riseSmoothing ?? 5;
  if (!Number.isInteger(riseSmoothing) || riseSmoothing < 1) throw new Error(`rise-time smoothing must be a whole number ≥ 1, got ${riseSmoothing}`);
  return { k: o.k, m: o.m, M: o.M, gain: o.gain ?? 'Mk', baselineSamples, amplitude, searchStart, searchEnd, riseTime: o.riseTime ?? false, riseSmoothing };
}

const off2 = (row: number, nSamples: number): number => row * nSamples;

/** Mean of samples [offset, offset + n): an exact integer sum for integer samples, as numpy's mean gives. */
function leadingMean(src: ArrayLike<number>, offset: number, n: number): number {
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += src[offset + i];
  return s / n;
}

/** Mean over the central half of the flat top around the maximum at `peak` (see the file comment). */
export function flatTopMean(trace: Float64Array, peak: number, m: number, end: number): number {
  const top = trace[peak];
  const half = 0.5 * top;
  let rise = peak;
  while (rise > 0 && trace[rise - 1] >= half) rise--;
  let fall = peak;
  while (fall < end - 1 && trace[fall + 1] >= half) fall++;
  const centre = 0.5 * (rise + fall);
  const w = Math.max(1, Math.floor(m / 2));
  let a = Math.round(centre - 0.5 * (w - 1));
  a = Math.max(0, Math.min(a, end - w));
  const b = Math.min(end, a + w);
  let s = 0;
  for (let i = a; i < b; i++) s += trace[i];
  return s / (b - a);
}

/** 10–90 % rise time (samples) of samples [offset, offset + n) minus `baseline`; NaN if there is no rising edge. */
export function riseTime1090(src: ArrayLike<number>, offset: number, n: number, baseline: number, smoothing: number, scratch: Float64Array): number {
  const w = Math.min(smoothing, n);
  // centred moving average (trailing window shifted by half its length)
  let acc = 0;
  for (let i = 0; i < w; i++) acc += src[offset + i] - baseline;
  const m = n - w + 1;
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < m; i++) {
    if (i > 0) acc += src[offset + i + w - 1] - src[offset + i - 1];
    const v = acc / w;
    scratch[i] = v;
    if (v > max) {
      max = v;
      best = i;
    }
  }
  if (!(max > 0)) return NaN;
  const cross = (level: number, from: number): number => {
    for (let j = from; j > 0; j--) {
      if (scratch[j - 1] < level) {
        const lo = scratch[j - 1];
        const hi = scratch[j];
        return j - 1 + (level - lo) / (hi - lo);
      }
    }
    return NaN;
  };
  const t90 = cross(0.9 * max, best);
  if (!Number.isFinite(t90)) return NaN;
  const t10 = cross(0.1 * max, Math.floor(t90));
  return t90 - t10;
}

/**
 * Measures rows [0, nRows) of `signals` (row-major, nSamples per row).
 * `onRow` (optional) is called every `every` rows with the count done, so a
 * caller can report progress or stop (return false to stop early: the rest
 * stays NaN).
 */
export function measurePulses(
  signals: NumericSamples,
  nSamples: number,
  options: PulseShapingOptions,
  onRow?: (done: number) => boolean | void,
  every = 256,
): PulseMeasurements {
  const o = resolveShapingOptions(options, nSamples);
  if (signals.length % nSamples !== 0) throw new Error(`${signals.length} samples do not make whole signals of ${nSamples}`);
  // small integers as such: a length that arrives as a double (HDF5 shapes do) makes every
  // index computation a double and the loops ~1.6× slower
  nSamples |= 0;
  o.k |= 0;
  o.m |= 0;
  o.searchStart |= 0;
  o.searchEnd |= 0;
  o.baselineSamples |= 0;
  const nRows = (signals.length / nSamples) | 0;
  const res: PulseMeasurements = {
    amplitude: new Float64Array(nRows).fill(NaN),
    baseline: new Float64Array(nRows),
    peakSample: new Int32Array(nRows).fill(-1),
    riseTime: new Float64Array(nRows).fill(NaN),
  };
  const gain = shaperGain(o.k, o.M, o.gain);
  const trace = new Float64Array(nSamples);
  const scratch = o.riseTime ? new Float64Array(nSamples) : trace;
  const pair = new Float64Array(4);
  for (let r = 0; r < nRows; r++) {
    if (o.amplitude === 'max' && r + 1 < nRows) {
      // two signals in one pass (see shapedMaximumPair); the rest of the row work one by one
      const offB = off2(r + 1, nSamples);
      const bA = leadingMean(signals, r * nSamples, o.baselineSamples);
      const bB = leadingMean(signals, offB, o.baselineSamples);
      shapedMaximumPair(signals, r * nSamples, offB, nSamples, bA, bB, o.k, o.m, o.M, gain, o.searchStart, o.searchEnd, pair);
      res.baseline[r] = bA;
      res.baseline[r + 1] = bB;
      res.amplitude[r] = pair[0];
      res.peakSample[r] = pair[1];
      res.amplitude[r + 1] = pair[2];
      res.peakSample[r + 1] = pair[3];
      if (o.riseTime) {
        res.riseTime[r] = riseTime1090(signals, r * nSamples, nSamples, bA, o.riseSmoothing, scratch);
        res.riseTime[r + 1] = riseTime1090(signals, offB, nSamples, bB, o.riseSmoothing, scratch);
      }
      r++;
      // report when the pair crossed a multiple of `every`, or finished
      if (onRow && (Math.floor((r + 1) / every) > Math.floor((r - 1) / every) || r + 1 === nRows) && onRow(r + 1) === false) break;
      continue;
    }
    const off = r * nSamples;
    const b = leadingMean(signals, off, o.baselineSamples);
    res.baseline[r] = b;
    if (o.amplitude === 'max') {
      // the fast path: no trace stored
      const { max, at } = shapedMaximum(signals, off, nSamples, b, o.k, o.m, o.M, gain, o.searchStart, o.searchEnd);
      res.peakSample[r] = at;
      res.amplitude[r] = max;
    } else {
      shapeTrace(signals, off, nSamples, b, o.k, o.m, o.M, gain, 'zero', trace);
      let peak = o.searchStart;
      let max = trace[peak];
      for (let i = o.searchStart + 1; i < o.searchEnd; i++) {
        if (trace[i] > max) {
          max = trace[i];
          peak = i;
        }
      }
      res.peakSample[r] = peak;
      res.amplitude[r] = flatTopMean(trace, peak, o.m, o.searchEnd);
    }
    if (o.riseTime) res.riseTime[r] = riseTime1090(signals, off, nSamples, b, o.riseSmoothing, scratch);
    if (onRow && ((r + 1) % every === 0 || r + 1 === nRows) && onRow(r + 1) === false) break;
  }
  return res;
}

/** The baseline-subtracted raw signal and its shaped trace, for display (one row). */
export function shapeOneSignal(
  signals: NumericSamples,
  nSamples: number,
  row: number,
  options: PulseShapingOptions,
): { raw: Float64Array; shaped: Float64Array; baseline: number } {
  const o = resolveShapingOptions(options, nSamples);
  const off = row * nSamples;
  if (!(row >= 0 && off + nSamples <= signals.length)) throw new Error(`row ${row} is outside the ${signals.length / nSamples} signals`);
  const b = leadingMean(signals, off, o.baselineSamples);
  const shaped = new Float64Array(nSamples);
  shapeTrace(signals, off, nSamples, b, o.k, o.m, o.M, shaperGain(o.k, o.M, o.gain), 'zero', shaped);
  const raw = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) raw[i] = signals[off + i] - b;
  return { raw, shaped, baseline: b };
}
