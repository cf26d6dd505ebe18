/**
 * The calibration pieces on small hand-made inputs whose results follow
 * from ctapipe's definitions (the comparisons with ctapipe itself are in
 * calibration.test.ts): argmax ties and NaN, windows at the trace edges and
 * outside it, the gain threshold's strict comparison, per-gain corrections,
 * the invalid-pixel handler's average and zero fill, the single-sample path,
 * and the errors bad inputs give.
 */
import { describe, expect, it } from 'vitest';
import { argmax } from '../../../../src-worker/calib/argmax.js';
import { extractAroundPeak } from '../../../../src-worker/calib/extract-around-peak.js';
import { thresholdGainSelection, manualGainSelection } from '../../../../src-worker/calib/gain-selection.js';
import { applyIntegrationCorrection, integrationCorrection } from '../../../../src-worker/calib/integration-correction.js';
import { neighborAverage } from '../../../../src-worker/calib/invalid-pixel-handler.js';
import { applySimtelR1Calibration, pedestalPerSample } from '../../../../src-worker/calib/r1-calibration.js';
import { CameraCalibrator } from '../../../../src-worker/calib/camera-calibrator.js';
import { ImageExtractor, integrationWindow, resolveImageExtractorConfig, type CameraReadout } from '../../../../src-worker/calib/image-extractor.js';
import { invalidPixels, PixelStatus, simtelInvalidPixels, simtelR1PixelStatus } from '../../../../src-worker/calib/pixel-status.js';
import { neighborsFromLists } from '../../../../src-worker/instrument/neighbors.js';

/** a delta-like reference pulse: one non-zero sample in each of two gains */
const READOUT: CameraReadout = {
  samplingRateGHz: 0.5,
  referencePulseShape: Float64Array.from({ length: 2 * 40 }, (_, i) => (i % 40 === 10 ? 1 : 0)),
  referencePulseGains: 2,
  referencePulseSampleWidthNs: 0.5,
};
/** a line of 4 pixels: 0-1-2-3 */
const LINE = neighborsFromLists([[1], [0, 2], [1, 3], [2]]);

describe('argmax (numpy semantics)', () => {
  it('first of tied maxima; the first NaN wins', () => {
    expect(argmax(Float32Array.of(1, 3, 3, 2), 0, 4)).toBe(1);
    expect(argmax(Float32Array.of(5, 5, 5), 0, 3)).toBe(0);
    expect(argmax(Float64Array.of(1, NaN, 9, NaN), 0, 4)).toBe(1);
    expect(argmax(Float64Array.of(NaN, 9), 0, 2)).toBe(0);
    expect(argmax(Float32Array.of(9, 9, 0, 1, 7, 1), 2, 4)).toBe(2);
  });
});

describe('extractAroundPeak', () => {
  const shape = { nChannels: 1, nPixels: 1, nSamples: 6 };
  const wf = Float32Array.of(1, 2, -4, 8, 0, 2);
  const run = (peak: number, width: number, shift: number, rate = 1) => {
    const charge = new Float32Array(1),
      time = new Float32Array(1);
    extractAroundPeak(wf, shape, Int32Array.of(peak), width, shift, rate, charge, time);
    return { charge: charge[0], time: time[0] };
  };

  it('sums the window and weights the time by the positive samples only', () => {
    // window [2, 5): -4 + 8 + 0; time from the positive sample only: 3
    expect(run(3, 3, 1)).toEqual({ charge: 4, time: 3 });
  });

  it('clips the window at the start and at the end of the trace', () => {
    // [-2, 3) -> [0, 3): 1 + 2 - 4; time (0·1 + 1·2) / 3
    expect(run(0, 5, 2)).toEqual({ charge: -1, time: Math.fround(2 / 3) });
    // [4, 11) -> [4, 6): 0 + 2; time 5, in ns at 0.5 GHz: 10
    expect(run(5, 7, 1, 0.5)).toEqual({ charge: 2, time: 10 });
  });

  it('a window outside the trace sums nothing and gives the peak index as time', () => {
    expect(run(20, 3, 0, 0.25)).toEqual({ charge: 0, time: 80 });
    expect(run(-5, 2, 0)).toEqual({ charge: 0, time: -5 });
  });

  it('the integration window the view shades is the same clipped window', () => {
    expect(integrationWindow(0, 5, 2, 6)).toEqual({ start: 0, end: 3 });
    expect(integrationWindow(5, 7, 1, 6)).toEqual({ start: 4, end: 6 });
  });
});

