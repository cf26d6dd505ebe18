/**
 * GlobalPeakWindowSum's peak finding (ctapipe 0.26): one peak per channel,
 * the argmax of the camera's mean waveform.
 *
 * - pixel_fraction = 1: the mean over the valid pixels
 *   (`waveforms.mean(axis=-2, where=~broken)`): summed pixel after pixel in
 *   the waveform dtype, divided by the count of valid pixels;
 * - pixel_fraction < 1: the mean over the int(fraction × nPixels) pixels with
 *   the largest maximum sample (invalid pixels count as -inf), ranked as
 *   ctapipe's arg_n_largest does (by value, then by the higher pixel index)
 *   and summed in that order; ctapipe takes the brightest pixels of the first
 *   channel for every channel, and so does this.
 */
import { argmax } from './argmax.js';
import type { WaveformSamples, WaveformShape } from './waveform-types.js';

export interface GlobalPeakScratch {
  sum32: Float32Array;
  sum64: Float64Array;
  /** per-pixel maximum and ranking, for pixel_fraction < 1 */
  maxima: Float64Array;
  order: Int32Array;
}

export function createGlobalPeakScratch(shape: WaveformShape): GlobalPeakScratch {
  return {
    sum32: new Float32Array(shape.nSamples),
    sum64: new Float64Array(shape.nSamples),
    maxima: new Float64Array(shape.nPixels),
    order: new Int32Array(shape.nPixels),
  };
}

/** Peak sample per channel, written to every pixel of that channel in `out` `(nChannels, nPixels)`. */
export function globalPeakIndices(
  waveforms: WaveformSamples,
  shape: WaveformShape,
  invalid: Uint8Array | null,
  pixelFraction: number,
  out: Int32Array,
  scratch: GlobalPeakScratch = createGlobalPeakScratch(shape),
): Int32Array {
  const { nChannels, nPixels, nSamples: ns } = shape;
  const acc = waveforms instanceof Float64Array ? scratch.sum64 : scratch.sum32;
  let brightest: Int32Array | null = null;
  if (pixelFraction !== 1) {
    const n = Math.trunc(pixelFraction * nPixels);
    brightest = rankBrightest(waveforms, shape, invalid, scratch).subarray(0, Math.max(0, Math.min(n, nPixels)));
  }
  for (let c = 0; c < nChannels; c++) {
    acc.fill(0);
    let peak: number;
    if (brightest === null) {
      let count = 0;
      for (let p = 0; p < nPixels; p++) {
        if (invalid !== null && invalid[c * nPixels + p]) continue;
        count++;
        const b = (c * nPixels + p) * ns;
        for (let s = 0; s < ns; s++) acc[s] += waveforms[b + s];
      }
      for (let s = 0; s < ns; s++) acc[s] = acc[s] / count;
      peak = argmax(acc, 0, ns);
    } else {
      for (let k = 0; k < brightest.length; k++) {
        const b = (c * nPixels + brightest[k]) * ns;
        for (let s = 0; s < ns; s++) acc[s] += waveforms[b + s];
      }
      // the mean of no pixel is NaN in numpy, whose argmax is 0
      for (let s = 0; s < ns; s++) acc[s] = acc[s] / brightest.length;
      peak = argmax(acc, 0, ns);
    }
    out.fill(peak, c * nPixels, (c + 1) * nPixels);
  }
  return out;
}

/** Pixels of channel 0 by descending (maximum sample, pixel index); invalid pixels have -inf. */
function rankBrightest(waveforms: WaveformSamples, shape: WaveformShape, invalid: Uint8Array | null, scratch: GlobalPeakScratch): Int32Array {
  const { nPixels, nSamples: ns } = shape;
  const { maxima, order } = scratch;
  for (let p = 0; p < nPixels; p++) {
    let m = -Infinity;
    if (invalid === null || !invalid[p]) {
      const b = p * ns;
      for (let s = 0; s < ns; s++) {
        const v = waveforms[b + s];
        if (v > m || v !== v) m = v; // numpy's max propagates NaN
        if (m !== m) break;
      }
    }
    maxima[p] = m;
    order[p] = p;
  }
  order.sort((a, b) => {
    const va = maxima[a],
      vb = maxima[b];
    if (va > vb) return -1;
    if (va < vb) return 1;
    return b - a;
  });
  return order;
}
