/**
 * The whole calibration of a sim_telarray telescope event as ctapipe 0.26's
 * SimTelEventSource + CameraCalibrator do it by default: R0 (raw ADC, every
 * gain) → gain selection (ThresholdGainSelector, 4000 counts) → R1
 * (pedestal subtraction, dc_to_pe) with its pixel status → DL1 (image in
 * p.e., peak time in ns) with the invalid (HV-disabled) pixels interpolated.
 *
 * What the sim_telarray reader provides, per telescope (`SimtelTelescopeSetup`):
 * the camera's gains and pixels, the readout (1 / time_slice, the reference
 * pulse shape and its ref_step), the neighbour matrix of the geometry ctapipe
 * builds, the HV-disabled pixels; per event (`SimtelTelescopeEvent`): the ADC
 * samples (or sums, as 1 sample), the pedestal per sample (pedestalPerSample
 * of the camera monitoring), dc_to_pe (laser calibration `calib`) and the time
 * shift (laser calibration `tm_calib`).
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { CameraCalibrator, type CameraCalibratorOptions, type DL1CameraImage } from './camera-calibrator.js';
import { DEFAULT_GAIN_THRESHOLD, thresholdGainSelection } from './gain-selection.js';
import type { CameraReadout } from './image-extractor.js';
import { simtelInvalidPixels, simtelR1PixelStatus } from './pixel-status.js';
import { applySimtelR1Calibration } from './r1-calibration.js';
import { SimdCalibration } from './simd-calibration.js';
import { checkPixelArray, checkWaveformShape, type R0Samples, type WaveformSamples } from './waveform-types.js';

export interface SimtelTelescopeSetup {
  /** gain channels of the camera (1 or 2) */
  nGains: number;
  nPixels: number;
  readout: CameraReadout;
  /** neighbour matrix rows of the camera geometry (ascending pixel indices) */
  neighbors: PixelNeighbors;
  /** sim_telarray's HV_disabled pixel indices */
  hvDisabledPixels: ArrayLike<number>;
}

export interface SimtelCalibrationOptions extends CameraCalibratorOptions {
  /** ThresholdGainSelector.threshold, ADC counts (default 4000); null: no gain selection (all channels kept) */
  gainThreshold?: number | null;
  /** SimTelEventSource.calib_scale (default 1) */
  calibScale?: number;
  /** SimTelEventSource.calib_shift, p.e. (default 0) */
  calibShift?: number;
  /** return the R1 waveforms (default true; `process` without waveform output can skip the copy) */
  keepR1Waveforms?: boolean;
}

export interface SimtelTelescopeEvent {
  /** raw ADC `(nGains, nPixels, nSamples)` */
  r0: R0Samples;
  nSamples: number;
  /** pedestal per sample `(nGains, nPixels)` float32 */
  pedestal: Float32Array;
  /** `(nGains, nPixels)` float32 */
  dcToPe: Float32Array;
  /** ns `(nGains, nPixels)` float32, or null */
  timeShift: Float32Array | null;
}

export interface SimtelCalibratedEvent {
  r1: {
    /** `(1, nPixels, nSamples)` when gain-selected, else `(nGains, nPixels, nSamples)`; null when not kept */
    waveforms: WaveformSamples | null;
    nChannels: number;
    selectedGainChannel: Int8Array | null;
    /** ctapipe's R1 pixel_status (PixelStatus bits) */
    pixelStatus: Uint8Array;
  };
  /** invalid pixels per R1 row (1 = invalid) */
  invalidPixels: Uint8Array;
  dl1: DL1CameraImage;
}

/** R0 → R1 → DL1 for one sim_telarray telescope; keeps its configuration and scratch space. */
export class SimtelCalibrator {
  readonly calibrator: CameraCalibrator;
  readonly gainThreshold: number | null;

  constructor(
    readonly setup: SimtelTelescopeSetup,
    readonly options: SimtelCalibrationOptions = {},
  ) {
    this.calibrator = new CameraCalibrator(setup.readout, setup.neighbors, options);
    this.gainThreshold = options.gainThreshold === undefined ? DEFAULT_GAIN_THRESHOLD : options.gainThreshold;
  }

