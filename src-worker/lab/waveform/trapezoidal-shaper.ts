/**
 * Jordanov–Knoll trapezoidal shaper (NIM A 345 (1994) 337) for digitized
 * preamplifier signals, applied to N waveforms of `nSamples` samples stored
 * row-major in one typed array.
 *
 * With l = k + m (k: peaking time, m: gap/flat-top time, both in samples):
 *
 *   S1[n]  = v[n] − v[n−k] − v[n−l] + v[n−k−l]
 *   S2[n]  = M·S1[n] + Σ_{j≤n} S1[j]          (pole-zero deconvolution)
 *   out[n] = Σ_{j≤n} S2[j] / gain
 *
 * M is the decay constant of the preamplifier's exponential tail in this
 * recursion: for a tail v[n0 + j] = A·exp(−j/τ) (τ in samples) the
 * cancellation is exact with M = 1/(exp(1/τ) − 1) (see `decayConstantM`).
 *
 * Gain normalisation (`gain`):
 * - 'M1k' (default here): (M + 1)·k. With these inclusive running sums the
 *   deconvolved step has height A·(M + 1), so the flat top equals A exactly.
 * - 'Mk': M·k, the normalisation of Jordanov's paper and of most numpy
 *   implementations (the lab seed's). The flat top is then
 *   A·(M + 1)/M = A·exp(1/τ), higher by ≈ 1/τ (1/3600 = 0.03 % for the lab
 *   spectrometer): a pure gain factor, which an energy calibration absorbs.
 * M = Infinity means an ideal step input (no decay): then out = Σ S1 / k
 * whatever the gain option.
 *
 * Response to a step (or an exponential pulse with matching M) of amplitude A
 * starting at sample n0, with t = n − n0 + 1 and gain 'M1k':
 *   out[n] = A·(clamp(t, 0, k) − clamp(t − l, 0, k)) / k,
 * a linear rise over k samples to A at n0 + k − 1, a flat top at A up to
 * n0 + k − 1 + m, a linear fall over k samples and 0 from n0 + k + l − 1 on.
 *
 * A constant baseline b is NOT removed by the recursion: the pole-zero term
 * treats it as a pulse that never decays, giving an offset b·l/M (gain 'Mk')
 * after the first k + l samples. Subtract the baseline first (`baseline`).
 */

export type ShaperGain = 'Mk' | 'M1k';

export interface TrapezoidalShaperOptions {
  /** peaking (rise) time, samples, ≥ 1 */
  k: number;
  /** gap (flat-top) time, samples, ≥ 0 */
  m: number;
  /** decay constant M of the recursion (see decayConstantM); Infinity for step inputs */
  M: number;
  /** gain normalisation: (M + 1)·k ('M1k', default) or M·k ('Mk', Jordanov's and the seed's) */
  gain?: ShaperGain;
  /**
   * samples before the start of a trace: 'edge' repeats the first sample
   * (a constant baseline then gives 0), 'zero' takes them as 0. Default 'edge'.
   */
  pad?: 'edge' | 'zero';
}

/** Any typed array of numbers a signal may come in (HDF5 integer or float datasets). */
export type NumericSamples = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** M = 1/(exp(1/τ) − 1) for an exponential decay time τ in samples (Infinity for τ = Infinity). */
export function decayConstantM(tauSamples: number): number {
  if (tauSamples === Infinity) return Infinity;
  if (!(tauSamples > 0)) throw new Error(`decay time must be > 0 samples, got ${tauSamples}`);
  return 1 / Math.expm1(1 / tauSamples);
}

/** The divisor of the last running sum: M·k or (M + 1)·k (k for M = Infinity). */
export function shaperGain(k: number, M: number, gain: ShaperGain = 'M1k'): number {
  if (M === Infinity) return k;
  return gain === 'Mk' ? M * k : (M + 1) * k;
}

