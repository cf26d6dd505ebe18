/**
 * `lightpool record`: headless recording of a DAQ stream to one DL1-layout
 * HDF5 file (src-worker/io/dl1/dl1-recording-file.ts), for unattended runs.
 * The stream is read in its own thread, which sends every event straight to
 * the record worker (src-main/daq/client/record-feed.ts): this thread only
 * coordinates and prints progress, and `--events N` is exact (the reading
 * thread stops feeding after N). Reconnects with backoff if the stream drops
 * once connected; a source that cannot be reached at all is an error after
 * --connect-timeout. Ctrl-C ends the run early and still leaves a complete
 * file with what was recorded (no file when nothing was).
 *
 * One file is valid only once closed, so a crash (kill -9, power) loses it
 * all; `--split S` writes a sequence of files instead, each closed (and
 * complete) after S seconds, so a crash loses at most the last S seconds:
 * OUT_STEM_<start time>_00001.h5, ... beside OUT.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DaqClientThread } from '../../daq/client/daq-client-thread.js';
import { LiveRecorder } from '../../live/live-recorder.js';
import { defaultSubarray } from '../../../src-worker/instrument/default-subarray.js';
import type { RecordingStatus } from '../../api/live-contract.js';

function positiveInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError('must be a positive integer');
  return v;
}

function positive(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError('must be a positive number');
  return v;
}

export interface RecordOptions {
  source: string;
  out: string;
  events?: number;
  seconds?: number;
  /** write a new file every this many seconds (crash-safe) instead of one file */
  split?: number;
  /** give up when the source was never reached within this many seconds (default 10) */
  connectTimeout?: number;
  overwrite?: boolean;
  quiet?: boolean;
  /** image bytes received and not yet written, at most, before the recording stops with an error (default 256 MB) */
  maxPendingBytes?: number;
}

export interface RecordResult {
  path: string;
  /** the newest complete files written (none when no event was recorded; at most the last 100) */
  files: string[];
  /** complete files written, and the first */
  nFiles: number;
  firstFile?: string;
  /** true when a file exists (at least one event was recorded) */
  written: boolean;
  events: number;
  images: number;
  /** bytes of the file */
  bytes: number;
  /** events received for recording (equal to `events` unless `error` says why not) */
  offered: number;
  seconds: number;
  incomplete: number;
  /** event ids the server skipped (events it did not send us) */
  missedUpstream: number;
  /** why the recording stopped early (the disk could not keep up, a write failed) */
  error?: string;
  /** cameras written without a geometry table, with why (ctapipe cannot read the instrument of such a file) */
  camerasWithoutGeometry: string[];
}

function resultOf(path: string, s: RecordingStatus, t0: number, incomplete: number, missedUpstream: number): RecordResult {
  return {
    path,
    files: s.filesCompleted,
    nFiles: s.filesCompletedCount,
    firstFile: s.firstFileCompleted,
    written: s.filesCompletedCount > 0,
    events: s.eventsWritten,
    images: s.imagesWritten,
    bytes: s.bytesWritten,
    offered: s.eventsOffered ?? s.eventsWritten,
    seconds: (performance.now() - t0) / 1000,
    incomplete,
    missedUpstream,
    error: s.error,
    camerasWithoutGeometry: s.camerasWithoutGeometry ?? [],
  };
}