  /** Calibrates one event into fresh arrays (safe to transfer to another thread). */
  calibrate(event: SimtelTelescopeEvent): SimtelCalibratedEvent {
    const { nGains, nPixels, hvDisabledPixels } = this.setup;
    const { nSamples } = event;
    const keep = this.options.keepR1Waveforms ?? true;
    const { selected, waveforms, scratch } = this.toR1(event);
    const kept = keep ? (scratch ? waveforms.slice() : waveforms) : null;
    const pixelStatus = simtelR1PixelStatus(selected, nPixels, hvDisabledPixels);
    const invalidPixels = simtelInvalidPixels(hvDisabledPixels, nGains, nPixels, selected);
    const nChannels = selected ? 1 : nGains;
    const dl1 = this.calibrator.calibrate(
      { waveforms, nChannels, nPixels, nSamples, selectedGainChannel: selected },
      { invalidPixels: hvDisabledPixels.length > 0 ? invalidPixels : null, timeShift: event.timeShift, nGains },
    );
    return { r1: { waveforms: kept, nChannels, selectedGainChannel: selected, pixelStatus }, invalidPixels, dl1 };
  }

  /**
   * R0 → R1 alone (gain selection, pedestal, dc_to_pe): the first step of
   * `calibrate`, apart for benchmarks. `scratch`: the waveforms are this
   * calibrator's memory, overwritten by its next event.
   */
  toR1(event: SimtelTelescopeEvent): { selected: Int8Array | null; waveforms: WaveformSamples; scratch: boolean } {
    const { nGains, nPixels } = this.setup;
    const shape = { nChannels: nGains, nPixels, nSamples: event.nSamples };
    const kernels = this.simdR1Applies(event) ? SimdCalibration.for(event.nSamples) : null;
    if (kernels) return { ...this.simdR1(kernels, event), scratch: true };
    const selected = this.gainThreshold === null ? null : thresholdGainSelection(event.r0, shape, this.gainThreshold);
    const waveforms = applySimtelR1Calibration(
      { ...shape, r0: event.r0, pedestal: event.pedestal, dcToPe: event.dcToPe, calibScale: this.options.calibScale, calibShift: this.options.calibShift },
      selected,
    );
    return { selected, waveforms, scratch: false };
  }

  private gain = new Float32Array(0);

  /** The SIMD R0 → R1 kernel takes uint16 samples with a gain selection (the default). */
  private simdR1Applies(event: SimtelTelescopeEvent): boolean {
    const { nGains, nPixels } = this.setup;
    if (this.options.simd === false || this.gainThreshold === null || !(event.r0 instanceof Uint16Array)) return false;
    if (nGains < 1 || nGains > 2) return false;
    // the shapes are checked here as applySimtelR1Calibration would
    checkWaveformShape('R1 calibration', event.r0.length, { nChannels: nGains, nPixels, nSamples: event.nSamples });
    checkPixelArray('R1 calibration: pedestal', event.pedestal.length, nGains, nPixels);
    checkPixelArray('R1 calibration: dc_to_pe', event.dcToPe.length, nGains, nPixels);
    return true;
  }

  private simdR1(k: SimdCalibration, event: SimtelTelescopeEvent): { selected: Int8Array; waveforms: Float32Array } {
    const { nGains, nPixels, neighbors } = this.setup;
    k.prepare(nGains, nPixels, 1, neighbors);
    const n = nGains * nPixels;
    if (this.gain.length !== n) this.gain = new Float32Array(n);
    const scale = Math.fround(this.options.calibScale ?? 1);
    for (let i = 0; i < n; i++) this.gain[i] = event.dcToPe[i] * scale;
    const selected = new Int8Array(nPixels);
    // r0 > threshold for integer samples is r0 > floor(threshold); below 0 every sample is above, from 65535 none
    const t = this.gainThreshold!;
    let threshold: number | null = null;
    if (nGains === 1 || !(t < 65535)) selected.fill(0);
    else if (t < 0) selected.fill(1);
    else threshold = Math.floor(t);
    const waveforms = k.r1Selected(event.r0 as Uint16Array, event.pedestal, this.gain, selected, threshold, Math.fround(this.options.calibShift ?? 0));
    return { selected, waveforms };
  }
}
