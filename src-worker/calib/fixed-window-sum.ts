/** FixedWindowSum's "peak" (ctapipe 0.26): the configured `peak_index` for every pixel. */
export function fixedPeakIndices(peakIndex: number, out: Int32Array): Int32Array {
  return out.fill(peakIndex);
}
