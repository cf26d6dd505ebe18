/**
 * The WebAssembly SIMD kernels against the JavaScript functions they stand
 * in for (which calibration.test.ts checks against ctapipe), bit for bit, on
 * inputs made to be awkward: ties everywhere (quarter-integer samples,
 * flat rows), ±0, NaN and ±inf samples, windows at and beyond the trace
 * edges, invalid pixels, one and two gain channels, trace lengths that
 * leave 0–3 samples outside the 4-sample vectors, and R0 samples around the
 * gain threshold with odd thresholds, scales and shifts.
 */
import { describe, expect, it } from 'vitest';
import { computePixelNeighbors } from '../../../../src-worker/instrument/neighbors.js';
import { ImageExtractor, type CameraReadout, type ImageExtractorConfig } from '../../../../src-worker/calib/image-extractor.js';
import { SimtelCalibrator } from '../../../../src-worker/calib/simtel-calibration.js';
import { SimdCalibration } from '../../../../src-worker/calib/simd-calibration.js';
import { Random } from '../../../../src-worker/util/random.js';

const seeded = (seed: number) => {
  const r = new Random(seed);
  return () => r.uniform();
};

const NX = 14,
  NY = 11;
const N_PIXELS = NX * NY;
const xs: number[] = [],
  ys: number[] = [];
for (let i = 0; i < N_PIXELS; i++) {
  xs.push((i % NX) * 0.05);
  ys.push(Math.floor(i / NX) * 0.05);
}
const NEIGHBORS = computePixelNeighbors(xs, ys, 'square');
const READOUT: CameraReadout = {
  samplingRateGHz: 1 / 0.8,
  referencePulseShape: Float64Array.from({ length: 2 * 400 }, (_, i) => Math.exp(-(((i % 400) - 120) ** 2) / 800) * (i < 400 ? 1 : 0.7)),
  referencePulseGains: 2,
  referencePulseSampleWidthNs: 0.05,
};

function awkwardWaveforms(rand: () => number, n: number, nSamples: number): Float32Array {
  const w = new Float32Array(n * nSamples);
  for (let i = 0; i < w.length; i++) w[i] = Math.round((rand() * 12 - 3) * 4) / 4; // quarter integers: many ties
  for (let row = 0; row < n; row++) {
    const r = rand();
    const b = row * nSamples;
    if (r < 0.05)
      w.fill(1.5, b, b + nSamples); // flat
    else if (r < 0.08) w.fill(-0, b, b + nSamples);
    else if (r < 0.1) w[b + Math.floor(rand() * nSamples)] = NaN;
    else if (r < 0.11) w[b + Math.floor(rand() * nSamples)] = Infinity;
    else if (r < 0.12) w[b + Math.floor(rand() * nSamples)] = -Infinity;
    else if (r < 0.2) w[b + Math.floor(rand() * nSamples)] = 0; // +0 beside -0 elsewhere
  }
  return w;
}

function expectIdentical(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) expect(`${what}[${i}] = ${Object.is(a[i], -0) ? '-0' : a[i]}`).toBe(`${what}[${i}] = ${Object.is(b[i], -0) ? '-0' : b[i]}`);
}

const CONFIGS: ImageExtractorConfig[] = [
  { type: 'NeighborPeakWindowSum' },
  { type: 'NeighborPeakWindowSum', localWeight: 1, windowWidth: 3, windowShift: 0 },
  { type: 'NeighborPeakWindowSum', localWeight: 2, windowWidth: 50, windowShift: 30 },
  { type: 'LocalPeakWindowSum', windowWidth: 5, windowShift: 2 },
  { type: 'LocalPeakWindowSum', windowWidth: 1, windowShift: -2 },
  { type: 'GlobalPeakWindowSum' },
  { type: 'GlobalPeakWindowSum', pixelFraction: 0.1, windowWidth: 4, windowShift: 1 },
  { type: 'FixedWindowSum', peakIndex: 0, windowWidth: 3, windowShift: 2 },
  { type: 'FixedWindowSum', peakIndex: 39, windowWidth: 7, windowShift: 0 },
  { type: 'FixedWindowSum', peakIndex: -9, windowWidth: 4, windowShift: 0 },
];