describe('gain selection and pixel status', () => {
  it('ThresholdGainSelector: low gain only when a high-gain sample is strictly above the threshold', () => {
    // 2 gains, 3 pixels, 2 samples: pixel 0 at the threshold, 1 above, 2 below (its low gain is high, irrelevant)
    const r0 = Uint16Array.of(4000, 10, 3, 4001, 5, 6, /* low gain */ 9, 9, 9, 9, 4095, 4095);
    expect(Array.from(thresholdGainSelection(r0, { nChannels: 2, nPixels: 3, nSamples: 2 }))).toEqual([0, 1, 0]);
    expect(Array.from(thresholdGainSelection(r0, { nChannels: 2, nPixels: 3, nSamples: 2 }, 4)).slice(0, 3)).toEqual([1, 1, 1]);
    expect(Array.from(thresholdGainSelection(Uint16Array.of(9000, 9000), { nChannels: 1, nPixels: 1, nSamples: 2 }))).toEqual([0]);
    expect(Array.from(manualGainSelection(2, 3, 1))).toEqual([1, 1, 1]);
    expect(() => manualGainSelection(1, 3, 1)).toThrow(/1 channel/);
  });

  it('R1 pixel status: the stored gain bit, none for HV-disabled pixels or without gain selection', () => {
    const status = simtelR1PixelStatus(Int8Array.of(0, 1, 1, 0), 4, [2]);
    expect(Array.from(status)).toEqual([PixelStatus.HIGH_GAIN_STORED, PixelStatus.LOW_GAIN_STORED, 0, PixelStatus.HIGH_GAIN_STORED]);
    expect(Array.from(simtelR1PixelStatus(null, 4, []))).toEqual([0, 0, 0, 0]);
    expect(() => simtelR1PixelStatus(null, 4, [4])).toThrow(/not a pixel index/);
  });

  it('invalid pixels: failing masks OR-ed, taken at the selected gain', () => {
    const hardware = Uint8Array.of(1, 0, 0, /* low */ 0, 1, 0);
    const flatfield = Uint8Array.of(0, 0, 1, /* low */ 0, 0, 0);
    expect(Array.from(invalidPixels([hardware, null, flatfield], 2, 3, Int8Array.of(1, 1, 0)))).toEqual([0, 1, 1]);
    expect(Array.from(invalidPixels([hardware, flatfield], 2, 3, null))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(simtelInvalidPixels([1], 2, 3, null))).toEqual([0, 1, 0, 0, 1, 0]);
  });
});

describe('R1 calibration', () => {
  it('(r0 − pedestal) × dc_to_pe in float32 steps, one row for the selected gains', () => {
    const r0 = Uint16Array.of(100, 110, 200, 220, /* low */ 10, 11, 20, 22);
    const pedestal = Float32Array.of(100.5, 199.25, 9.75, 19.5);
    const dcToPe = Float32Array.of(0.1, 0.2, 3, 4);
    const r1 = applySimtelR1Calibration({ r0, pedestal, dcToPe, nChannels: 2, nPixels: 2, nSamples: 2 }, Int8Array.of(0, 1));
    expect(r1).toBeInstanceOf(Float32Array);
    const f = Math.fround;
    expect(Array.from(r1)).toEqual([f(-0.5 * f(0.1)), f(9.5 * f(0.1)), f(0.5 * 4), f(2.5 * 4)]);
    const both = applySimtelR1Calibration({ r0, pedestal, dcToPe, nChannels: 2, nPixels: 2, nSamples: 2, calibShift: 1 }, null);
    expect(both.length).toBe(8);
    expect(both[4]).toBe(f(f(0.25 * 3) + 1));
  });

  it('uint32 samples calibrate in float64, as numpy promotes them', () => {
    const r1 = applySimtelR1Calibration(
      { r0: Uint32Array.of(100000), pedestal: Float32Array.of(0.1), dcToPe: Float32Array.of(0.3), nChannels: 1, nPixels: 1, nSamples: 1 },
      Int8Array.of(0),
    );
    expect(r1).toBeInstanceOf(Float64Array);
    expect(r1[0]).toBe((100000 - Math.fround(0.1)) * Math.fround(0.3));
  });

  it('pedestal per sample in float32; bad shapes and outputs are errors naming what is wrong', () => {
    expect(Array.from(pedestalPerSample(Float32Array.of(3000, 31), 10))).toEqual([300, Math.fround(3.1)]);
    expect(() => pedestalPerSample(Float32Array.of(1), 0)).toThrow(/n_ped_slices/);
    const input = { r0: new Uint16Array(8), pedestal: new Float32Array(4), dcToPe: new Float32Array(4), nChannels: 2, nPixels: 2, nSamples: 2 };
    expect(() => applySimtelR1Calibration({ ...input, nSamples: 3 }, null)).toThrow(/nChannels × nPixels × nSamples/);
    expect(() => applySimtelR1Calibration({ ...input, dcToPe: new Float32Array(3) }, null)).toThrow(/dc_to_pe/);
    expect(() => applySimtelR1Calibration(input, Int8Array.of(0, 2))).toThrow(/selects channel 2/);
    expect(() => applySimtelR1Calibration(input, Int8Array.of(0, 1), new Float64Array(4))).toThrow(/Float32Array/);
  });
});

