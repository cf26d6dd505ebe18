/**
 * The image extractors a user can choose, with ctapipe 0.26's names and
 * defaults (ctapipe.image.extractor), and one object that runs the chosen
 * one on a camera's waveforms:
 *
 * | type                    | peak                                        | width | shift |
 * |-------------------------|---------------------------------------------|-------|-------|
 * | NeighborPeakWindowSum   | argmax of the neighbours' summed waveforms  | 7     | 3     |
 * | LocalPeakWindowSum      | argmax of the pixel's own waveform          | 7     | 3     |
 * | GlobalPeakWindowSum     | argmax of the camera's mean waveform        | 7     | 3     |
 * | FixedWindowSum          | `peakIndex` (default 0)                     | 7     | 0     |
 *
 * all with the integration correction from the reference pulse shape on by
 * default. Configurations are validated with zod (they come from the UI or
 * a command line).
 */
import { z } from 'zod';
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { extractAroundPeak } from './extract-around-peak.js';
import { fixedPeakIndices } from './fixed-window-sum.js';
import { createGlobalPeakScratch, globalPeakIndices, type GlobalPeakScratch } from './global-peak-window-sum.js';
import { applyIntegrationCorrection, integrationCorrection } from './integration-correction.js';
import { localPeakIndices } from './local-peak-window-sum.js';
import { createNeighborSumScratch, neighborAverageMaximum, type NeighborSumScratch } from './neighbor-peak-window-sum.js';
import { argmax } from './argmax.js';
import { SimdCalibration } from './simd-calibration.js';
import { checkWaveformShape, type WaveformSamples, type WaveformShape } from './waveform-types.js';

const windowWidth = z.number().int().min(1).max(100_000);
const windowShift = z.number().int().min(-100_000).max(100_000);
const applyCorrection = z.boolean().default(true);

export const imageExtractorConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('NeighborPeakWindowSum'),
      windowWidth: windowWidth.default(7),
      windowShift: windowShift.default(3),
      /** weight of the pixel's own waveform in the sum (0: neighbours only) */
      localWeight: z.number().int().min(0).max(1_000_000).default(0),
      applyIntegrationCorrection: applyCorrection,
    })
    .strict(),
  z
    .object({
      type: z.literal('LocalPeakWindowSum'),
      windowWidth: windowWidth.default(7),
      windowShift: windowShift.default(3),
      applyIntegrationCorrection: applyCorrection,
    })
    .strict(),
  z
    .object({
      type: z.literal('GlobalPeakWindowSum'),
      windowWidth: windowWidth.default(7),
      windowShift: windowShift.default(3),
      /** fraction of the brightest pixels whose mean waveform sets the peak (1: all valid pixels) */
      pixelFraction: z.number().gt(0).max(1).default(1),
      applyIntegrationCorrection: applyCorrection,
    })
    .strict(),
  z
    .object({
      type: z.literal('FixedWindowSum'),
      peakIndex: z.number().int().min(-100_000).max(100_000).default(0),
      windowWidth: windowWidth.default(7),
      windowShift: windowShift.default(0),
      applyIntegrationCorrection: applyCorrection,
    })
    .strict(),
]);

/** An extractor configuration as given (omitted fields take ctapipe's defaults). */
export type ImageExtractorConfig = z.input<typeof imageExtractorConfigSchema>;
/**
 * The schema typed by what one may send (traits optional): for request
 * schemas whose parsed value must be typed as a choice, not as a resolved
 * configuration. It validates exactly as imageExtractorConfigSchema and its
 * output (every trait filled in) is such a choice.
 */
export const imageExtractorChoiceSchema = imageExtractorConfigSchema as unknown as z.ZodType<ImageExtractorConfig>;
/** A validated configuration with every field set. */
export type ResolvedImageExtractorConfig = z.output<typeof imageExtractorConfigSchema>;
export type ImageExtractorType = ResolvedImageExtractorConfig['type'];

export const IMAGE_EXTRACTOR_TYPES: readonly ImageExtractorType[] = ['NeighborPeakWindowSum', 'LocalPeakWindowSum', 'GlobalPeakWindowSum', 'FixedWindowSum'];

