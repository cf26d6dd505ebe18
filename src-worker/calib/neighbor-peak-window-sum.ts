/**
 * NeighborPeakWindowSum's peak finding (ctapipe 0.26
 * `neighbor_average_maximum`): for each channel and pixel, the argmax of
 * `local_weight × own waveform + Σ waveforms of its valid neighbours`
 * (invalid neighbours skipped). numba keeps the waveform dtype for that sum
 * (float32 for float32 waveforms, rounded at every addition), in the order of
 * the neighbour matrix row (ascending pixel index), and so does this: ties
 * and near-ties resolve to the same sample.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { argmax } from './argmax.js';
import type { WaveformSamples, WaveformShape } from './waveform-types.js';

/** Scratch space for one trace of the neighbour sum (both dtypes). */
export interface NeighborSumScratch {
  f32: Float32Array;
  f64: Float64Array;
}

export function createNeighborSumScratch(nSamples: number): NeighborSumScratch {
  return { f32: new Float32Array(nSamples), f64: new Float64Array(nSamples) };
}

/**
 * Peak sample index per `(channel, pixel)` from the neighbours' summed
 * waveforms. `invalid` is `(nChannels, nPixels)` (1 = invalid) or null.
 */
export function neighborAverageMaximum(
  waveforms: WaveformSamples,
  shape: WaveformShape,
  neighbors: PixelNeighbors,
  localWeight: number,
  invalid: Uint8Array | null,
  out: Int32Array,
  scratch: NeighborSumScratch = createNeighborSumScratch(shape.nSamples),
): Int32Array {
  const { nChannels, nPixels, nSamples: ns } = shape;
  if (neighbors.nPixels !== nPixels) throw new RangeError(`neighbour peak: neighbours of ${neighbors.nPixels} pixels for ${nPixels} pixels`);
  const acc = waveforms instanceof Float64Array ? scratch.f64 : scratch.f32;
  if (acc.length < ns) throw new RangeError(`neighbour peak: scratch holds ${acc.length} samples, need ${ns}`);
  const { offsets, indices } = neighbors;
  for (let c = 0; c < nChannels; c++) {
    const chBase = c * nPixels;
    for (let p = 0; p < nPixels; p++) {
      const own = (chBase + p) * ns;
      // the store rounds to the accumulator's dtype, as numba's array arithmetic
      for (let s = 0; s < ns; s++) acc[s] = waveforms[own + s] * localWeight;
      for (let k = offsets[p], e = offsets[p + 1]; k < e; k++) {
        const nb = indices[k];
        if (invalid !== null && invalid[chBase + nb]) continue;
        const b = (chBase + nb) * ns;
        for (let s = 0; s < ns; s++) acc[s] += waveforms[b + s];
      }
      out[chBase + p] = argmax(acc, 0, ns);
    }
  }
  return out;
}
