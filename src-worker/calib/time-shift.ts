/**
 * Per-pixel time shifts (sim_telarray's laser calibration `tm_calib`, ns,
 * `(nGains, nPixels)` float32), applied as ctapipe 0.26's CameraCalibrator does:
 *
 * - apply_peak_time_shift (default on): peak_time -= time_shift at the
 *   pixel's selected gain (float32);
 * - apply_waveform_time_shift (default off): before extraction each
 *   waveform is shifted left by round(shift × rate − mean) samples
 *   (`shift_waveforms`: numpy's round-half-to-even, the mean over pixels in
 *   numpy's float32 summation order, edge samples repeated), and only the
 *   remainder is subtracted from the peak time afterwards.
 */
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';
import type { WaveformSamples, WaveformShape } from './waveform-types.js';

/** The time shift of each output row `(nRows, nPixels)`: at the selected gain, or per channel. */
export function selectedTimeShift(
  timeShift: Float32Array,
  nGains: number,
  nPixels: number,
  selectedGainChannel: Int8Array | null,
  out: Float32Array = new Float32Array((selectedGainChannel ? 1 : nGains) * nPixels),
): Float32Array {
  if (timeShift.length !== nGains * nPixels) throw new RangeError(`time shift: ${timeShift.length} values, expected ${nGains} × ${nPixels}`);
  if (selectedGainChannel) {
    for (let p = 0; p < nPixels; p++) out[p] = timeShift[selectedGainChannel[p] * nPixels + p];
  } else {
    out.set(timeShift);
  }
  return out;
}

/** peak_time -= shift, in float32 (both `(nRows, nPixels)`). */
export function subtractPeakTimeShift(peakTime: Float32Array, shift: Float32Array): void {
  if (peakTime.length !== shift.length) throw new RangeError(`time shift: ${shift.length} shifts for ${peakTime.length} peak times`);
  for (let i = 0; i < peakTime.length; i++) peakTime[i] -= shift[i];
}

/** numpy.round (half to even) */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface WaveformShiftScratch {
  samples: Float32Array;
  integer: Int32Array;
}

/**
 * shift_waveforms: `shift` is the selected time shift `(nRows, nPixels)` in
 * ns. Writes the shifted waveforms to `shifted` and the remaining shift (ns,
 * float32) to `remaining`; the peak time is corrected by `remaining` later.
 */
export function shiftWaveforms(
  waveforms: WaveformSamples,
  shape: WaveformShape,
  shift: Float32Array,
  samplingRateGHz: number,
  shifted: WaveformSamples,
  remaining: Float32Array,
  scratch: WaveformShiftScratch = { samples: new Float32Array(shape.nPixels), integer: new Int32Array(shape.nPixels) },
): void {
  const { nChannels: nRows, nPixels, nSamples: ns } = shape;
  if (shift.length !== nRows * nPixels) throw new RangeError(`waveform time shift: ${shift.length} shifts for ${nRows} × ${nPixels} pixels`);
  const tss = scratch.samples;
  const integer = scratch.integer;
  // numpy turns the Python float rate into a float32 scalar for float32 arrays
  const rate32 = Math.fround(samplingRateGHz);
  for (let r = 0; r < nRows; r++) {
    const base = r * nPixels;
    for (let p = 0; p < nPixels; p++) tss[p] = shift[base + p] * rate32;
    // numpy's float32 sum (buffer by buffer, pairwise within each), as np.mean takes it
    const mean = Math.fround(pairwiseSum32(tss, nPixels) / nPixels);
    for (let p = 0; p < nPixels; p++) {
      const k = roundHalfEven(Math.fround(tss[p] - mean));
      // astype(int16): the shifts are a few samples; wrap as numpy would beyond that
      integer[p] = (k << 16) >> 16;
      remaining[base + p] = Math.fround(tss[p] - integer[p]) / rate32;
    }
    for (let p = 0; p < nPixels; p++) {
      const row = (base + p) * ns;
      const k = integer[p];
      for (let s = 0; s < ns; s++) {
        let from = s + k;
        if (from < 0) from = 0;
        else if (from > ns - 1) from = ns - 1;
        shifted[row + s] = waveforms[row + from];
      }
    }
  }
}