/** ctapipe's CameraCalibrator default */
export const DEFAULT_IMAGE_EXTRACTOR: ResolvedImageExtractorConfig = imageExtractorConfigSchema.parse({ type: 'NeighborPeakWindowSum' });

/** Validates a configuration, with a message naming the bad field. */
export function resolveImageExtractorConfig(config: unknown): ResolvedImageExtractorConfig {
  const r = imageExtractorConfigSchema.safeParse(config);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new RangeError(`image extractor configuration: ${issues}`);
  }
  return r.data;
}

/** What the extractors need to know about a camera's readout (ctapipe's CameraReadout). */
export interface CameraReadout {
  /** GHz: 1 / sim_telarray's time_slice (ns) in float64 */
  samplingRateGHz: number;
  /** reference pulse shape per gain, `(nGains, nRef)` row-major, float64 */
  referencePulseShape: Float64Array;
  /** rows of referencePulseShape (the camera's gain channels) */
  referencePulseGains: number;
  /** ns between reference pulse samples (sim_telarray's ref_step as float64) */
  referencePulseSampleWidthNs: number;
}

/** Charge (p.e.), peak time (ns) and peak sample index per `(nChannels, nPixels)` */
export interface ExtractedImage {
  charge: Float32Array;
  peakTime: Float32Array;
  peakIndex: Int32Array;
}

/** The integration window [start, end) in samples that the extractor summed for a peak index. */
export function integrationWindow(peakIndex: number, windowWidth: number, windowShift: number, nSamples: number): { start: number; end: number } {
  const start = peakIndex - windowShift;
  return { start: Math.max(0, start), end: Math.min(start + windowWidth, nSamples) };
}

/**
 * One configured extractor for one camera; scratch space is reused between
 * calls. The peak searches run on the WebAssembly SIMD kernels for float32
 * waveforms when available (`simd`, default true), else in JavaScript: the
 * same results either way.
 */
export class ImageExtractor {
  readonly config: ResolvedImageExtractorConfig;
  /** integration correction per gain channel, or null when not applied */
  readonly correction: Float64Array | null;
  readonly simd: boolean;
  private neighborScratch: NeighborSumScratch | null = null;
  private globalScratch: GlobalPeakScratch | null = null;

  constructor(
    config: ImageExtractorConfig,
    readonly readout: CameraReadout,
    readonly neighbors: PixelNeighbors | null,
    options: { simd?: boolean } = {},
  ) {
    this.simd = options.simd ?? true;
    this.config = resolveImageExtractorConfig(config);
    if (!(readout.samplingRateGHz > 0) || !Number.isFinite(readout.samplingRateGHz)) {
      throw new RangeError(`image extractor: sampling rate must be a positive number of GHz, got ${readout.samplingRateGHz}`);
    }
    if (this.config.type === 'NeighborPeakWindowSum' && !neighbors)
      throw new RangeError('image extractor: NeighborPeakWindowSum needs the camera pixel neighbours');
    this.correction = this.config.applyIntegrationCorrection
      ? integrationCorrection(
          readout.referencePulseShape,
          readout.referencePulseGains,
          readout.referencePulseSampleWidthNs,
          1 / readout.samplingRateGHz,
          this.config.windowWidth,
          this.config.windowShift,
        )
      : null;
  }

