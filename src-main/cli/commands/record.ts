/**
 * `lightpool record`: headless recording of a DAQ stream to one DL1-layout
 * HDF5 file (src-worker/live/dl1-recording-file.ts), for unattended runs.
 * Reconnects with backoff if the stream drops; Ctrl-C ends the run early and
 * still leaves a complete file with what was recorded.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DaqClientThread } from '../../sources/daq-client-thread.js';
import { Dl1RecordingFile } from '../../../src-worker/live/dl1-recording-file.js';
import { defaultSubarray } from '../../../src-worker/simulation/default-subarray.js';
import type { LiveSubarray } from '../../../src-worker/live/live-types.js';

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
  overwrite?: boolean;
  quiet?: boolean;
}

export interface RecordResult {
  path: string;
  events: number;
  images: number;
  seconds: number;
  incomplete: number;
  /** received but not written: this process fell too far behind the stream (the disk or CPU could not keep up) */
  dropped: number;
  /** event ids the server skipped (events it did not send us) */
  missedUpstream: number;
}

/** Records until N events or S seconds (or `signal` aborts); resolves once the file is complete. */
export function recordStream(opts: RecordOptions, signal?: AbortSignal, progress?: (r: RecordResult) => void): Promise<RecordResult> {
  const path = resolve(opts.out);
  if (existsSync(path) && !opts.overwrite) {
    return Promise.reject(new Error(`${path} exists already; choose another --out or add --overwrite`));
  }
  if (opts.events === undefined && opts.seconds === undefined) return Promise.reject(new Error('say when to stop: --events N or --seconds S'));
  // the stream is read in a thread of its own; this thread writes the file
  const client = new DaqClientThread(opts.source);
  let dropped = 0;
  client.on('busy', (telIds) => (dropped += telIds.length));
  let subarray: LiveSubarray = defaultSubarray;
  let file: Dl1RecordingFile | undefined;
  let incomplete = 0;
  const t0 = performance.now();
  return new Promise<RecordResult>((resolvePromise, reject) => {
    let finished = false;
    const result = (): RecordResult => ({ path, events: file?.events ?? 0, images: file?.images ?? 0, seconds: (performance.now() - t0) / 1000, incomplete, dropped, missedUpstream: client.missedUpstream });
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(ticker);
      client.close();
      try {
        if (err) {
          file?.abort();
          reject(err);
          return;
        }
        (file ??= new Dl1RecordingFile(path, subarray)).close();
        resolvePromise(result());
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const timer = opts.seconds !== undefined ? setTimeout(() => finish(), opts.seconds * 1000) : undefined;
    const ticker = setInterval(() => progress?.(result()), 1000);
    signal?.addEventListener('abort', () => finish(), { once: true });
    client.on('subarray', (s) => {
      if (!file) subarray = { name: s.name, pointing: s.pointing, telescopes: s.telescopes.map((t) => ({ ...t })) };
    });
    client.on('incomplete', () => incomplete++);
    client.on('state', (s, message) => {
      if (s === 'error') finish(new Error(message ?? `${opts.source}: protocol error`));
      else if (s === 'reconnecting' && !opts.quiet) process.stderr.write(`lightpool record: ${message}\n`);
    });
    client.on('event', (e) => {
      if (finished) return;
      try {
        (file ??= new Dl1RecordingFile(path, subarray)).append(e);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (opts.events !== undefined && file.events >= opts.events) finish();
    });
    client.start();
  });
}

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record a DAQ stream to a DL1-layout HDF5 file (images and peak times as received, trigger table, layout)')
    .requiredOption('--source <url>', 'the DAQ stream, tcp://HOST:PORT, or zmq+tcp://HOST:PORT for a ZeroMQ publisher')
    .requiredOption('--out <file>', 'the HDF5 file to write (written as FILE.partial, renamed when complete)')
    .option('--events <n>', 'stop after this many events', positiveInt)
    .option('--seconds <s>', 'stop after this many seconds', positive)
    .option('--overwrite', 'replace an existing output file')
    .option('-q, --quiet', 'no progress lines')
    .action(async (opts: RecordOptions) => {
      if ((opts.events === undefined) === (opts.seconds === undefined)) throw new Error('say when to stop: either --events N or --seconds S');
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      process.once('SIGTERM', () => abort.abort());
      const r = await recordStream(opts, abort.signal, (p) => {
        if (!opts.quiet) process.stderr.write(`recorded ${p.events} events (${p.images} images) in ${p.seconds.toFixed(0)} s\n`);
      });
      const lost = [
        r.incomplete ? `${r.incomplete} incomplete events skipped` : '',
        r.dropped ? `${r.dropped} events dropped because writing could not keep up with the stream` : '',
        r.missedUpstream ? `${r.missedUpstream} event ids skipped by the server` : '',
      ].filter(Boolean);
      process.stdout.write(`recorded ${r.events} events (${r.images} images) in ${r.seconds.toFixed(1)} s to ${r.path}${lost.length ? `; ${lost.join('; ')}` : ''}\n`);
      process.exit(0);
    });
}
