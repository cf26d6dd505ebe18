/**
 * Per-pixel sums over the samples of a telescope event's waveforms, for a
 * camera showing "R0" or "R1" (file.waveformSums, file.waveformLevels).
 * ctapipe has no R0 or R1 image; these are the numpy a physicist writes:
 *
 *   R0: r0.waveform[gain].sum(axis=-1)   raw ADC counts, pedestal NOT subtracted
 *   R1: r1.waveform.sum(axis=-1)         p.e., calibrated and gain-selected
 *
 * Sums are accumulated in float64 and returned as float32 (what the camera
 * draws); R0 sums of uint16 samples are exact.
 */

export type WaveformLevel = 'r0' | 'r1';
export type WaveformGain = 'high' | 'low';

/** What file.waveformSums asks the file's reader. */
export interface WaveformSumsQuery {
  fileId: string;
  index: number;
  level: WaveformLevel;
  /** R0 only: the gain to sum (default high) */
  gain?: WaveformGain;
  /** the telescopes (default: every telescope with data in the event) */
  telIds?: number[];
}

/** Whether a file has waveforms of one level, and what a camera showing their sums shows. */
export interface WaveformLevelInfo {
  available: boolean;
  /** when not available: why, for people (the toolbar's tooltip) */
  why: string;
  /** gain channels of this level (R0: 2 for two-gain cameras; R1 is gain-selected: 1); 0 when not available */
  gains: number;
  /** 'ADC counts' (R0) or 'p.e.' (R1) */
  unit: string;
  /** what is summed, for people: e.g. "Σ raw ADC samples, pedestal included (R0 is not pedestal-subtracted)" */
  what: string;
}

/** Reply of file.waveformLevels. */
export interface WaveformLevels {
  fileId: string;
  r0: WaveformLevelInfo;
  r1: WaveformLevelInfo;
}

export interface TelescopeWaveformSums {
  telId: number;
  camera: string;
  /** samples summed per pixel */
  nSamples: number;
  /** one value per pixel (the camera geometry's order) */
  sums: Float32Array;
  /**
   * the pedestal the R0 sums include, per pixel (pedestal per sample × samples, ADC counts), where
   * the file gives it (sim_telarray's calibration data); null otherwise and for R1
   */
  pedestalSums: Float32Array | null;
}

/** Reply of file.waveformSums. */
export interface WaveformSums {
  fileId: string;
  index: number;
  obsId: number;
  eventId: number;
  level: WaveformLevel;
  /** R0: the gain summed; R1: null (gain-selected) */
  gain: WaveformGain | null;
  unit: string;
  /** what is summed and from where, for people */
  what: string;
  telescopes: TelescopeWaveformSums[];
  /** telescopes asked for that have no waveforms of this level (or gain) in this event, and why */
  missing: { telId: number; why: string }[];
}

/** Sums the `nSamples` samples of each of `nPixels` rows starting at row `firstRow` of a row-major [rows, samples] array (float64 accumulation). */
export function sumSamples(values: ArrayLike<number>, firstRow: number, nPixels: number, nSamples: number): Float32Array {
  const out = new Float32Array(nPixels);
  let k = firstRow * nSamples;
  for (let p = 0; p < nPixels; p++) {
    let s = 0;
    for (let j = 0; j < nSamples; j++) s += values[k++];
    out[p] = s;
  }
  return out;
}
