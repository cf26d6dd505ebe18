/**
 * The waveforms of a few pixels of one telescope event, as the waveform view
 * shows them (file.waveforms): R1 in p.e. per sample, R0 in ADC counts on
 * demand, the extraction window the image extractor summed, the extracted
 * charge (p.e.) and peak time (ns), and the simulated truth where the file
 * has it. Samples are in the file's order; sample k is at k / samplingRateGHz ns.
 */

/** The extractor whose window is shown (ctapipe's names and defaults). */
export interface WaveformExtractor {
  type: string;
  /** samples */
  windowWidth: number;
  /** samples before the peak */
  windowShift: number;
}

export interface PixelWaveform {
  /** pixel index (0-based, the camera geometry's order) */
  pixel: number;
  /** R1: p.e. per sample (gain-selected), null when the file has none for this pixel */
  r1: Float32Array | null;
  /** R0 high gain, ADC counts (when asked for and present) */
  r0High: Uint16Array | Uint32Array | null;
  /** R0 low gain, ADC counts (two-gain cameras, when asked for) */
  r0Low: Uint16Array | Uint32Array | null;
  /** the gain channel R1 holds (0 high, 1 low), -1 when unknown */
  selectedGain: number;
  /** the integration window [windowStart, windowStart + windowWidth) in samples, clipped to the trace; null for single-sample data */
  windowStart: number | null;
  windowWidth: number | null;
  /** extracted charge, p.e. (the DL1 image value) */
  charge: number;
  /** peak time, ns (the DL1 peak time) */
  peakTime: number;
  /** true when the pixel is invalid (e.g. HV-disabled): its charge and peak time are the invalid-pixel handler's */
  invalid: boolean;
  /** true photo-electrons in the pixel (simulations), null when unknown */
  truePe: number | null;
  /** arrival times of the true photo-electrons, ns as sim_telarray gives them, null when the file has none */
  truePeTimes: Float32Array | null;
}

export interface PixelWaveforms {
  fileId: string;
  index: number;
  obsId: number;
  eventId: number;
  telId: number;
  camera: string;
  nSamples: number;
  /** GHz (samples per ns) */
  samplingRateGHz: number;
  /** where the numbers come from, for people: e.g. "sim_telarray R0 → R1 (ctapipe 0.26 defaults)", "/r1/event/telescope/tel_001" */
  source: string;
  extractor: WaveformExtractor | null;
  /** whether the file has R0 (raw ADC) waveforms for this telescope */
  hasR0: boolean;
  pixels: PixelWaveform[];
}