  /**
   * Extracts every `(channel, pixel)` of `waveforms`. `selectedGainChannel`
   * picks each pixel's correction (null: channel c uses correction c);
   * `invalid` `(nChannels, nPixels)` marks pixels that the neighbour and
   * global peak searches leave out.
   */
  extract(
    waveforms: WaveformSamples,
    shape: WaveformShape,
    selectedGainChannel: Int8Array | null,
    invalid: Uint8Array | null,
    out?: ExtractedImage,
  ): ExtractedImage {
    checkWaveformShape('image extractor', waveforms.length, shape);
    const n = shape.nChannels * shape.nPixels;
    const o = out ?? { charge: new Float32Array(n), peakTime: new Float32Array(n), peakIndex: new Int32Array(n) };
    if (o.charge.length !== n || o.peakTime.length !== n || o.peakIndex.length !== n)
      throw new RangeError(`image extractor: output arrays must hold ${n} values`);
    if (invalid && invalid.length !== n) throw new RangeError(`image extractor: invalid-pixel mask has ${invalid.length} values, expected ${n}`);
    const c = this.config;
    const kernels = this.simd && waveforms instanceof Float32Array ? SimdCalibration.for(shape.nSamples) : null;
    const found = kernels ? this.simdPeaks(kernels, waveforms as Float32Array, shape, invalid, o.peakIndex) : null;
    const peaksInMemory = found === 'memory';
    if (found === null) {
      switch (c.type) {
        case 'NeighborPeakWindowSum': {
          if (!this.neighborScratch || this.neighborScratch.f32.length < shape.nSamples) this.neighborScratch = createNeighborSumScratch(shape.nSamples);
          neighborAverageMaximum(waveforms, shape, this.neighbors!, c.localWeight, invalid, o.peakIndex, this.neighborScratch);
          break;
        }
        case 'LocalPeakWindowSum':
          localPeakIndices(waveforms, shape, o.peakIndex);
          break;
        case 'GlobalPeakWindowSum': {
          const s = this.globalScratch;
          if (!s || s.sum32.length !== shape.nSamples || s.maxima.length !== shape.nPixels) this.globalScratch = createGlobalPeakScratch(shape);
          globalPeakIndices(waveforms, shape, invalid, c.pixelFraction, o.peakIndex, this.globalScratch!);
          break;
        }
        case 'FixedWindowSum':
          fixedPeakIndices(c.peakIndex, o.peakIndex);
          break;
      }
    }
    if (kernels) {
      kernels.prepare(1, shape.nPixels, shape.nChannels, null);
      kernels.extract(waveforms as Float32Array, o.peakIndex, peaksInMemory, c.windowWidth, c.windowShift, this.readout.samplingRateGHz, o.charge, o.peakTime);
    } else {
      extractAroundPeak(waveforms, shape, o.peakIndex, c.windowWidth, c.windowShift, this.readout.samplingRateGHz, o.charge, o.peakTime);
    }
    if (this.correction) applyIntegrationCorrection(o.charge, shape.nChannels, shape.nPixels, this.correction, selectedGainChannel);
    return o;
  }

  /**
   * The peak search on the SIMD kernels: 'memory' when the peaks are in
   * `peakIndex` and in the kernels' memory, 'array' when only in
   * `peakIndex`, null when it does not apply (or met a NaN): then
   * JavaScript does it.
   */
  private simdPeaks(
    k: SimdCalibration,
    waveforms: Float32Array,
    shape: WaveformShape,
    invalid: Uint8Array | null,
    peakIndex: Int32Array,
  ): 'memory' | 'array' | null {
    const c = this.config;
    const { nChannels, nPixels, nSamples } = shape;
    switch (c.type) {
      case 'NeighborPeakWindowSum':
        k.prepare(1, nPixels, nChannels, this.neighbors);
        return k.neighborPeaks(waveforms, nChannels, c.localWeight, invalid, peakIndex) ? 'memory' : null;
      case 'LocalPeakWindowSum':
        k.prepare(1, nPixels, nChannels, null);
        return k.localPeaks(waveforms, nChannels, peakIndex) ? 'memory' : null;
      case 'GlobalPeakWindowSum': {
        if (c.pixelFraction !== 1) return null;
        k.prepare(1, nPixels, nChannels, null);
        if (!this.globalScratch || this.globalScratch.sum32.length !== nSamples || this.globalScratch.maxima.length !== nPixels)
          this.globalScratch = createGlobalPeakScratch(shape);
        const acc = this.globalScratch.sum32;
        for (let ch = 0; ch < nChannels; ch++) {
          k.validSum(waveforms, ch, invalid, acc);
          let count = 0;
          for (let p = 0; p < nPixels; p++) if (!invalid || !invalid[ch * nPixels + p]) count++;
          for (let s = 0; s < nSamples; s++) acc[s] = acc[s] / count;
          peakIndex.fill(argmax(acc, 0, nSamples), ch * nPixels, (ch + 1) * nPixels);
        }
        return 'array';
      }
      default:
        return null;
    }
  }
}