/** Records until N events or S seconds (or `signal` aborts); resolves once the file is complete. */
export async function recordStream(opts: RecordOptions, signal?: AbortSignal, progress?: (r: RecordResult) => void): Promise<RecordResult> {
  const path = resolve(opts.out);
  if (opts.split === undefined && existsSync(path) && !opts.overwrite) throw new Error(`${path} exists already; choose another --out or add --overwrite`);
  if (opts.events === undefined && opts.seconds === undefined) throw new Error('say when to stop: --events N or --seconds S');
  const connectTimeout = opts.connectTimeout ?? 10;
  const client = new DaqClientThread(opts.source); // a clear error for a bad address, before anything starts
  const recorder = new LiveRecorder(opts.maxPendingBytes);
  // the subarray is the one the stream announces (the reading thread passes it on before its events)
  const split = opts.split;
  await recorder.start(
    split === undefined
      ? { dir: dirname(path), file: path }
      : { dir: dirname(path), prefix: basename(path).replace(/\.h5$/i, '') || 'lightpool_record', rotateSeconds: split, flushSeconds: split, rotateMB: 1e6 },
    defaultSubarray,
  );
  let incomplete = 0;
  let connected = false;
  let lastProblem: string | undefined;
  const t0 = performance.now();
  return new Promise<RecordResult>((resolvePromise, reject) => {
    let finishing = false;
    const finish = async (err?: Error) => {
      if (finishing) return;
      finishing = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      clearInterval(ticker);
      const threadExited = client.close(); // the reading thread hands over its last events, then its feed ends
      try {
        const s = await recorder.stop();
        await recorder.close();
        await threadExited; // before the process exits (see DaqClientThread.close)
        if (err) reject(err);
        else resolvePromise(resultOf(path, s, t0, incomplete, client.missedUpstream));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const timer = opts.seconds !== undefined ? setTimeout(() => void finish(), opts.seconds * 1000) : undefined;
    const connectTimer = setTimeout(() => {
      if (connected) return;
      const why = lastProblem ? ` (${lastProblem})` : '';
      void finish(
        new Error(
          `cannot reach ${opts.source} within ${connectTimeout} s${why}; is the DAQ server (e.g. lightpool daq) running there? Nothing was written (wait longer with --connect-timeout S)`,
        ),
      );
    }, connectTimeout * 1000);
    const ticker = setInterval(() => {
      if (connected) progress?.(resultOf(path, recorder.status(), t0, incomplete, client.missedUpstream));
    }, 1000);
    signal?.addEventListener('abort', () => void finish(), { once: true });
    client.on('incomplete', () => incomplete++);
    client.on('state', (s, message) => {
      if (s === 'connected') connected = true;
      if (s === 'error') void finish(new Error(message ?? `${opts.source}: protocol error`));
      else if (s === 'reconnecting') {
        lastProblem = message?.replace(/; retry \d+ in [\d.]+ s$/, '');
        if (connected && !opts.quiet) process.stderr.write(`lightpool record: ${message}\n`);
      }
    });
    // the feed ended: N events recorded, or the recording failed (the recorder's status says why)
    client.on('recordEnded', () => void finish());
    recorder.on('status', (s) => {
      if (!s.active && !finishing) void finish();
    });
    client.start();
    const port = recorder.openFeed();
    if (!port) {
      void finish(new Error(`the recorder stopped before the stream was connected: ${recorder.status().error ?? 'unknown reason'}`));
      return;
    }
    client.recordTo(port, { limit: opts.events, only: true, maxPendingBytes: opts.maxPendingBytes });
  });
}

/** the file, or the split files: first … last (n files) */
function where(r: RecordResult): string {
  if (r.nFiles <= 1) return r.files[0] ?? r.path;
  return `${r.nFiles} files ${r.firstFile ?? r.files[0]} … ${basename(r.files[r.files.length - 1])}`;
}

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record a DAQ stream to a DL1-layout HDF5 file (images and peak times as received, trigger table, instrument description)')
    .requiredOption('--source <url>', 'the DAQ stream, tcp://HOST:PORT, or zmq+tcp://HOST:PORT for a ZeroMQ publisher')
    .requiredOption('--out <file>', 'the HDF5 file to write (written as FILE.partial, renamed when complete)')
    .option('--events <n>', 'stop after this many events', positiveInt)
    .option('--seconds <s>', 'stop after this many seconds', positive)
    .option(
      '--split <s>',
      'write a new file every S seconds (each complete once closed, so a crash loses at most S seconds): OUT_STEM_<time>_00001.h5 ... beside OUT',
      positive,
    )
    .option(
      '--connect-timeout <s>',
      'give up when the source cannot be reached at all within this many seconds (once connected, a lost stream is retried until the end)',
      positive,
      10,
    )
    .option('--overwrite', 'replace an existing output file')
    .option('-q, --quiet', 'no progress lines')
    .action(async (opts: RecordOptions) => {
      if ((opts.events === undefined) === (opts.seconds === undefined)) throw new Error('say when to stop: either --events N or --seconds S');
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      process.once('SIGTERM', () => abort.abort());
      let last = { events: 0, t: performance.now() };
      const r = await recordStream(opts, abort.signal, (p) => {
        if (opts.quiet) return;
        const now = performance.now();
        const rate = ((p.events - last.events) * 1000) / (now - last.t);
        last = { events: p.events, t: now };
        const goal = opts.events !== undefined ? ` of ${opts.events}` : '';
        process.stderr.write(
          `recording ${opts.source}: ${p.events}${goal} events (${p.images} images, ${(p.bytes / 1e6).toFixed(1)} MB) in ${p.seconds.toFixed(0)} s, ${rate.toFixed(0)} events/s\n`,
        );
      });
      const notes = [
        r.incomplete ? `${r.incomplete} incomplete events skipped (cut off or malformed in the stream)` : '',
        r.missedUpstream ? `${r.missedUpstream} event ids skipped by the server (events it did not send us)` : '',
      ].filter(Boolean);
      const tail = notes.length ? `; ${notes.join('; ')}` : '';
      if (r.error) {
        process.stderr.write(`lightpool record: ${r.error}\n`);
        process.stdout.write(
          `recorded ${r.events} of ${r.offered} events received (${r.images} images) in ${r.seconds.toFixed(1)} s${r.written ? ` to ${where(r)}` : ''}${tail}\n`,
        );
        process.exit(1);
      }
      if (!r.written) {
        process.stdout.write(`recorded 0 events in ${r.seconds.toFixed(1)} s: nothing arrived from ${opts.source}, so no file was written${tail}\n`);
        process.exit(0);
      }
      process.stdout.write(
        `recorded ${r.events} events (${r.images} images, ${(r.bytes / 1e6).toFixed(1)} MB) in ${r.seconds.toFixed(1)} s to ${where(r)}${tail}\n`,
      );
      if (r.camerasWithoutGeometry.length)
        process.stderr.write(
          `lightpool record: warning: no camera geometry written for ${r.camerasWithoutGeometry.join('; ')}: ctapipe cannot read this recording's instrument description (a DAQ can announce its cameras' geometries in the subarray frame, see the DAQ protocol)\n`,
        );
      process.exit(0);
    });
}
