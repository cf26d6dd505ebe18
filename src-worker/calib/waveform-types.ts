/**
 * The array shapes of camera calibration, with ctapipe's names. Every
 * waveform block is row-major `(nChannels, nPixels, nSamples)`; per-pixel
 * quantities are `(nChannels, nPixels)`. A "channel" is a gain channel
 * (0 = high, 1 = low) before gain selection, and the single selected-gain
 * row after it.
 */

/** Raw ADC samples as sim_telarray stores them (R0): uint16 for most cameras, uint32 for some. */
export type R0Samples = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/**
 * Calibrated samples (R1, DL0): float32, or float64 where numpy promotes
 * (a uint32 / int32 R0 with float32 pedestals gives float64, as ctapipe's
 * R1 of the 40,000-pixel sample).
 */
export type WaveformSamples = Float32Array | Float64Array;

export interface WaveformShape {
  nChannels: number;
  nPixels: number;
  nSamples: number;
}

/** Checks that `length` is nChannels × nPixels × nSamples of positive integers. */
export function checkWaveformShape(what: string, length: number, shape: WaveformShape): void {
  const { nChannels, nPixels, nSamples } = shape;
  for (const [k, v] of [
    ['nChannels', nChannels],
    ['nPixels', nPixels],
    ['nSamples', nSamples],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what}: ${k} must be a positive integer, got ${v}`);
  }
  if (length !== nChannels * nPixels * nSamples) {
    throw new RangeError(`${what}: ${length} samples, expected nChannels × nPixels × nSamples = ${nChannels} × ${nPixels} × ${nSamples}`);
  }
}

/** Checks a per-pixel array of `(rows, nPixels)`. */
export function checkPixelArray(what: string, length: number, rows: number, nPixels: number): void {
  if (length !== rows * nPixels) throw new RangeError(`${what}: ${length} values, expected ${rows} × ${nPixels}`);
}
