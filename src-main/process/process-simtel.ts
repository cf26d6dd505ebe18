/**
 * `lightpool process FILE.simtel[.gz|.zst] --out OUT.dl1.h5 [--write-waveforms]`:
 * a sim_telarray file to ctapipe's DL1 layout, as ctapipe-process writes it
 * with its defaults (SimTelEventSource → CameraCalibrator → ImageProcessor →
 * DataWriter with images and parameters; `--write-waveforms` adds
 * DataWriter.write_r0_waveforms / write_r1_waveforms).
 *
 * One pass over the file in order (sequential reading); each event is
 * calibrated and parameterised by SimtelDL1Processor with the cleaning and
 * quality settings of `--config` (or ctapipe's defaults), its true images
 * parameterised as ctapipe's ImageProcessor does, and appended to the
 * output (src-worker/io/simtel/simtel-dl1-output.ts). Calibration events are
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
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSimtelFile } from '../../src-worker/io/simtel/index.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../../src-worker/io/simtel/simtel-dl1.js';
import { SimtelDl1Output } from '../../src-worker/io/simtel/simtel-dl1-output.js';
import { simtelTelDescription } from '../../src-worker/io/simtel/simtel-dl1-instrument.js';
import { IMAGE_STATUS } from '../../src-worker/image/image-processor.js';
import { N_PARAMETER_COLUMNS, packDefaultImageParameters } from '../../src-worker/image/parameter-columns.js';
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
  /** only these array events (obs_id, event_id); default every event */
  events?: readonly { obsId: number; eventId: number }[];
  command?: string;
  compressionLevel?: number;
  onProgress?: (p: ProcessProgress) => void;
  signal?: AbortSignal;
}

export async function runProcessSimtel(opts: ProcessSimtelOptions): Promise<ProcessSummary> {
  const t0 = performance.now();
  const { input, output } = checkProcessPaths(opts.input, opts.output, opts.overwrite);
  const settings = opts.settings ?? defaultProcessSettings();
  const signal = opts.signal;
  const checkCancel = () => {
    if (signal?.aborted) throw new ProcessCancelled();
  };
  const progress = opts.onProgress ?? (() => {});

  const file = openSimtelFile(input, { index: 'lazy', sequential: true, focalLengthChoice: settings.focalLengthChoice, signal });
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let out: SimtelDl1Output | null = null;
  try {
    const types = file.subarray.telescopes.map((t) => ({ telId: t.telId, type: simtelTelDescription(t) }));
    const resolved = settings.resolve(types);
    const calibration = settings.calibration.resolve({ typeOf: new Map(types.map((t) => [t.telId, t.type])) });
    const processor = new SimtelDL1Processor(file.subarray, {
      calibration: (t) => ({ ...calibration.calibrationFor(t.telId), keepR1Waveforms: opts.writeWaveforms === true }),
      cleaning: (t) => resolved.cleaningFor(t.telId),
      quality: settings.imageQuality,
    });
    out = new SimtelDl1Output(temp, file.run, file.subarray, processor.parameterColumns, {
      waveforms: opts.writeWaveforms === true,
      level: opts.compressionLevel,
      command: opts.command,
      software: { name: LIGHTPOOL_NAME, version: LIGHTPOOL_VERSION },
    });
    let images = 0;
    let parameterised = 0;
    let skipped = 0;
    let lastTick = 0;
    const trueParameters = new Map<number, Float64Array>();
    const trueBuffers = new Map<number, Float64Array>();
    const truePacked = (telId: number) => {
      let b = trueBuffers.get(telId);
      if (!b) trueBuffers.set(telId, (b = new Float64Array(N_PARAMETER_COLUMNS)));
      return b;
    };
    const tImages = performance.now();
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
      const dl1 = processor.process(event);
      if (dl1.skipped) {
        skipped++;
        continue;
      }
      trueParameters.clear();
      for (const te of event.tel) {
        const packed = truePacked(te.telId);
        if (processor.processTrueImage(te, packed) !== null) trueParameters.set(te.telId, packed);
        else if (Number.isFinite(te.trueImageSum)) {
          // the output's true image is then all -1 (see SimtelDl1Output): ctapipe's default true parameters, uncounted,
          // so that ctapipe's HDF5EventSource finds the table it reads beside a true image
          packDefaultImageParameters(packed, 0);
          trueParameters.set(te.telId, packed);
        }
      }
      out.append(event, dl1.tel, trueParameters);
      if (wanted) found.add(`${event.obsId}:${event.eventId}`);
      images += dl1.tel.length;
      for (const t of dl1.tel) if (t.status === IMAGE_STATUS.ok) parameterised++;
      const now = performance.now();
      if (now - lastTick > 250) {
        lastTick = now;
        // the total is not known before the end of a compressed stream: total 0 (unknown) until the end
        const s = (now - tImages) / 1000;
        progress({ phase: 'images', done: images, total: 0, rate: s > 0 ? images / s : 0 });
        // let Ctrl-C (the SIGINT handler) run between events
        await new Promise<void>((r) => setImmediate(r));
      }
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
    const imageSeconds = (performance.now() - tImages) / 1000;
    progress({ phase: 'images', done: images, total: images, rate: imageSeconds > 0 ? images / imageSeconds : 0 });
    checkCancel();
    const quality = settings.imageQuality && processor.qualityCounts ? { criteria: settings.imageQuality, counts: processor.qualityCounts } : null;
    const nEvents = out.events;
    progress({ phase: 'write', done: 0, total: 1 });
    const bytes = out.close(quality);
    out = null;
    checkCancel();
    renameSync(temp, output);
    progress({ phase: 'write', done: 1, total: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const notes = [...settings.notes, ...resolved.notes, ...calibration.notes, ...file.warnings.map((w) => `${input}: ${w}`)];
    if (skipped) notes.push(`${skipped} calibration event(s) skipped (as ctapipe-process does)`);
    notes.push('not written: the true impact distances (/simulation/event/telescope/impact) and stereo (ctapipe-process writes no DL2 by default)');
    return {
      output,
      nEvents,
      nImages: images,
      nParameterised: parameterised,
      nStereoValid: 0,
      seconds,
      imagesPerSecond: imageSeconds > 0 ? images / imageSeconds : 0,
      bytes,
      threads: 1,
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
