/**
 * `lightpool process FILE.simtel[.gz|.zst] --out OUT.dl1.h5 [--write-waveforms]`:
 * a sim_telarray file to ctapipe's DL1 layout, as ctapipe-process writes it
 * with its defaults (SimTelEventSource → CameraCalibrator → ImageProcessor →
 * DataWriter with images and parameters; `--write-waveforms` adds
 * DataWriter.write_r0_waveforms / write_r1_waveforms).
 *
 * One pass over the file in order (sequential reading); each event is
 * calibrated and parameterised by SimtelDL1Processor with the calibration,
 * cleaning and quality settings of `--config` (or ctapipe's defaults), its
 * true images parameterised as ctapipe's ImageProcessor does, and appended
 * to the output (src-worker/io/simtel/simtel-dl1-output.ts).
 *
 * With `threads` 1 all of it runs in this thread. With more, a reader thread
 * decodes the file and hands on batches of events (their samples in
 * transferred buffers); with 2 threads it calibrates and parameterises them
 * itself, with N ≥ 3 the worker pool (N - 2 workers) does; this thread only
 * submits the batches in file order, a bounded number at a time, and writes
 * their results in the same order (src-worker/io/simtel/simtel-dl1-batch.ts):
 * the same output for any number of threads, memory bounded by the batches
 * in flight. Calibration events are
 * skipped as ctapipe-process skips them. The output is written to a
 * temporary file next to OUT and renamed only when complete: an error or
 * Ctrl-C leaves nothing under OUT. A truncated input gives its complete
 * events and then fails with the reader's message (nothing written), as a
 * half-read run is not a product.
 *
 * With `events` (`lightpool export FILE.simtel.zst --events obs:event,...`)
 * only those array events are calibrated and written, in file order; the
 * pass stops once all are found, and an event the file does not have is an
 * error naming it (nothing written).
 */
import { renameSync, rmSync } from 'node:fs';
import { temporaryOutputPath } from '../../src-worker/io/output-path.js';
import { randomBytes } from 'node:crypto';
import { openSimtelFile } from '../../src-worker/io/simtel/index.js';
import { Worker } from 'node:worker_threads';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../../src-worker/io/simtel/simtel-dl1.js';
import { SimtelDl1Output, type SimtelDl1OutputEvent } from '../../src-worker/io/simtel/simtel-dl1-output.js';
import {
  dl1OfEvent,
  wireBuffers,
  type SimtelDl1Job,
  type SimtelDl1Result,
  type SimtelDl1Task,
  type SimtelReaderData,
  type SimtelReaderMessage,
  type SimtelWireEvent,
} from '../../src-worker/io/simtel/simtel-dl1-batch.js';
import type { TelescopeDL1 } from '../../src-worker/io/simtel/simtel-dl1.js';
import { WorkerPool } from '../pool/worker-pool.js';
import { workerScript } from '../util/dist-paths.js';
import { addQualityCounts, newQualityCounts } from '../../src-worker/selection/quality-query.js';
import { simtelTelDescription } from '../../src-worker/io/simtel/simtel-dl1-instrument.js';
import { IMAGE_STATUS } from '../../src-worker/image/image-processor.js';
import { Hdf5Error } from '../../src-worker/io/hdf5/h5-errors.js';
import { checkProcessPaths } from './process-paths.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import { defaultProcessSettings, type ProcessSettings } from './process-config.js';
import { ProcessCancelled, type ProcessProgress, type ProcessSummary } from './run-process.js';

/** sim_telarray file names: `.simtel`, `.simtel.gz`, `.simtel.zst` (and zstd's `.zstd`) */
export function isSimtelPath(path: string): boolean {
  return /\.simtel(\.(gz|zst|zstd))?$/i.test(path);
}

