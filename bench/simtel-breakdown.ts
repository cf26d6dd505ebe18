/**
 * Where Lightpool's time per sim_telarray event goes (bench/simtel.bench.ts),
 * each step measured on its own in CPU time, not estimated:
 *
 * - `decompress`: our whole-file decoder alone (the one sequential reading
 *   uses: zstd in WebAssembly, gzip by Node's zlib) over the file held in
 *   memory, output dropped;
 * - `parse`: reading every event of the decompressed file written out
 *   uncompressed (EventIO objects, ADC sample decoding, event assembly:
 *   openSimtelFile's sequential reading with SIMTEL_DL1_EVENT_PARTS; the
 *   open not counted, as in the bench's passes);
 * - `r0→r1`, `extract`, `clean+params`: the three steps of
 *   SimtelDL1Processor (SimtelCalibrator.toR1: gain selection, pedestal,
 *   dc_to_pe; CameraCalibrator.calibrate: NeighborPeakWindowSum with the
 *   time shift and NeighborAverage; ImageProcessor.process: tailcuts,
 *   quality query, every parameter), each looped over the events of one
 *   pass held in memory, its input made by the step before.
 *
 * Their sum beside the whole chain says what is left (glue, checks,
 * caches that the isolated loops keep warm).
 */
import { readFileSync } from 'node:fs';
import { codecFor, detectCompression } from '../src-worker/io/eventio/compression.js';
import { openSimtelFile } from '../src-worker/io/simtel/simtel-file.js';
import { CTAPIPE_PROCESS_DEFAULT_CLEANING, SIMTEL_DL1_EVENT_PARTS, simtelTelescopeSetup } from '../src-worker/io/simtel/simtel-dl1.js';
import type { SimtelEvent, SimtelTelescopeEvent } from '../src-worker/io/simtel/simtel-types.js';
import { SimtelCalibrator } from '../src-worker/calib/simtel-calibration.js';
import { ImageProcessor, type ImageProcessorSettings } from '../src-worker/image/image-processor.js';
import { CTAPIPE_DEFAULT_IMAGE_QUALITY } from '../src-worker/image/image-quality-query.js';
import type { WaveformSamples } from '../src-worker/calib/waveform-types.js';
import { simtelInvalidPixels } from '../src-worker/calib/pixel-status.js';

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds per call of `fn`, calling it until `seconds` of CPU (at least twice), after one call not counted. */
function perCall(fn: () => void, seconds: number): number {
  fn();
  let n = 0;
  const c0 = cpuSeconds();
  let c = c0;
  while (c - c0 < seconds || n < 2) {
    fn();
    n++;
    c = cpuSeconds();
  }
  return (c - c0) / n;
}

export interface Breakdown {
  /** µs per event */
  decompress: number;
  parse: number;
  r0r1: number;
  extract: number;
  cleanParams: number;
  /** the whole chain over the same in-memory events, µs per event */
  chainInMemory: number;
}

/** compressed bytes per push, as sequential reading gives them (positioned-reader.ts: SEQUENTIAL_READ) */
const PIECE = 1 << 20;

/** Our decoder over `compressed` (all of it in memory), the output dropped; returns the decoded bytes. */
function decodeAll(compressed: Uint8Array): number {
  const kind = detectCompression(compressed.subarray(0, 8));
  if (kind.kind !== 'gzip' && kind.kind !== 'zstd') return 0;
  const codec = codecFor(kind.kind, true)!;
  let bytes = 0;
  const d = codec.create((chunk) => {
    bytes += chunk.length;
  });
  for (let off = 0; off < compressed.length;) {
    const piece = compressed.subarray(off, Math.min(off + PIECE, compressed.length));
    let taken = 0;
    while (taken < piece.length) taken += d.push(piece.subarray(taken));
    off += piece.length;
  }
  d.finish();
  d.dispose?.();
  return bytes;
}

/** CPU seconds of reading every event of `path`, the open not counted (as in the bench's passes). */
function readAll(path: string): number {
  const f = openSimtelFile(path, { index: 'lazy', sequential: true, focalLengthChoice: 'EQUIVALENT' });
  try {
    const c0 = cpuSeconds();
    for (const ev of f.iterEvents(SIMTEL_DL1_EVENT_PARTS)) if (ev.tel.length < 0) throw new Error('');
    return cpuSeconds() - c0;
  } finally {
    f.close();
  }
}

