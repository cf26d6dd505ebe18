/**
 * The window sum at the heart of ctapipe 0.26's peak-window extractors
 * (`ctapipe.image.extractor.extract_around_peak`, a numba gufunc), per
 * channel and pixel:
 *
 * - window [peak - shift, peak - shift + width) clipped to the trace;
 * - charge: the sum of the samples in the window (summed in float64, stored
 *   as float32);
 * - peak time: the mean sample index weighted by the positive samples in the
 *   window (float64), or the peak index when there are none; stored as
 *   float32, then divided by the sampling rate (GHz) into ns and stored as
 *   float32 again (the gufunc's `peak_time[0] /= sampling_rate_ghz`).
 */
import type { WaveformSamples, WaveformShape } from './waveform-types.js';

/**
 * Extracts charge and peak time of every row (channel × pixel) of
 * `waveforms` around `peakIndex[row]`. Outputs are `(nChannels, nPixels)`.
 */
export function extractAroundPeak(
  waveforms: WaveformSamples,
  shape: WaveformShape,
  peakIndex: Int32Array,
  windowWidth: number,
  windowShift: number,
  samplingRateGHz: number,
  charge: Float32Array,
  peakTime: Float32Array,
): void {
  const nRows = shape.nChannels * shape.nPixels;
  const ns = shape.nSamples;
  for (let row = 0; row < nRows; row++) {
    const peak = peakIndex[row];
    let start = peak - windowShift;
    let end = start + windowWidth;
    if (start < 0) start = 0;
    if (end > ns) end = ns;
    const base = row * ns;
    let sum = 0;
    let num = 0;
    let den = 0;
    for (let s = start; s < end; s++) {
      const v = waveforms[base + s];
      // the positive part of v without a branch (noise makes `v > 0` unpredictable):
      // (v + |v|) / 2 is exactly v for v > 0 and +0 otherwise; NaN and ±inf are redone below
      const positive = (v + Math.abs(v)) * 0.5;
      sum += v;
      num += positive * s;
      den += positive;
    }
    if (!Number.isFinite(sum)) {
      // a NaN or infinite sample: the exact branching form (the time skips NaN and negative samples)
      num = 0;
      den = 0;
      for (let s = start; s < end; s++) {
        const v = waveforms[base + s];
        if (v > 0) {
          num += v * s;
          den += v;
        }
      }
    }
    charge[row] = sum;
    peakTime[row] = Math.fround(den > 0 ? num / den : peak) / samplingRateGHz;
  }
}
