/**
 * R1 → DL1 for one camera, in the order of ctapipe 0.26's CameraCalibrator
 * (calib/camera/calibrator.py) with its defaults:
 *
 * 1. DL0 = R1 (NullDataVolumeReducer);
 * 2. a single sample per pixel (e.g. the 40,000-pixel camera's ADC sums):
 *    image = the sample as float32, peak time 0 — no extractor;
 *    otherwise (optionally) shift the waveforms by the time shifts, run the
 *    image extractor (NeighborPeakWindowSum with the integration correction
 *    by default), and subtract the (remaining) time shift from the peak time
 *    (apply_peak_time_shift, on by default);
 * 3. the invalid-pixel handler (NeighborAverage by default) on image and
 *    peak time.
 *
 * sim_telarray data carry no pedestal offset nor relative/absolute gain
 * factors at DL1, so those optional ctapipe steps are not here.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { DEFAULT_IMAGE_EXTRACTOR, ImageExtractor, type CameraReadout, type ImageExtractorConfig } from './image-extractor.js';
import { neighborAverage, type InvalidPixelHandlerName } from './invalid-pixel-handler.js';
import { selectedTimeShift, shiftWaveforms, subtractPeakTimeShift } from './time-shift.js';
import { checkWaveformShape, type WaveformSamples, type WaveformShape } from './waveform-types.js';

export interface CameraCalibratorOptions {
  /** default NeighborPeakWindowSum with ctapipe's defaults */
  extractor?: ImageExtractorConfig;
  /** default 'NeighborAverage'; null: invalid pixels keep what the extractor gave */
  invalidPixelHandler?: InvalidPixelHandlerName | null;
  /** subtract the time shift from the peak time (default true) */
  applyPeakTimeShift?: boolean;
  /** shift waveforms by whole samples before extraction (default false) */
  applyWaveformTimeShift?: boolean;
  /** use the WebAssembly SIMD kernels where they apply (default true; the results are the same) */
  simd?: boolean;
}

/** R1 (= DL0) waveforms of one telescope event. */
export interface R1CameraEvent extends WaveformShape {
  /** `(nChannels, nPixels, nSamples)`: nChannels = 1 after gain selection */
  waveforms: WaveformSamples;
  /** per pixel: the gain channel the single R1 row holds, or null when not gain-selected */
  selectedGainChannel: Int8Array | null;
}

/** Per-event monitoring that the calibration uses. */
export interface CameraMonitoring {
  /** invalid pixels `(nChannels of the R1, nPixels)`, 1 = invalid (see pixel-status.ts), or null */
  invalidPixels: Uint8Array | null;
  /** time shift per gain and pixel, ns, `(nGains, nPixels)` float32 (sim_telarray's tm_calib), or null */
  timeShift: Float32Array | null;
  /** gain channels of the camera (rows of timeShift) */
  nGains: number;
}

/** DL1 of one telescope event: `(nChannels, nPixels)` float32; nChannels = 1 after gain selection. */
export interface DL1CameraImage {
  /** p.e. */
  image: Float32Array;
  /** ns */
  peakTime: Float32Array;
  /** the extractor's peak sample per pixel (its window is integrationWindow(peakIndex, width, shift)); null for single-sample data */
  peakIndex: Int32Array | null;
  nChannels: number;
  nPixels: number;
}

export class CameraCalibrator {
  readonly extractor: ImageExtractor;
  readonly invalidPixelHandler: InvalidPixelHandlerName | null;
  readonly applyPeakTimeShift: boolean;
  readonly applyWaveformTimeShift: boolean;
  private shifted: WaveformSamples | null = null;
  private shift = new Float32Array(0);
  private remaining = new Float32Array(0);

  constructor(
    readonly readout: CameraReadout,
    readonly neighbors: PixelNeighbors,
    options: CameraCalibratorOptions = {},
  ) {
    this.extractor = new ImageExtractor(options.extractor ?? DEFAULT_IMAGE_EXTRACTOR, readout, neighbors, { simd: options.simd });
    this.invalidPixelHandler = options.invalidPixelHandler === undefined ? 'NeighborAverage' : options.invalidPixelHandler;
    this.applyPeakTimeShift = options.applyPeakTimeShift ?? true;
    this.applyWaveformTimeShift = options.applyWaveformTimeShift ?? false;
  }

  /** DL1 image and peak time from R1 waveforms (new output arrays unless `out` is given). */
  calibrate(r1: R1CameraEvent, monitoring: CameraMonitoring, out?: DL1CameraImage): DL1CameraImage {
    checkWaveformShape('camera calibration', r1.waveforms.length, r1);
    const { nChannels, nPixels, nSamples } = r1;
    const sel = r1.selectedGainChannel;
    if (sel && (nChannels !== 1 || sel.length !== nPixels)) {
      throw new RangeError(
        `camera calibration: gain-selected R1 must be one row with a gain per pixel (got ${nChannels} rows, ${sel.length} gains for ${nPixels} pixels)`,
      );
    }
    if (this.neighbors.nPixels !== nPixels) throw new RangeError(`camera calibration: neighbours of ${this.neighbors.nPixels} pixels for ${nPixels} pixels`);
    const n = nChannels * nPixels;
    const invalid = monitoring.invalidPixels;
    if (invalid && invalid.length !== n)
      throw new RangeError(`camera calibration: invalid-pixel mask has ${invalid.length} values, expected ${nChannels} × ${nPixels}`);
    const dl1: DL1CameraImage = out ?? {
      image: new Float32Array(n),
      peakTime: new Float32Array(n),
      peakIndex: nSamples > 1 ? new Int32Array(n) : null,
      nChannels,
      nPixels,
    };
    if (dl1.image.length !== n || dl1.peakTime.length !== n) throw new RangeError(`camera calibration: output arrays must hold ${n} values`);
    dl1.nChannels = nChannels;
    dl1.nPixels = nPixels;

    if (nSamples === 1) {
      dl1.image.set(r1.waveforms); // rounds float64 samples to float32 as astype(float32)
      dl1.peakTime.fill(0);
      dl1.peakIndex = null;
    } else {
      if (!dl1.peakIndex || dl1.peakIndex.length !== n) dl1.peakIndex = new Int32Array(n);
      let waveforms = r1.waveforms;
      let peakShift: Float32Array | null = null;
      if (monitoring.timeShift) {
        if (this.shift.length !== n) this.shift = new Float32Array(n);
        selectedTimeShift(monitoring.timeShift, sel ? monitoring.nGains : nChannels, nPixels, sel, this.shift);
        peakShift = this.shift;
        if (this.applyWaveformTimeShift) {
          const w = r1.waveforms;
          if (!this.shifted || this.shifted.length !== w.length || this.shifted.constructor !== w.constructor) {
            this.shifted = w instanceof Float64Array ? new Float64Array(w.length) : new Float32Array(w.length);
          }
          if (this.remaining.length !== n) this.remaining = new Float32Array(n);
          shiftWaveforms(w, r1, this.shift, this.readout.samplingRateGHz, this.shifted, this.remaining);
          waveforms = this.shifted;
          peakShift = this.remaining;
        }
      }
      this.extractor.extract(waveforms, r1, sel, invalid, { charge: dl1.image, peakTime: dl1.peakTime, peakIndex: dl1.peakIndex });
      if (peakShift && this.applyPeakTimeShift) subtractPeakTimeShift(dl1.peakTime, peakShift);
    }

    if (this.invalidPixelHandler === 'NeighborAverage' && invalid) {
      neighborAverage(dl1.image, dl1.peakTime, invalid, nChannels, nPixels, this.neighbors);
    }
    return dl1;
  }
}
