/**
 * Jordanov–Knoll trapezoidal shaper (NIM A 345 (1994) 337) for digitized
 * preamplifier signals, applied to N waveforms of `nSamples` samples stored
 * row-major in one typed array.
 *
 * With l = k + m (k: peaking time, m: gap/flat-top time, both in samples):
 *
 *   S1[n]  = v[n] − v[n−k] − v[n−l] + v[n−k−l]
 *   S2[n]  = M·S1[n] + Σ_{j≤n} S1[j]          (pole-zero deconvolution)
 *   out[n] = Σ_{j≤n} S2[j] / ((M + 1)·k)
 *
 * M is the decay constant of the preamplifier's exponential tail in this
 * recursion: for a tail v[n0 + j] = A·exp(−j/τ) (τ in samples) the
 * cancellation is exact with M = 1/(exp(1/τ) − 1) (see `decayConstantM`).
 * Normalisation: with these inclusive running sums the deconvolved step has
 * height A·(M + 1), so the gain is (M + 1)·k and the flat top equals A exactly.
 * (The often-quoted normalisation M·k gives A·(M + 1)/M = A·exp(1/τ), i.e. a
 * gain too high by ≈ 1/τ.) M = Infinity means an ideal step input (no
 * decay): then out = Σ S1 / k.
 *
 * Response to a step (or an exponential pulse with matching M) of amplitude A
 * starting at sample n0, with t = n − n0 + 1:
 *   out[n] = A·(clamp(t, 0, k) − clamp(t − l, 0, k)) / k,
 * a linear rise over k samples to A at n0 + k − 1, a flat top at A up to
 * n0 + k − 1 + m, a linear fall over k samples and 0 from n0 + k + l − 1 on.
 */

export interface TrapezoidalShaperOptions {
  /** peaking (rise) time, samples, ≥ 1 */
  k: number;
  /** gap (flat-top) time, samples, ≥ 0 */
  m: number;
  /** decay constant M of the recursion (see decayConstantM); Infinity for step inputs */
  M: number;
  /**
   * samples before the start of a trace: 'edge' repeats the first sample
   * (a constant baseline then gives 0), 'zero' takes them as 0. Default 'edge'.
   */
  pad?: 'edge' | 'zero';
}

/** M = 1/(exp(1/τ) − 1) for an exponential decay time τ in samples (Infinity for τ = Infinity). */
export function decayConstantM(tauSamples: number): number {
  if (tauSamples === Infinity) return Infinity;
  if (!(tauSamples > 0)) throw new Error(`decay time must be > 0 samples, got ${tauSamples}`);
  return 1 / Math.expm1(1 / tauSamples);
}

/**
 * Shapes each of the N = waveforms.length / nSamples rows. Sums run in
 * float64; the result is written to `out` (default: a new Float32Array).
 */
export function trapezoidalShaper<T extends Float32Array | Float64Array = Float32Array>(
  waveforms: Float32Array | Float64Array,
  nSamples: number,
  options: TrapezoidalShaperOptions,
  out?: T,
): T {
  const { k, m, M } = options;
  const pad = options.pad ?? 'edge';
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer ≥ 1, got ${k}`);
  if (!Number.isInteger(m) || m < 0) throw new Error(`m must be an integer ≥ 0, got ${m}`);
  if (!(M >= 0)) throw new Error(`M must be ≥ 0, got ${M}`);
  if (!Number.isInteger(nSamples) || nSamples < 1 || waveforms.length % nSamples !== 0) {
    throw new Error(`waveforms length ${waveforms.length} is not a multiple of nSamples ${nSamples}`);
  }
  const result = (out ?? new Float32Array(waveforms.length)) as T;
  if (result.length !== waveforms.length) throw new Error('out has the wrong length');

  const l = k + m;
  const step = M === Infinity;
  const gain = step ? k : (M + 1) * k;
  const nRows = waveforms.length / nSamples;

  for (let row = 0; row < nRows; row++) {
    const o = row * nSamples;
    const before = pad === 'edge' ? waveforms[o] : 0;
    const at = (n: number): number => (n >= 0 ? waveforms[o + n] : before);
    let p = 0; // Σ S1
    let s = 0; // Σ S2
    const head = Math.min(nSamples, k + l);
    for (let n = 0; n < head; n++) {
      const d = at(n) - at(n - k) - at(n - l) + at(n - k - l);
      p += d;
      s += step ? d : M * d + p;
      result[o + n] = s / gain;
    }
    // all indices inside the trace from here on
    for (let n = head; n < nSamples; n++) {
      const i = o + n;
      const d = waveforms[i] - waveforms[i - k] - waveforms[i - l] + waveforms[i - k - l];
      p += d;
      s += step ? d : M * d + p;
      result[i] = s / gain;
    }
  }
  return result;
}
