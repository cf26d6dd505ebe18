/**
 * Waveform calibration speed, one core: LSTCam images per second of
 * Lightpool's src-worker/calib beside ctapipe 0.26 on the same waveforms,
 * measured in the same run (ctapipe first, then ours, `rounds` times):
 *
 *   R1 → DL1 <type>   CameraCalibrator with that image extractor (default
 *                     windows, integration correction, time shift,
 *                     NeighborAverage); ctapipe: CameraCalibrator(event)
 *   R0 → DL1          the whole default chain (SimtelCalibrator.calibrate:
 *                     gain selection, pedestal, dc_to_pe, NeighborPeakWindowSum...)
 *                     returning the R1 waveforms (what the waveform view
 *                     needs), without them (what `process` needs), and on
 *                     the JavaScript path only (no SIMD); ctapipe:
 *                     apply_simtel_r1_calibration + CameraCalibrator, the
 *                     two rates combined
 *
 * Waveforms: the 3 telescope events of test/fixtures/simtel/
 * lst_muons_with_true_photons.simtel.zst (LSTCam, 1855 pixels × 30 samples,
 * 2 gains), cycled. Until Lightpool's sim_telarray reader lands, the R0
 * samples and the calibration inputs come from ctapipe's SimTelEventSource
 * (calibration-ctapipe.py dump); without the ctapipe oracle this benchmark
 * says so and skips. Every call returns fresh output arrays (as the
 * pipeline transfers them on), like ctapipe's.
 *
 * Rates: calls per second of this process's CPU time in the best ~100 ms
 * window (ctapipe's: time.process_time in the same way), so a shared
 * machine reports the speed of one core; wall-clock rates in brackets.
 *
 * Run: npm run bench calibration, or node bench/results/bundles/calibration.mjs [seconds-per-case] [rounds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ctapipe } from '../test/helpers/reference-tools.js';
import { CameraCalibrator, type R1CameraEvent } from '../src-worker/calib/camera-calibrator.js';
import { IMAGE_EXTRACTOR_TYPES, type CameraReadout } from '../src-worker/calib/image-extractor.js';
import {
  SimtelCalibrator,
  type SimtelCalibrationOptions,
  type SimtelTelescopeEvent,
  type SimtelTelescopeSetup,
} from '../src-worker/calib/simtel-calibration.js';

const seconds = Number(process.argv[2] ?? 2);
const rounds = Math.max(1, Number(process.argv[3] ?? 2));

function findUp(rel: string): string {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    let dir = start;
    for (let i = 0; i < 5; i++) {
      const c = join(dir, rel);
      if (existsSync(c)) return c;
      dir = dirname(dir);
    }
  }
  throw new Error(`${rel} not found above ${process.cwd()}`);
}

const tool = ctapipe();
if (!tool.ok) {
  console.log(`SKIPPED: calibration needs the ctapipe oracle for its inputs and its anchor (${tool.why})`);
  process.exit(0);
}
const SIMTEL = findUp('test/fixtures/simtel/lst_muons_with_true_photons.simtel.zst');
const SCRIPT = findUp('bench/calibration-ctapipe.py');

interface Ref {
  file: string;
  dtype: string;
  shape: number[];
}
interface Dump {
  camera: string;
  n_pixels: number;
  n_channels: number;
  time_slice_ns: number;
  reference_pulse_shape: Ref;
  reference_pulse_sample_width_ns: number;
  hv_disabled: number[];
  neighbors_indptr: Ref;
  neighbors_indices: Ref;
  events: { event_id: number; r0: Ref; pedestal: Ref; dc_to_pe: Ref; time_shift: Ref }[];
}

const dir = mkdtempSync(join(tmpdir(), 'lp-calib-bench-'));
execFileSync(tool.path, [SCRIPT, 'dump', dir, SIMTEL], { stdio: ['ignore', 'pipe', 'inherit'] });
const dump = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Dump;
const bytes = (r: Ref) => {
  const b = readFileSync(join(dir, r.file));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const readout: CameraReadout = {
  samplingRateGHz: 1 / dump.time_slice_ns,
  referencePulseShape: new Float64Array(bytes(dump.reference_pulse_shape)),
  referencePulseGains: dump.reference_pulse_shape.shape[0],
  referencePulseSampleWidthNs: dump.reference_pulse_sample_width_ns,
};
const nPixels = dump.n_pixels;
const nGains = dump.n_channels;
const setup: SimtelTelescopeSetup = {
  nGains,
  nPixels,
  readout,
  neighbors: { nPixels, offsets: new Int32Array(bytes(dump.neighbors_indptr)), indices: new Int32Array(bytes(dump.neighbors_indices)) },
  hvDisabledPixels: dump.hv_disabled,
};
const events: SimtelTelescopeEvent[] = dump.events.map((e) => ({
  r0: new Uint16Array(bytes(e.r0)),
  nSamples: e.r0.shape[2],
  pedestal: new Float32Array(bytes(e.pedestal)),
  dcToPe: new Float32Array(bytes(e.dc_to_pe)),
  timeShift: new Float32Array(bytes(e.time_shift)),
}));
rmSync(dir, { recursive: true, force: true });
const nSamples = events[0].nSamples;
const full = new SimtelCalibrator(setup);
const r1Events: R1CameraEvent[] = events.map((e) => {
  const r = full.calibrate(e).r1;
  return { waveforms: r.waveforms!, nChannels: r.nChannels, nPixels, nSamples, selectedGainChannel: r.selectedGainChannel };
});

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Rate {
  cpu: number;
  wall: number;
}

/** calls per second of CPU time in the best ~100 ms window, and the wall-clock rate */
function rate(fn: (i: number) => void): Rate {
  for (let i = 0; i < 300; i++) fn(i);
  let calls = 0;
  let best = 0;
  const t0 = performance.now();
  let t = t0;
  const end = t0 + seconds * 1000;
  while (t < end) {
    const c0 = cpuMs();
    const w0 = t;
    const before = calls;
    while (t - w0 < 100 && t < end) {
      for (let k = 0; k < 10; k++) fn(calls++);
      t = performance.now();
    }
    const cpu = cpuMs() - c0;
    if (cpu > 20) best = Math.max(best, ((calls - before) * 1000) / cpu);
  }
  return { cpu: best, wall: (calls * 1000) / (t - t0) };
}

