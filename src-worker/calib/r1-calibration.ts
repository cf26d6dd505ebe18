/**
 * R0 → R1 for sim_telarray data, as ctapipe 0.26's
 * `apply_simtel_r1_calibration` (io/simteleventsource.py):
 *
 *     r1 = (r0 - pedestal_per_sample) * (dc_to_pe * calib_scale) + calib_shift
 *
 * then, when a gain selection is given, one row `(1, nPixels, nSamples)`
 * holding each pixel's selected channel. numpy's dtypes are kept: a uint8 /
 * uint16 / int16 R0 with sim_telarray's float32 pedestals and dc_to_pe gives
 * float32 arithmetic (each step rounded to float32), a uint32 / int32 R0 gives
 * float64 (as ctapipe's R1 of the 40,000-pixel sample). `calib_scale` and
 * `calib_shift` enter as numpy turns Python floats into float32 scalars.
 */
import { checkPixelArray, checkWaveformShape, type R0Samples, type WaveformSamples, type WaveformShape } from './waveform-types.js';

export interface R1CalibrationInput extends WaveformShape {
  /** raw ADC samples `(nChannels, nPixels, nSamples)` */
  r0: R0Samples;
  /** pedestal per sample, ADC counts, float32 `(nChannels, nPixels)` (see pedestalPerSample) */
  pedestal: Float32Array;
  /** p.e. per ADC count (sim_telarray's laser calibration `calib`), float32 `(nChannels, nPixels)` */
  dcToPe: Float32Array;
  /** SimTelEventSource.calib_scale (default 1) */
  calibScale?: number;
  /** SimTelEventSource.calib_shift, p.e. (default 0) */
  calibShift?: number;
}

/**
 * sim_telarray's camera monitoring stores pedestal sums over `nPedSlices`
 * samples; ctapipe's pedestal per sample is `pedestal / n_ped_slices` in float32.
 */
export function pedestalPerSample(pedestalSum: Float32Array, nPedSlices: number, out: Float32Array = new Float32Array(pedestalSum.length)): Float32Array {
  if (!Number.isInteger(nPedSlices) || nPedSlices === 0) throw new RangeError(`pedestal: n_ped_slices must be a non-zero integer, got ${nPedSlices}`);
  const n = Math.fround(nPedSlices);
  for (let i = 0; i < pedestalSum.length; i++) out[i] = pedestalSum[i] / n;
  return out;
}

/** Whether numpy computes R1 of this R0 dtype in float64 (uint32/int32 with float32) rather than float32. */
export function r1IsFloat64(r0: R0Samples): boolean {
  return r0 instanceof Uint32Array || r0 instanceof Int32Array;
}

/**
 * R1 waveforms from R0. With `selectedGainChannel` (int8 per pixel) the result
 * is `(1, nPixels, nSamples)`, each pixel from its selected channel; with
 * null, all channels `(nChannels, nPixels, nSamples)` (ctapipe does that for
 * events it does not gain-select, e.g. calibration events).
 * `out` (optional) must have the right length and type (Float64Array when
 * r1IsFloat64(r0), else Float32Array).
 */
export function applySimtelR1Calibration(input: R1CalibrationInput, selectedGainChannel: Int8Array | null, out?: WaveformSamples): WaveformSamples {
  const { r0, pedestal, dcToPe, nChannels, nPixels, nSamples } = input;
  checkWaveformShape('R1 calibration', r0.length, input);
  checkPixelArray('R1 calibration: pedestal', pedestal.length, nChannels, nPixels);
  checkPixelArray('R1 calibration: dc_to_pe', dcToPe.length, nChannels, nPixels);
  const rows = selectedGainChannel ? 1 : nChannels;
  const f64 = r1IsFloat64(r0);
  const n = rows * nPixels * nSamples;
  const r1 = out ?? (f64 ? new Float64Array(n) : new Float32Array(n));
  if (r1.length !== n) throw new RangeError(`R1 calibration: output has ${r1.length} samples, expected ${n}`);
  if (f64 !== r1 instanceof Float64Array)
    throw new TypeError(`R1 calibration: output must be ${f64 ? 'Float64Array' : 'Float32Array'} for ${r0.constructor.name} R0`);
  if (selectedGainChannel) {
    if (selectedGainChannel.length !== nPixels) throw new RangeError(`R1 calibration: ${selectedGainChannel.length} selected gains, expected ${nPixels}`);
    for (let p = 0; p < nPixels; p++) {
      const g = selectedGainChannel[p];
      if (g < 0 || g >= nChannels) throw new RangeError(`R1 calibration: pixel ${p} selects channel ${g} of ${nChannels}`);
    }
  }
  const scale = Math.fround(input.calibScale ?? 1);
  const shift32 = Math.fround(input.calibShift ?? 0);
  const shift64 = input.calibShift ?? 0;
  for (let row = 0; row < rows; row++) {
    for (let p = 0; p < nPixels; p++) {
      const g = selectedGainChannel ? selectedGainChannel[p] : row;
      const k = g * nPixels + p;
      const ped = pedestal[k];
      const gain = Math.fround(dcToPe[k] * scale);
      const src = k * nSamples;
      const dst = (row * nPixels + p) * nSamples;
      if (f64) {
        for (let s = 0; s < nSamples; s++) r1[dst + s] = (r0[src + s] - ped) * gain + shift64;
      } else {
        // float32 steps; the store rounds the final sum (numpy: -0.0 + 0.0 is +0.0, as here)
        for (let s = 0; s < nSamples; s++) r1[dst + s] = Math.fround(Math.fround(r0[src + s] - ped) * gain) + shift32;
      }
    }
  }
  return r1;
}