describe('SIMD kernels = JavaScript, bit for bit', () => {
  it('the kernels load here', () => {
    expect(SimdCalibration.for(30)).not.toBeNull();
  });

  for (const nSamples of [2, 3, 4, 5, 7, 25, 30, 40, 61]) {
    it(`image extraction, ${nSamples} samples: every extractor, with and without invalid pixels, 1 and 2 channels`, () => {
      const rand = seeded(nSamples);
      let compared = 0;
      for (const nChannels of [1, 2]) {
        const shape = { nChannels, nPixels: N_PIXELS, nSamples };
        const w = awkwardWaveforms(rand, nChannels * N_PIXELS, nSamples);
        const selected = nChannels === 1 ? Int8Array.from({ length: N_PIXELS }, () => (rand() < 0.3 ? 1 : 0)) : null;
        for (const invalid of [null, Uint8Array.from({ length: nChannels * N_PIXELS }, () => (rand() < 0.15 ? 1 : 0))]) {
          for (const config of CONFIGS) {
            const what = `${JSON.stringify(config)} ${nChannels} ch ${invalid ? 'with' : 'no'} invalid`;
            const simd = new ImageExtractor(config, READOUT, NEIGHBORS, { simd: true }).extract(w, shape, selected, invalid);
            const js = new ImageExtractor(config, READOUT, NEIGHBORS, { simd: false }).extract(w, shape, selected, invalid);
            expectIdentical(simd.peakIndex, js.peakIndex, `${what} peak index`);
            expectIdentical(simd.charge, js.charge, `${what} charge`);
            expectIdentical(simd.peakTime, js.peakTime, `${what} peak time`);
            compared++;
          }
        }
      }
      expect(compared).toBe(2 * 2 * CONFIGS.length);
    });
  }

  for (const nGains of [1, 2]) {
    it(`R0 → R1 → DL1 of uint16 samples around the gain threshold, ${nGains} gain(s)`, () => {
      const rand = seeded(100 + nGains);
      for (const nSamples of [2, 5, 8, 9, 30, 40]) {
        const n = nGains * N_PIXELS;
        const r0 = Uint16Array.from({ length: n * nSamples }, () =>
          rand() < 0.02 ? 3995 + Math.floor(rand() * 10) : rand() < 0.01 ? 65535 : Math.floor(200 + rand() * 300),
        );
        const pedestal = Float32Array.from({ length: n }, () => 250 + rand() * 50);
        const dcToPe = Float32Array.from({ length: n }, () => 0.01 + rand() * 0.05);
        const timeShift = Float32Array.from({ length: n }, () => rand() * 2 - 1);
        const hv = [3, 17, 18, 19];
        for (const [gainThreshold, calibScale, calibShift] of [
          [4000, 1, 0],
          [4000.5, 1.1, 0.25],
          [3999, 0.9, -1],
          [-1, 1, 0],
          [70000, 1, 0],
          [0, 1, 0],
        ]) {
          for (const extractor of [{ type: 'NeighborPeakWindowSum' }, { type: 'LocalPeakWindowSum' }] as ImageExtractorConfig[]) {
            const setup = { nGains, nPixels: N_PIXELS, readout: READOUT, neighbors: NEIGHBORS, hvDisabledPixels: hv };
            const event = { r0, nSamples, pedestal, dcToPe, timeShift };
            const options = { gainThreshold, calibScale, calibShift, extractor };
            const simd = new SimtelCalibrator(setup, { ...options, simd: true }).calibrate(event);
            const js = new SimtelCalibrator(setup, { ...options, simd: false }).calibrate(event);
            const what = `${nSamples} samples, threshold ${gainThreshold}, scale ${calibScale}, shift ${calibShift}, ${extractor.type}`;
            expectIdentical(simd.r1.selectedGainChannel!, js.r1.selectedGainChannel!, `${what} selected gain`);
            expectIdentical(simd.r1.waveforms!, js.r1.waveforms!, `${what} R1`);
            expectIdentical(simd.r1.pixelStatus, js.r1.pixelStatus, `${what} pixel status`);
            expectIdentical(simd.dl1.image, js.dl1.image, `${what} image`);
            expectIdentical(simd.dl1.peakTime, js.dl1.peakTime, `${what} peak time`);
            if (nGains === 2 && gainThreshold === 4000)
              expect(
                simd.r1.selectedGainChannel!.some((g) => g === 1),
                what,
              ).toBe(true);
          }
        }
      }
    });
  }
});