describe('integration correction', () => {
  it('a pulse inside the window needs no correction; outside it, none is possible (1)', () => {
    // the delta pulse at 5 ns lands in the bin [4, 6) of the 2 ns sampling: the default window holds it
    expect(Array.from(integrationCorrection(READOUT.referencePulseShape, 2, 0.5, 2, 7, 3))).toEqual([1, 1]);
    // a window starting after the pulse integrates nothing: 1 / 0
    expect(Array.from(integrationCorrection(READOUT.referencePulseShape, 2, 0.5, 2, 2, -1))).toEqual([Infinity, Infinity]);
    // a window beyond the rebinned pulse is empty: the correction stays 1
    expect(Array.from(integrationCorrection(READOUT.referencePulseShape, 2, 0.5, 2, 3, -30))).toEqual([1, 1]);
  });

  it("each pixel gets its selected gain's correction, rounded to float32", () => {
    const charge = Float32Array.of(1, 1, 1);
    applyIntegrationCorrection(charge, 1, 3, Float64Array.of(1.1, 2.5), Int8Array.of(0, 1, 0));
    expect(Array.from(charge)).toEqual([Math.fround(1.1), 2.5, Math.fround(1.1)]);
    const two = Float32Array.of(1, 1, 1, 1);
    applyIntegrationCorrection(two, 2, 2, Float64Array.of(3, 4), null);
    expect(Array.from(two)).toEqual([3, 3, 4, 4]);
  });
});

describe('NeighborAverage', () => {
  it('replaces invalid pixels by the mean of their valid neighbours, 0 without any', () => {
    const image = Float32Array.of(1, 100, 3, 100);
    const time = Float32Array.of(10, 100, 20, 100);
    // pixel 1 (neighbours 0, 2) and pixel 3 (neighbour 2) invalid; 2 is valid
    expect(neighborAverage(image, time, Uint8Array.of(0, 1, 0, 1), 1, 4, LINE)).toBe(2);
    expect(Array.from(image)).toEqual([1, 2, 3, 3]);
    expect(Array.from(time)).toEqual([10, 15, 20, 20]);
    const lone = Float32Array.of(5, 7, 9, 11);
    const lt = Float32Array.of(1, 2, 3, 4);
    neighborAverage(lone, lt, Uint8Array.of(0, 0, 1, 1), 1, 4, LINE);
    expect(Array.from(lone)).toEqual([5, 7, 7, 0]);
    expect(Array.from(lt)).toEqual([1, 2, 2, 0]);
  });
});