let sink = 0;
function ours(): Record<string, Rate> {
  const out: Record<string, Rate> = {};
  for (const type of IMAGE_EXTRACTOR_TYPES) {
    const cal = new CameraCalibrator(readout, setup.neighbors, { extractor: { type } });
    out[type] = rate((i) => {
      const k = i % events.length;
      sink += cal.calibrate(r1Events[k], { invalidPixels: null, timeShift: events[k].timeShift, nGains }).image[5];
    });
  }
  const chain = (options: SimtelCalibrationOptions) => {
    const c = new SimtelCalibrator(setup, options);
    return rate((i) => {
      sink += c.calibrate(events[i % events.length]).dl1.image[5];
    });
  };
  out.r0_to_dl1 = chain({});
  out.r0_to_dl1_no_r1 = chain({ keepR1Waveforms: false });
  out.r0_to_dl1_js = chain({ simd: false });
  return out;
}

function theirs(): Record<string, Rate> {
  const out = execFileSync(tool.path, [SCRIPT, 'measure', SIMTEL, String(seconds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out) as Record<string, Rate>;
  const chain = (a: number, b: number) => 1 / (1 / a + 1 / b);
  r.r0_to_dl1 = { cpu: chain(r.r0_to_r1.cpu, r.NeighborPeakWindowSum.cpu), wall: chain(r.r0_to_r1.wall, r.NeighborPeakWindowSum.wall) };
  r.r0_to_dl1_no_r1 = r.r0_to_dl1_js = r.r0_to_dl1;
  return r;
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

console.log(
  `${dump.camera} (${nPixels} pixels × ${nSamples} samples, ${nGains} gains), ${events.length} events cycled; node ${process.version}, one core; ${seconds} s per case, ${rounds} rounds (ctapipe, then Lightpool)`,
);
const lp: Record<string, Rate>[] = [];
const cp: Record<string, Rate>[] = [];
for (let r = 0; r < rounds; r++) {
  cp.push(theirs());
  lp.push(ours());
}
const CASES: [string, string][] = [
  ...IMAGE_EXTRACTOR_TYPES.map((t): [string, string] => [t, `R1 → DL1 ${t}`]),
  ['r0_to_dl1', 'R0 → DL1 default chain, R1 kept (view)'],
  ['r0_to_dl1_no_r1', 'R0 → DL1 default chain, no R1 copy (process)'],
  ['r0_to_dl1_js', 'R0 → DL1 default chain, JavaScript only'],
];
const f0 = (x: number) => x.toFixed(0).padStart(8);
for (const [key, label] of CASES) {
  const ratios = lp.map((x, i) => x[key].cpu / cp[i][key].cpu);
  const ourCpu = median(lp.map((x) => x[key].cpu));
  const theirCpu = median(cp.map((x) => x[key].cpu));
  console.log(
    `${label.padEnd(46)} ${f0(ourCpu)} images/s [wall ${f0(median(lp.map((x) => x[key].wall)))}]   ctapipe ${f0(theirCpu)} [wall ${f0(median(cp.map((x) => x[key].wall)))}]   ratio ×${median(ratios).toFixed(1)} (${ratios.map((x) => x.toFixed(1)).join(' ')})`,
  );
}
if (sink === 42.4242) console.log('');