/** CPU seconds per pass of readAll, passes until `seconds` of them (at least two), after one not counted. */
function readPerPass(path: string, seconds: number): number {
  readAll(path);
  let n = 0;
  let t = 0;
  while (t < seconds || n < 2) {
    t += readAll(path);
    n++;
  }
  return t / n;
}

interface TelWork {
  te: SimtelTelescopeEvent;
  cal: SimtelCalibrator;
  proc: ImageProcessor;
  settings: ImageProcessorSettings;
  r1?: { selected: Int8Array | null; waveforms: WaveformSamples };
  dl1?: { image: Float32Array; peakTime: Float32Array };
}

/**
 * `path`: the file as benchmarked; `rawPath`: the same EventIO data
 * uncompressed; `nEvents`: events per pass.
 */
export function measureBreakdown(path: string, rawPath: string, nEvents: number, seconds: number, chain: (events: SimtelEvent[]) => void): Breakdown {
  const compressed = new Uint8Array(readFileSync(path));
  const decompress = perCall(() => decodeAll(compressed), seconds) / nEvents;
  const parse = readPerPass(rawPath, seconds) / nEvents;

  // the events of one pass, in memory, and per telescope the pieces SimtelDL1Processor uses
  const f = openSimtelFile(rawPath, { index: 'lazy', sequential: true, focalLengthChoice: 'EQUIVALENT' });
  const events: SimtelEvent[] = [];
  const work: TelWork[] = [];
  try {
    const byTel = new Map<number, { cal: SimtelCalibrator; proc: ImageProcessor }>();
    for (const ev of f.iterEvents(SIMTEL_DL1_EVENT_PARTS)) {
      events.push(ev);
      if (ev.kind !== 'data') continue;
      for (const te of ev.tel) {
        let t = byTel.get(te.telId);
        if (!t) {
          const tel = f.subarray.telescopes.find((x) => x.telId === te.telId)!;
          t = {
            cal: new SimtelCalibrator(simtelTelescopeSetup(tel), { keepR1Waveforms: false }),
            proc: new ImageProcessor({ key: `tel ${te.telId}`, geometry: tel.camera.geometry, frame: 'TelescopeFrame', focalLength: tel.frameFocalLength }),
          };
          byTel.set(te.telId, t);
        }
        work.push({ te, ...t, settings: { cleaning: CTAPIPE_PROCESS_DEFAULT_CLEANING, quality: CTAPIPE_DEFAULT_IMAGE_QUALITY, parameters: 'all' } });
      }
    }
  } finally {
    f.close();
  }
  const n = events.length;
  const calInput = (w: TelWork) => ({
    r0: w.te.r0.waveform,
    nSamples: w.te.r0.nSamples,
    pedestal: w.te.pedestalPerSample!,
    dcToPe: w.te.dcToPe!,
    timeShift: w.te.timeShift,
  });
  const r0r1 = perCall(() => {
    for (const w of work) w.cal.toR1(calInput(w));
  }, seconds);
  for (const w of work) {
    const r = w.cal.toR1(calInput(w));
    w.r1 = { selected: r.selected?.slice() ?? null, waveforms: r.waveforms.slice() };
  }
  const toDL1 = (w: TelWork) => {
    const { nGains, nPixels, hvDisabledPixels } = w.cal.setup;
    const sel = w.r1!.selected;
    const invalidPixels = hvDisabledPixels.length > 0 ? simtelInvalidPixels(hvDisabledPixels, nGains, nPixels, sel) : null;
    return w.cal.calibrator.calibrate(
      { waveforms: w.r1!.waveforms, nChannels: sel ? 1 : nGains, nPixels, nSamples: w.te.r0.nSamples, selectedGainChannel: sel },
      { invalidPixels, timeShift: w.te.timeShift, nGains },
    );
  };
  const extract = perCall(() => {
    for (const w of work) toDL1(w);
  }, seconds);
  for (const w of work) {
    const d = toDL1(w);
    w.dl1 = { image: d.image.slice(), peakTime: d.peakTime.slice() };
  }
  const cleanParams = perCall(() => {
    for (const w of work) w.proc.process(w.dl1!.image, w.dl1!.peakTime, w.settings);
  }, seconds);
  const chainInMemory = perCall(() => chain(events), seconds);
  const us = (s: number) => (1e6 * s) / n;
  return {
    decompress: 1e6 * decompress,
    parse: 1e6 * parse,
    r0r1: us(r0r1),
    extract: us(extract),
    cleanParams: us(cleanParams),
    chainInMemory: us(chainInMemory),
  };
}