export interface ProcessSimtelOptions {
  input: string;
  output: string;
  settings?: ProcessSettings;
  overwrite?: boolean;
  /** write /r1 and /r0 waveform tables */
  writeWaveforms?: boolean;
  /**
   * threads (default 1): 1 runs everything in this thread; 2, a reader thread that also calibrates, this one
   * writing; N ≥ 3, a reader thread and N - 2 calibration workers. The default is 1 because reading (zstd,
   * EventIO) is the serial half of the work: on this 2-core machine 2 threads gave the same wall time
   * (LSTCam, 600 events: 1.38–1.40 s on 1 thread, 1.39–1.46 s on 2) for ~100 MB more memory
   */
  threads?: number;
  /** events per batch handed to a calibration worker (default 32; tests make it small to have many batches) */
  batchEvents?: number;
  /** only these array events (obs_id, event_id); default every event */
  events?: readonly { obsId: number; eventId: number }[];
  command?: string;
  compressionLevel?: number;
  onProgress?: (p: ProcessProgress) => void;
  signal?: AbortSignal;
}

/** Events per batch handed to a calibration worker, and the sample bytes that end a batch earlier. */
const BATCH_EVENTS = 32;
const BATCH_BYTES = 8 << 20;

export async function runProcessSimtel(opts: ProcessSimtelOptions): Promise<ProcessSummary> {
  const t0 = performance.now();
  const { input, output } = checkProcessPaths(opts.input, opts.output, opts.overwrite);
  const settings = opts.settings ?? defaultProcessSettings();
  const signal = opts.signal;
  const checkCancel = () => {
    if (signal?.aborted) throw new ProcessCancelled();
  };
  const progress = opts.onProgress ?? (() => {});
  // a selection of events (export) is read past in this thread: the pass stops once they are found
  const threads = opts.events ? 1 : Math.max(1, Math.floor(opts.threads ?? 1));

  const file = openSimtelFile(input, { index: 'lazy', sequential: true, focalLengthChoice: settings.focalLengthChoice, signal });
  const temp = temporaryOutputPath(output);
  let out: SimtelDl1Output | null = null;
  try {
    const types = file.subarray.telescopes.map((t) => ({ telId: t.telId, type: simtelTelDescription(t) }));
    const resolved = settings.resolve(types);
    const calibration = settings.calibration.resolve({ typeOf: new Map(types.map((t) => [t.telId, t.type])) });
    const keepR1Waveforms = opts.writeWaveforms === true;
    const processor = new SimtelDL1Processor(file.subarray, {
      source: file.path,
      calibration: (t) => ({ ...calibration.calibrationFor(t.telId), keepR1Waveforms }),
      cleaning: (t) => resolved.cleaningFor(t.telId),
      quality: settings.imageQuality,
    });
    out = new SimtelDl1Output(temp, file.run, file.subarray, processor.parameterColumns, {
      waveforms: opts.writeWaveforms === true,
      level: opts.compressionLevel,
      command: opts.command,
      software: { name: LIGHTPOOL_NAME, version: LIGHTPOOL_VERSION },
    });
    const writer = out;
    let images = 0;
    let parameterised = 0;
    let skipped = 0;
    let lastTick = 0;
    const tImages = performance.now();
    /** one event's results into the output; true when it was written */
    const write = (event: SimtelDl1OutputEvent, tel: readonly TelescopeDL1[], trueParameters: ReadonlyMap<number, Float64Array>, skip?: string) => {
      if (skip) {
        skipped++;
        return false;
      }
      writer.append(event, tel, trueParameters);
      images += tel.length;
      for (const t of tel) if (t.status === IMAGE_STATUS.ok) parameterised++;
      return true;
    };
    /** progress, and a turn for Ctrl-C (the SIGINT handler) */
    const tick = async () => {
      const now = performance.now();
      if (now - lastTick <= 250) return;
      lastTick = now;
      // the total is not known before the end of a compressed stream: total 0 (unknown) until the end
      const s = (now - tImages) / 1000;
      progress({ phase: 'images', done: images, total: 0, rate: s > 0 ? images / s : 0 });
      await new Promise<void>((r) => setImmediate(r));
    };

    let quality = processor.qualityCounts;
    let warnings: readonly string[] = file.warnings;
    if (threads === 1) {
      const scratch = new Map<number, Float64Array>();
      const wanted = opts.events ? new Set(opts.events.map((e) => `${e.obsId}:${e.eventId}`)) : undefined;
      const found = new Set<string>();
      let passed = 0;
      for (const event of file.iterEvents(SIMTEL_DL1_EVENT_PARTS)) {
        checkCancel();
        if (wanted) {
          const key = `${event.obsId}:${event.eventId}`;
          if (!wanted.has(key) || found.has(key)) {
            // let Ctrl-C run while the pass reads past events not asked for
            if (++passed % 64 === 0) await new Promise<void>((r) => setImmediate(r));
            continue;
          }
        }
        const r = dl1OfEvent(processor, event, false, scratch);
        if (!write(event, r.tel, r.trueParameters, r.skipped)) continue;
        if (wanted) found.add(`${event.obsId}:${event.eventId}`);
        await tick();
        // a selection: the rest of the file need not be read
        if (wanted && found.size === wanted.size) break;
      }
      if (wanted && found.size < wanted.size) {
        const missing = [...wanted].filter((k) => !found.has(k));
        throw new Hdf5Error(
          'bad-request',
          `${input}: no array event ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} (obs_id:event_id; calibration events are not array events)`,
          input,
        );
      }
    } else {
      const job: SimtelDl1Job = {
        id: `${process.pid}-${randomBytes(6).toString('hex')}`,
        path: input,
        focalLengthChoice: settings.focalLengthChoice,
        cleaning: Object.fromEntries(types.map((t) => [t.telId, resolved.cleaningFor(t.telId)])),
        calibration: Object.fromEntries(types.map((t) => [t.telId, { ...calibration.calibrationFor(t.telId), keepR1Waveforms }])),
        quality: settings.imageQuality,
      };
      const batchEvents = Math.max(1, Math.floor(opts.batchEvents ?? BATCH_EVENTS));
      // N threads: the main thread writing, a reader thread, and N - 2 calibration workers (none for 2: the reader calibrates)
      const r = await runPipeline({ input, job, workers: threads - 2, batchEvents, signal, write, tick });
      quality = r.quality;
      warnings = [...warnings, ...r.warnings];
    }
    const imageSeconds = (performance.now() - tImages) / 1000;
    progress({ phase: 'images', done: images, total: images, rate: imageSeconds > 0 ? images / imageSeconds : 0 });
    checkCancel();
    const qualityRecord = settings.imageQuality && quality ? { criteria: settings.imageQuality, counts: quality } : null;
    const nEvents = out.events;
    progress({ phase: 'write', done: 0, total: 1 });
    const bytes = out.close(qualityRecord);
    out = null;
    checkCancel();
    renameSync(temp, output);
    progress({ phase: 'write', done: 1, total: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const notes = [...settings.notes, ...resolved.notes, ...calibration.notes, ...[...new Set(warnings)].map((w) => `${input}: ${w}`)];
    if (skipped) notes.push(`${skipped} calibration event(s) skipped (as ctapipe-process does)`);
    notes.push('not written: stereo (ctapipe-process writes no DL2 by default)');
    return {
      output,
      nEvents,
      nImages: images,
      nParameterised: parameterised,
      nStereoValid: 0,
      seconds,
      imagesPerSecond: imageSeconds > 0 ? images / imageSeconds : 0,
      bytes,
      threads,
      notes,
    };
  } catch (err) {
    out?.abort();
    throw err;
  } finally {
    rmSync(temp, { force: true });
    file.close();
  }
}

interface PipelineOptions {
  input: string;
  job: SimtelDl1Job;
  workers: number;
  batchEvents: number;
  signal?: AbortSignal;
  write: (event: SimtelDl1OutputEvent, tel: readonly TelescopeDL1[], trueParameters: ReadonlyMap<number, Float64Array>, skip?: string) => boolean;
  tick: () => Promise<void>;
}

/** The reader thread, asked for one batch at a time. */
class SimtelReaderThread {
  private readonly worker: Worker;
  private waiting: { resolve: (m: SimtelReaderMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(data: SimtelReaderData) {
    this.worker = new Worker(workerScript('pool-worker'), { workerData: { lightpoolSimtelReader: data } });
    this.worker.on('message', (m: SimtelReaderMessage) => {
      const w = this.waiting;
      this.waiting = null;
      if (m.type === 'error') w?.reject(new Error(m.message));
      else w?.resolve(m);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(this.failure);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the sim_telarray reader thread stopped (exit code ${code})`)));
  }

  next(): Promise<SimtelReaderMessage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage({ type: 'next' });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the sim_telarray reader thread was closed');
    await this.worker.terminate();
  }
}

/**
 * Reader thread → calibration workers (or none: the reader calibrates) →
 * this thread, in file order: at most `2 × max(1, workers) + 1` batches
 * between the reader and the output.
 */
async function runPipeline(o: PipelineOptions): Promise<{ quality: ReturnType<typeof newQualityCounts> | null; warnings: string[] }> {
  // no calibration workers: the reader calibrates its batches itself
  const reader = new SimtelReaderThread({
    path: o.input,
    focalLengthChoice: o.job.focalLengthChoice,
    batchEvents: o.batchEvents,
    batchBytes: BATCH_BYTES,
    job: o.workers > 0 ? undefined : o.job,
  });
  const pool = o.workers > 0 ? new WorkerPool(o.workers) : null;
  const maxInFlight = 2 * Math.max(1, o.workers) + 1;
  const inFlight: { events: SimtelWireEvent[]; result: Promise<SimtelDl1Result> }[] = [];
  const quality = o.job.quality ? newQualityCounts(o.job.quality.length) : null;
  let warnings: string[] = [];
  let readerDone = false;
  let onSpace: (() => void) | null = null;
  let onItem: (() => void) | null = null;
  const wake = (which: 'space' | 'item') => {
    const f = which === 'space' ? onSpace : onItem;
    if (which === 'space') onSpace = null;
    else onItem = null;
    f?.();
  };
  const onAbort = () => {
    wake('space');
    wake('item');
    void reader.close();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const cancelled = () => o.signal?.aborted === true;
  try {
    // reads and submits, a bounded number of batches ahead of the output
    const filling = (async () => {
      for (;;) {
        while (inFlight.length >= maxInFlight && !cancelled()) await new Promise<void>((r) => (onSpace = r));
        if (cancelled()) return;
        const m = await reader.next();
        if (m.type === 'error') throw new Error(m.message);
        if (m.result) inFlight.push({ events: m.events, result: Promise.resolve(m.result) });
        else if (m.events.length) {
          const task: SimtelDl1Task = { kind: 'simtel-dl1', job: o.job, events: m.events };
          const result = pool!.run<SimtelDl1Result>(task, wireBuffers(m.events));
          result.catch(() => {}); // consumed in order below; an early failure must not go unhandled meanwhile
          inFlight.push({ events: m.events, result });
        }
        if (m.done) {
          warnings = m.warnings;
          readerDone = true;
          wake('item');
          return;
        }
        wake('item');
      }
    })();
    filling.catch(() => {});
    for (;;) {
      if (cancelled()) throw new ProcessCancelled();
      if (inFlight.length === 0) {
        if (readerDone) break;
        await Promise.race([new Promise<void>((r) => (onItem = r)), filling]);
        continue;
      }
      const batch = inFlight.shift()!;
      const r = await batch.result;
      wake('space');
      if (cancelled()) throw new ProcessCancelled();
      if (quality && r.qualityCounts) addQualityCounts(quality, r.qualityCounts);
      r.results.forEach((res, i) => {
        const trueParameters = new Map(res.trueTelIds.map((id, k) => [id, res.trueParameters[k]]));
        // the events as the worker gave them back: their samples and true images came back with them
        o.write(r.events[i], res.tel, trueParameters, res.skipped);
      });
      await o.tick();
    }
    await filling;
    return { quality, warnings };
  } catch (err) {
    if (cancelled()) throw new ProcessCancelled();
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await reader.close();
    await pool?.close();
  }
}
