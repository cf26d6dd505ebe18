/**
 * The lab spectrometer's signals (test/fixtures/lab/digitized_preamp_signals.h5,
 * 1000 × 3000 int16) through Lightpool's shaper against the numpy a
 * physicist writes from the seed's description, run in the same test:
 * baseline = mean of the first 500 samples, Jordanov's recursion with
 * cumsum, divided by M·k (or (M + 1)·k), amplitude = max of the shaped
 * trace (or the mean over the central half of the flat top), 10–90 % rise
 * time; every signal within 1e-9 relative.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { numericDatasetInfo, readNumericRows } from '../../../../src-worker/lab/numeric-dataset.js';
import { measurePulses, type PulseShapingOptions } from '../../../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import type { NumericSamples } from '../../../../src-worker/lab/waveform/trapezoidal-shaper.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { runPython } from './lab-python.js';

const SIGNALS = fileURLToPath(new URL('../../../fixtures/lab/digitized_preamp_signals.h5', import.meta.url));
const PY = python('numpy', 'h5py');

const NUMPY = String.raw`
import sys, json, numpy as np, h5py
path, k, m, M, nb, gain = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
with h5py.File(path, 'r') as f:
    v = f['/signals'][:].astype(np.float64)
v = v - v[:, :nb].mean(axis=1, keepdims=True)          # baseline from the pre-trigger
l = k + m
d = v.copy()                                            # Jordanov: d = v[n] - v[n-k] - v[n-l] + v[n-k-l]
d[:, k:] -= v[:, :-k]
d[:, l:] -= v[:, :-l]
d[:, k + l:] += v[:, :-(k + l)]
p = np.cumsum(d, axis=1)
s = np.cumsum(p + M * d, axis=1) / (M * k if gain == 'Mk' else (M + 1) * k)
amp = s.max(axis=1)
peak = s.argmax(axis=1)
# mean over the central half of the flat top, centred between the half-maximum crossings
ftm = np.empty(len(s))
w = max(1, m // 2)
for i, (row, j) in enumerate(zip(s, peak)):
    half = row[j] / 2
    a = j
    while a > 0 and row[a - 1] >= half: a -= 1
    b = j
    while b < len(row) - 1 and row[b + 1] >= half: b += 1
    c = 0.5 * (a + b)
    start = int(np.floor(c - 0.5 * (w - 1) + 0.5))      # round half up, as JS Math.round
    start = max(0, min(start, len(row) - w))
    ftm[i] = row[start:start + w].mean()
# 10-90 % rise time on a 5-sample moving average of the raw signal, walking back from its maximum
rt = np.empty(len(v))
csum = np.cumsum(np.pad(v, ((0, 0), (1, 0))), axis=1)
sm = (csum[:, 5:] - csum[:, :-5]) / 5
for i, row in enumerate(sm):
    j = int(row.argmax()); top = row[j]
    def cross(level, start):
        for q in range(start, 0, -1):
            if row[q - 1] < level:
                return q - 1 + (level - row[q - 1]) / (row[q] - row[q - 1])
        return float('nan')
    t90 = cross(0.9 * top, j)
    rt[i] = t90 - cross(0.1 * top, int(np.floor(t90))) if np.isfinite(t90) else float('nan')
print(json.dumps({'amp': amp.tolist(), 'peak': peak.tolist(), 'ftm': ftm.tolist(), 'rt': rt.tolist()}))
`;

interface Ref {
  amp: number[];
  peak: number[];
  ftm: number[];
  rt: number[];
}

function expectRelClose(ours: ArrayLike<number>, theirs: number[], tol: number, what: string) {
  expect(ours.length).toBe(theirs.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < theirs.length; i++) {
    const d = Math.abs(ours[i] - theirs[i]) / Math.max(Math.abs(theirs[i]), 1e-300);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative difference at signal ${at}: ${ours[at]} vs ${theirs[at]}`).toBeLessThanOrEqual(tol);
}

describeWith([PY], 'lab spectroscopy: the shaper on every signal of the shared file equals numpy', () => {
  let signals: NumericSamples;
  let nSamples = 0;
  beforeAll(async () => {
    const f = await H5File.open(SIGNALS);
    try {
      const info = numericDatasetInfo(f, '/signals', [2], 'signals');
      nSamples = info.shape[1];
      signals = readNumericRows(f, info, 0, info.shape[0]);
    } finally {
      f.close();
    }
  });
  afterAll(() => {});

  const base: PulseShapingOptions = { k: 450, m: 60, M: 3600, baselineSamples: 500 };

  itWith(
    [PY],
    "M·k gain (the seed's default): amplitudes (max and flat-top mean), peak samples and rise times",
    () => {
      expect(signals).toBeInstanceOf(Int16Array);
      const ref = runPython<Ref>(PY, NUMPY, [SIGNALS, '450', '60', '3600', '500', 'Mk']);
      const ours = measurePulses(signals, nSamples, { ...base, riseTime: true });
      expect(ours.amplitude.length).toBe(1000);
      expectRelClose(ours.amplitude, ref.amp, 1e-9, 'max amplitude');
      expect(Array.from(ours.peakSample)).toEqual(ref.peak);
      const ftm = measurePulses(signals, nSamples, { ...base, amplitude: 'flat-top-mean' });
      expectRelClose(ftm.amplitude, ref.ftm, 1e-9, 'flat-top mean');
      expectRelClose(ours.riseTime, ref.rt, 1e-9, 'rise time');
      // the photopeak is there: 1.7 keV line at 661.657 keV = 1323 ADC, minus the deficits
      expect(ours.amplitude.filter((a) => a > 1290 && a < 1340).length).toBeGreaterThan(300);
    },
    300_000,
  );

  itWith(
    [PY],
    "(M + 1)·k gain: every amplitude equals numpy's and is M/(M + 1) of the M·k one",
    () => {
      const ref = runPython<Ref>(PY, NUMPY, [SIGNALS, '450', '60', '3600', '500', 'M1k']);
      const ours = measurePulses(signals, nSamples, { ...base, gain: 'M1k' });
      expectRelClose(ours.amplitude, ref.amp, 1e-9, 'max amplitude (M+1)k');
      const mk = measurePulses(signals, nSamples, base);
      expectRelClose(
        ours.amplitude,
        Array.from(mk.amplitude, (a) => (a * 3600) / 3601),
        1e-12,
        'gain ratio',
      );
      // any numeric type: the same signals as float32, float64 and int32 give the same numbers
      for (const as of [Float32Array.from(signals), Float64Array.from(signals), Int32Array.from(signals)]) {
        expect(Array.from(measurePulses(as, nSamples, base).amplitude)).toEqual(Array.from(mk.amplitude));
      }
    },
    300_000,
  );
});
