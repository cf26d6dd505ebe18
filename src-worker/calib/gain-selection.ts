/**
 * Gain selection as ctapipe 0.26 does it (ctapipe.calib.camera.gainselection):
 * one channel per pixel, chosen from the raw R0 waveforms.
 *
 * - `ThresholdGainSelector` (the SimTelEventSource default): the low gain
 *   when any high-gain sample is strictly above `threshold` (4000 counts by
 *   default), else the high gain;
 * - `ManualGainSelector`: the same channel for every pixel;
 * - a camera with a single channel always selects channel 0.
 */
import { checkWaveformShape, type R0Samples, type WaveformShape } from './waveform-types.js';

/** ctapipe's GainChannel */
export const GainChannel = { HIGH: 0, LOW: 1 } as const;
export type GainChannel = (typeof GainChannel)[keyof typeof GainChannel];

/** ThresholdGainSelector.threshold default, ADC counts */
export const DEFAULT_GAIN_THRESHOLD = 4000;

/**
 * ThresholdGainSelector: `(waveforms[0] > threshold).any(axis=1)` per pixel,
 * as int8 (0 high, 1 low). `r0` is `(nChannels, nPixels, nSamples)` raw ADC.
 */
export function thresholdGainSelection(
  r0: R0Samples,
  shape: WaveformShape,
  threshold: number = DEFAULT_GAIN_THRESHOLD,
  out: Int8Array = new Int8Array(shape.nPixels),
): Int8Array {
  checkWaveformShape('gain selection', r0.length, shape);
  const { nChannels, nPixels, nSamples } = shape;
  if (out.length !== nPixels) throw new RangeError(`gain selection: output has ${out.length} pixels, expected ${nPixels}`);
  if (nChannels === 1) {
    out.fill(0);
    return out;
  }
  for (let p = 0; p < nPixels; p++) {
    const base = p * nSamples; // channel 0 = high gain
    let low = 0;
    for (let s = 0; s < nSamples; s++) {
      if (r0[base + s] > threshold) {
        low = 1;
        break;
      }
    }
    out[p] = low;
  }
  return out;
}

/** ManualGainSelector: `channel` for every pixel (0 when the camera has one channel). */
export function manualGainSelection(nChannels: number, nPixels: number, channel: GainChannel, out: Int8Array = new Int8Array(nPixels)): Int8Array {
  if (channel !== 0 && channel !== 1) throw new RangeError(`gain selection: channel must be 0 (HIGH) or 1 (LOW), got ${channel}`);
  if (channel >= nChannels) throw new RangeError(`gain selection: channel ${channel} asked of a camera with ${nChannels} channel(s)`);
  return out.fill(nChannels === 1 ? 0 : channel);
}