describe('CameraCalibrator', () => {
  it('single-sample data: the sample is the image (float32), peak time 0, invalid pixels still interpolated', () => {
    const cal = new CameraCalibrator(READOUT, LINE);
    const dl1 = cal.calibrate(
      { waveforms: Float64Array.of(1.1, 2, 3, 4), nChannels: 1, nPixels: 4, nSamples: 1, selectedGainChannel: Int8Array.of(0, 0, 0, 0) },
      { invalidPixels: Uint8Array.of(0, 0, 0, 1), timeShift: Float32Array.of(1, 1, 1, 1, 1, 1, 1, 1), nGains: 2 },
    );
    expect(Array.from(dl1.image)).toEqual([Math.fround(1.1), 2, 3, 3]);
    expect(Array.from(dl1.peakTime)).toEqual([0, 0, 0, 0]);
    expect(dl1.peakIndex).toBeNull();
  });

  it('NeighborPeakWindowSum finds a pixel’s peak from its neighbours, skipping invalid ones', () => {
    // 4 pixels × 5 samples: pixel 1's own peak is at 4, its neighbours peak at 1; pixel 2 (invalid) peaks at 3
    const w = Float32Array.of(0, 9, 0, 0, 0, /**/ 0, 0, 0, 0, 5, /**/ 0, 0, 0, 50, 0, /**/ 0, 0, 1, 0, 0);
    const extractor = new ImageExtractor({ type: 'NeighborPeakWindowSum', windowWidth: 1, windowShift: 0, applyIntegrationCorrection: false }, READOUT, LINE);
    const shape = { nChannels: 1, nPixels: 4, nSamples: 5 };
    const valid = extractor.extract(w, shape, null, null);
    expect(Array.from(valid.peakIndex)).toEqual([4, 3, 4, 3]);
    const skipping = extractor.extract(w, shape, null, Uint8Array.of(0, 0, 1, 0));
    // pixel 3's only neighbour is invalid: an all-zero sum peaks at 0
    expect(Array.from(skipping.peakIndex)).toEqual([4, 1, 4, 0]);
    expect(skipping.charge[1]).toBe(0);
    // times in ns at 0.5 GHz: pixel 2's window [4, 5) holds nothing positive: time = peak / rate
    expect(skipping.peakTime[2]).toBe(8);
  });

  it('extractor configurations are validated with the field named', () => {
    expect(resolveImageExtractorConfig({ type: 'LocalPeakWindowSum' })).toEqual({
      type: 'LocalPeakWindowSum',
      windowWidth: 7,
      windowShift: 3,
      applyIntegrationCorrection: true,
    });
    expect(resolveImageExtractorConfig({ type: 'FixedWindowSum' })).toEqual({
      type: 'FixedWindowSum',
      peakIndex: 0,
      windowWidth: 7,
      windowShift: 0,
      applyIntegrationCorrection: true,
    });
    expect(() => resolveImageExtractorConfig({ type: 'LocalPeakWindowSum', windowWidth: 2.5 })).toThrow(/windowWidth/);
    expect(() => resolveImageExtractorConfig({ type: 'GlobalPeakWindowSum', pixelFraction: 0 })).toThrow(/pixelFraction/);
    expect(() => resolveImageExtractorConfig({ type: 'TwoPassWindowSum' })).toThrow(/type/);
    expect(() => resolveImageExtractorConfig({ type: 'FixedWindowSum', localWeight: 1 })).toThrow(/localWeight|Unrecognized/);
    expect(() => new CameraCalibrator({ ...READOUT, samplingRateGHz: 0 }, LINE)).toThrow(/sampling rate/);
  });

  it('mismatched shapes are errors, not wrong images', () => {
    const cal = new CameraCalibrator(READOUT, LINE);
    const r1 = { waveforms: new Float32Array(4 * 5), nChannels: 1, nPixels: 4, nSamples: 5, selectedGainChannel: new Int8Array(4) };
    expect(() => cal.calibrate({ ...r1, nSamples: 6 }, { invalidPixels: null, timeShift: null, nGains: 2 })).toThrow(/samples/);
    expect(() => cal.calibrate(r1, { invalidPixels: new Uint8Array(3), timeShift: null, nGains: 2 })).toThrow(/invalid-pixel mask/);
    expect(() => cal.calibrate(r1, { invalidPixels: null, timeShift: new Float32Array(3), nGains: 2 })).toThrow(/time shift/);
    expect(() =>
      cal.calibrate(
        { ...r1, waveforms: new Float32Array(5 * 5), nPixels: 5, selectedGainChannel: new Int8Array(5) },
        { invalidPixels: null, timeShift: null, nGains: 2 },
      ),
    ).toThrow(/neighbours of 4 pixels/);
  });
});