/** Checks k, m, M and the gain; throws a message naming the bad parameter. */
export function checkShaperOptions(options: TrapezoidalShaperOptions): void {
  const { k, m, M } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer ≥ 1, got ${k}`);
  if (!Number.isInteger(m) || m < 0) throw new Error(`m must be an integer ≥ 0, got ${m}`);
  if (!(M >= 0)) throw new Error(`M must be ≥ 0, got ${M}`);
  if (M === 0 && options.gain === 'Mk') throw new Error('M = 0 with the M·k gain would divide by zero: use the (M + 1)·k gain');
  if (options.gain !== undefined && options.gain !== 'Mk' && options.gain !== 'M1k') throw new Error(`gain must be 'Mk' or 'M1k', got ${String(options.gain)}`);
}

/**
 * Shapes one trace: samples [offset, offset + nSamples) of `src`, minus
 * `baseline`, into out[0, nSamples). Float64 throughout; the operations are
 * those of the numpy one-liners (d = v − v[n−k] − v[n−l] + v[n−k−l],
 * p = cumsum(d), s = cumsum(p + M·d), s / gain). Inside the trace the four
 * baseline terms of d cancel, so d is taken from the raw samples (exact for
 * integer samples); numpy, subtracting the baseline first, rounds each
 * term, which makes the two differ by rounding only (~1e-13 relative).
 */
export function shapeTrace(
  src: ArrayLike<number>,
  offset: number,
  nSamples: number,
  baseline: number,
  k: number,
  m: number,
  M: number,
  gain: number,
  pad: 'edge' | 'zero',
  out: Float64Array,
): void {
  const l = k + m;
  const kl = k + l;
  const step = M === Infinity;
  const before = pad === 'edge' ? src[offset] - baseline : 0;
  let p = 0; // Σ S1
  let s = 0; // Σ S2
  const head = Math.min(nSamples, kl);
  for (let n = 0; n < head; n++) {
    const v0 = src[offset + n] - baseline;
    const vk = n >= k ? src[offset + n - k] - baseline : before;
    const vl = n >= l ? src[offset + n - l] - baseline : before;
    const vkl = before; // n − k − l < 0 here
    const d = v0 - vk - vl + vkl;
    p += d;
    s += step ? d : p + M * d;
    out[n] = s / gain;
  }
  // all indices inside the trace from here on: the baseline cancels in d
  for (let n = head; n < nSamples; n++) {
    const i = offset + n;
    const d = src[i] - src[i - k] - src[i - l] + src[i - kl];
    p += d;
    s += step ? d : p + M * d;
    out[n] = s / gain;
  }
}

/**
 * The maximum of the shaped trace over [searchStart, searchEnd) and its
 * sample, without storing the trace (the fast path of pulse heights): the
 * same recursion as shapeTrace, the running sum compared before the division
 * by the (positive) gain, which keeps the order.
 */
export function shapedMaximum(
  src: ArrayLike<number>,
  offset: number,
  nSamples: number,
  baseline: number,
  k: number,
  m: number,
  M: number,
  gain: number,
  searchStart: number,
  searchEnd: number,
): { max: number; at: number } {
  const l = k + m;
  const kl = k + l;
  let p = 0;
  let s = 0;
  let best = -Infinity;
  let at = searchStart;
  const head = Math.min(nSamples, kl);
  const step = M === Infinity;
  for (let n = 0; n < head; n++) {
    const d = src[offset + n] - baseline - (n >= k ? src[offset + n - k] - baseline : 0) - (n >= l ? src[offset + n - l] - baseline : 0);
    p += d;
    s += step ? d : p + M * d;
    if (n >= searchStart && n < searchEnd && s > best) {
      best = s;
      at = n;
    }
  }
  const lo = Math.max(head, searchStart);
  const hi = Math.min(nSamples, searchEnd);
  // before the search window: the recursion only
  for (let n = head; n < lo; n++) {
    const i = offset + n;
    const d = src[i] - src[i - k] - src[i - l] + src[i - kl];
    p += d;
    s += step ? d : p + M * d;
  }
  if (step) {
    for (let n = lo; n < hi; n++) {
      const i = offset + n;
      const d = src[i] - src[i - k] - src[i - l] + src[i - kl];
      s += d;
      if (s > best) {
        best = s;
        at = n;
      }
    }
  } else {
    for (let n = lo; n < hi; n++) {
      const i = offset + n;
      const d = src[i] - src[i - k] - src[i - l] + src[i - kl];
      p += d;
      s += p + M * d;
      if (s > best) {
        best = s;
        at = n;
      }
    }
  }
  return { max: best / gain, at };
}

/**
 * shapedMaximum for two traces at once (offsets `offA` and `offB`): the two
 * recursions interleaved in one loop, so the processor overlaps their
 * dependency chains (each sample waits for the previous sum). Writes
 * [maxA, atA, maxB, atB] into `out`; the same numbers as two calls.
 */
export function shapedMaximumPair(
  src: ArrayLike<number>,
  offA: number,
  offB: number,
  nSamples: number,
  baseA: number,
  baseB: number,
  k: number,
  m: number,
  M: number,
  gain: number,
  searchStart: number,
  searchEnd: number,
  out: Float64Array,
): void {
  const l = k + m;
  const kl = k + l;
  if (M === Infinity || nSamples <= kl || searchStart > kl) {
    const a = shapedMaximum(src, offA, nSamples, baseA, k, m, M, gain, searchStart, searchEnd);
    const b = shapedMaximum(src, offB, nSamples, baseB, k, m, M, gain, searchStart, searchEnd);
    out[0] = a.max;
    out[1] = a.at;
    out[2] = b.max;
    out[3] = b.at;
    return;
  }
  let pa = 0,
    sa = 0,
    pb = 0,
    sb = 0;
  let bestA = -Infinity,
    bestB = -Infinity,
    atA = searchStart,
    atB = searchStart;
  for (let n = 0; n < kl; n++) {
    const da = src[offA + n] - baseA - (n >= k ? src[offA + n - k] - baseA : 0) - (n >= l ? src[offA + n - l] - baseA : 0);
    const db = src[offB + n] - baseB - (n >= k ? src[offB + n - k] - baseB : 0) - (n >= l ? src[offB + n - l] - baseB : 0);
    pa += da;
    sa += pa + M * da;
    pb += db;
    sb += pb + M * db;
    if (n >= searchStart && n < searchEnd) {
      if (sa > bestA) {
        bestA = sa;
        atA = n;
      }
      if (sb > bestB) {
        bestB = sb;
        atB = n;
      }
    }
  }
  const hi = Math.min(nSamples, searchEnd);
  for (let n = kl; n < hi; n++) {
    const i = offA + n;
    const j = offB + n;
    const da = src[i] - src[i - k] - src[i - l] + src[i - kl];
    const db = src[j] - src[j - k] - src[j - l] + src[j - kl];
    pa += da;
    pb += db;
    sa += pa + M * da;
    sb += pb + M * db;
    if (sa > bestA) {
      bestA = sa;
      atA = n;
    }
    if (sb > bestB) {
      bestB = sb;
      atB = n;
    }
  }
  out[0] = bestA / gain;
  out[1] = atA;
  out[2] = bestB / gain;
  out[3] = atB;
}

/**
 * Shapes each of the N = waveforms.length / nSamples rows. Sums run in
 * float64; the result is written to `out` (default: a new Float32Array).
 */
export function trapezoidalShaper<T extends Float32Array | Float64Array = Float32Array>(
  waveforms: NumericSamples,
  nSamples: number,
  options: TrapezoidalShaperOptions,
  out?: T,
): T {
  checkShaperOptions(options);
  const { k, m, M } = options;
  const pad = options.pad ?? 'edge';
  if (!Number.isInteger(nSamples) || nSamples < 1 || waveforms.length % nSamples !== 0) {
    throw new Error(`waveforms length ${waveforms.length} is not a multiple of nSamples ${nSamples}`);
  }
  const result = (out ?? new Float32Array(waveforms.length)) as T;
  if (result.length !== waveforms.length) throw new Error('out has the wrong length');
  const gain = shaperGain(k, M, options.gain ?? 'M1k');
  const nRows = waveforms.length / nSamples;
  const row = new Float64Array(nSamples);
  for (let r = 0; r < nRows; r++) {
    shapeTrace(waveforms, r * nSamples, nSamples, 0, k, m, M, gain, pad, row);
    result.set(row, r * nSamples);
  }
  return result;
}
