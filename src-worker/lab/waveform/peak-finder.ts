/**
 * Peak finding with integration windows for N waveforms of `nSamples`
 * samples (row-major), e.g. digitized preamplifier or PMT signals.
 *
 * Per waveform:
 * - baseline: mean of the pre-samples [0, nBaselineSamples), with its RMS
 *   (population standard deviation);
 * - peak: the sample with the largest baseline-subtracted signal (times
 *   `polarity`) inside the search window [searchStart, searchEnd);
 *   ties go to the earliest sample;
 * - amplitude: baseline-subtracted value at the peak (in the input's sign
 *   convention, i.e. negative for negative pulses);
 * - peakTime: the peak sample refined by a parabola through the peak and its
 *   two neighbours (samples; equals the peak sample at the trace edges);
 * - integral: Σ of baseline-subtracted samples over the window
 *   [peak − windowShift, peak − windowShift + windowWidth), clipped to the
 *   trace (like ctapipe's LocalPeakWindowSum with `window_shift`, `window_width`);
 *   `integralSamples` counts the samples actually summed.
 */

export interface PeakFinderOptions {
  /** number of leading samples used for the baseline (0: baseline = 0) */
  nBaselineSamples: number;
  /** integration window width, samples (≥ 1) */
  windowWidth: number;
  /** samples of the window before the peak sample */
  windowShift: number;
  /** first sample searched for the peak; default nBaselineSamples */
  searchStart?: number;
  /** end (exclusive) of the peak search; default nSamples */
  searchEnd?: number;
  /** +1 for positive pulses (default), −1 for negative pulses */
  polarity?: 1 | -1;
}

export interface PeakFinderResult {
  baseline: Float32Array;
  baselineRms: Float32Array;
  peakSample: Int32Array;
  peakTime: Float32Array;
  amplitude: Float32Array;
  integral: Float32Array;
  integralSamples: Int32Array;
}

export function findPeaks(waveforms: Float32Array | Float64Array, nSamples: number, options: PeakFinderOptions): PeakFinderResult {
  if (!Number.isInteger(nSamples) || nSamples < 1 || waveforms.length % nSamples !== 0) {
    throw new Error(`waveforms length ${waveforms.length} is not a multiple of nSamples ${nSamples}`);
  }
  const nb = options.nBaselineSamples;
  const width = options.windowWidth;
  const shift = options.windowShift;
  const polarity = options.polarity ?? 1;
  const searchStart = Math.max(0, options.searchStart ?? nb);
  const searchEnd = Math.min(nSamples, options.searchEnd ?? nSamples);
  if (!Number.isInteger(nb) || nb < 0 || nb > nSamples) throw new Error(`invalid nBaselineSamples ${nb}`);
  if (!Number.isInteger(width) || width < 1) throw new Error(`invalid windowWidth ${width}`);
  if (!Number.isInteger(shift)) throw new Error(`invalid windowShift ${shift}`);
  if (searchStart >= searchEnd) throw new Error(`empty peak search window [${searchStart}, ${searchEnd})`);

  const n = waveforms.length / nSamples;
  const res: PeakFinderResult = {
    baseline: new Float32Array(n),
    baselineRms: new Float32Array(n),
    peakSample: new Int32Array(n),
    peakTime: new Float32Array(n),
    amplitude: new Float32Array(n),
    integral: new Float32Array(n),
    integralSamples: new Int32Array(n),
  };

  for (let row = 0; row < n; row++) {
    const o = row * nSamples;
    let mean = 0;
    let rms = 0;
    if (nb > 0) {
      for (let i = 0; i < nb; i++) mean += waveforms[o + i];
      mean /= nb;
      for (let i = 0; i < nb; i++) {
        const r = waveforms[o + i] - mean;
        rms += r * r;
      }
      rms = Math.sqrt(rms / nb);
    }

    let best = searchStart;
    let bestValue = polarity * (waveforms[o + searchStart] - mean);
    for (let i = searchStart + 1; i < searchEnd; i++) {
      const v = polarity * (waveforms[o + i] - mean);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }

    let time = best;
    if (best > 0 && best < nSamples - 1) {
      const a = waveforms[o + best - 1];
      const b = waveforms[o + best];
      const c = waveforms[o + best + 1];
      const denom = a - 2 * b + c;
      if (denom !== 0) {
        const delta = (0.5 * (a - c)) / denom;
        if (Math.abs(delta) <= 0.5) time = best + delta;
      }
    }

    const first = Math.max(0, best - shift);
    const last = Math.min(nSamples, best - shift + width);
    let integral = 0;
    for (let i = first; i < last; i++) integral += waveforms[o + i] - mean;

    res.baseline[row] = mean;
    res.baselineRms[row] = rms;
    res.peakSample[row] = best;
    res.peakTime[row] = time;
    res.amplitude[row] = waveforms[o + best] - mean;
    res.integral[row] = integral;
    res.integralSamples[row] = Math.max(0, last - first);
  }
  return res;
}

export interface PulseOptions {
  /** threshold on the baseline-subtracted signal (times polarity) */
  threshold: number;
  /** minimum distance between two reported peaks, samples (default 1) */
  minDistance?: number;
  /** +1 for positive pulses (default), −1 for negative pulses */
  polarity?: 1 | -1;
}

/**
 * All local maxima above `threshold` in one baseline-subtracted trace (e.g. a
 * shaper output), for pile-up and multi-pulse traces. A maximum must be
 * strictly greater than the previous sample and than the first following
 * sample that differs from it; a flat top reports its first sample. Among maxima closer than `minDistance`, the
 * larger is kept (the earlier on ties).
 */
export function findPulses(trace: ArrayLike<number>, options: PulseOptions): number[] {
  const pol = options.polarity ?? 1;
  const minDistance = Math.max(1, options.minDistance ?? 1);
  const candidates: number[] = [];
  const n = trace.length;
  for (let i = 0; i < n; i++) {
    const v = pol * trace[i];
    if (v < options.threshold) continue;
    const prev = i > 0 ? pol * trace[i - 1] : -Infinity;
    if (!(v > prev)) continue;
    // walk over a plateau
    let j = i + 1;
    while (j < n && pol * trace[j] === v) j++;
    const next = j < n ? pol * trace[j] : -Infinity;
    if (v > next) candidates.push(i);
  }
  const kept: number[] = [];
  for (const c of candidates) {
    const last = kept[kept.length - 1];
    if (last !== undefined && c - last < minDistance) {
      if (pol * trace[c] > pol * trace[last]) kept[kept.length - 1] = c;
    } else {
      kept.push(c);
    }
  }
  return kept;
}
