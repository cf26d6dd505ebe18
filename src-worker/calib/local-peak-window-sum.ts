/** LocalPeakWindowSum's peak finding (ctapipe 0.26): the argmax of each pixel's own waveform. */
import { argmax } from './argmax.js';
import type { WaveformSamples, WaveformShape } from './waveform-types.js';

export function localPeakIndices(waveforms: WaveformSamples, shape: WaveformShape, out: Int32Array): Int32Array {
  const nRows = shape.nChannels * shape.nPixels;
  const ns = shape.nSamples;
  for (let row = 0; row < nRows; row++) out[row] = argmax(waveforms, row * ns, ns);
  return out;
}
