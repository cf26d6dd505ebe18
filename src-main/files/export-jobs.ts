/**
 * Subset exports started from the API: each runs in the HDF5 worker as a job
 * with an id, reports progress (throttled to ~10 per second) and its end on
 * the "export-progress" stream, and can be cancelled. The file is written to
 * a temporary path and renamed when complete (exportSubset), so a cancelled
 * or failed export leaves nothing under the output name.
 *
 * A sim_telarray file's selected events are calibrated and written to
 * ctapipe's DL1 layout by the code of `lightpool export FILE.simtel.zst
 * --events ...` (runProcessSimtel), in a worker thread of their own
 * (simtel-export-thread.ts), with the same checks, progress, cancel and
 * temporary-name-then-rename.
 */
import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportSubset } from './export-subset.js';
import type { Hdf5Client } from './hdf5-client.js';
import type { ExportProgressMessage } from '../api/file-contract.js';
import type { Selection } from '../../src-worker/io/export/selection.js';
import { ApiError } from '../util/errors.js';
import { workerScript } from '../util/dist-paths.js';
import type { SimtelExportJob, SimtelExportMessage } from './simtel-export-thread.js';
import type { ProcessProgress } from '../process/run-process.js';

export interface ExportJobRequest {
  fileId: string;
  input: string;
  out: string;
  selection: Selection;
  overwrite?: boolean;
  /** what the user did, recorded in the file's provenance */
  action: string;
  jobId?: string;
}

/** Selected events of a sim_telarray file to a DL1 file. */
export interface SimtelExportJobRequest extends Omit<ExportJobRequest, 'selection'> {
  /** the events, with their indices in the open file (reported back as `kept`) */
  events: { obsId: number; eventId: number; index: number }[];
  /** also write /r0 and /r1 waveform tables */
  writeWaveforms?: boolean;
}

export class ExportJobs {
  private readonly running = new Map<string, { abort: AbortController; out: string }>();

  constructor(
    private readonly client: () => Hdf5Client,
    private readonly report: (m: ExportProgressMessage) => void,
    private readonly progressIntervalMs = 100,
    /** the bundled sim_telarray export thread (default dist/worker/simtel-export-thread.js) */
    private readonly simtelWorkerPath?: string,
  ) {}

  /** Checks the output path and takes a job id; the caller starts the work. */
  private prepare(r: Omit<ExportJobRequest, 'selection'>): { jobId: string; out: string; abort: AbortController } {
    const out = resolve(r.out);
    if (out === resolve(r.input)) throw new ApiError('bad-request', `cannot export to ${out}: it is the input file; choose another output name`);
    if (existsSync(out) && !r.overwrite) throw new ApiError('bad-request', `${out} exists already: choose another name, or tick "overwrite"`);
    if (existsSync(out) && statSync(out).isDirectory()) throw new ApiError('bad-request', `${out} is a folder: give a file name ending in .h5`);
    const dir = dirname(out);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ApiError('bad-request', `cannot export to ${out}: the folder ${dir} does not exist`);
    for (const j of this.running.values()) {
      if (j.out === out) throw new ApiError('bad-request', `an export to ${out} is already running: wait for it or cancel it`);
    }
    const jobId = r.jobId ?? `export-${randomBytes(6).toString('hex')}`;
    if (this.running.has(jobId)) throw new ApiError('bad-request', `export job id "${jobId}" is in use`);
    const abort = new AbortController();
    this.running.set(jobId, { abort, out });
    return { jobId, out, abort };
  }

  /** Checks the request and starts the job; the job's end is reported on the stream. */
  start(r: ExportJobRequest): { jobId: string; out: string } {
    const { jobId, out, abort } = this.prepare(r);
    let last = 0;
    const base = { jobId, fileId: r.fileId, out };
    exportSubset({
      input: r.input,
      output: out,
      selection: r.selection,
      overwrite: r.overwrite,
      command: r.action,
      client: this.client(),
      signal: abort.signal,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - last < this.progressIntervalMs && progress.done < progress.total) return;
        last = now;
        this.report({ ...base, progress });
      },
    }).then(
      (result) => {
        this.running.delete(jobId);
        this.report({ ...base, done: { ok: true, result } });
      },
      (err: unknown) => {
        this.running.delete(jobId);
        const cancelled = abort.signal.aborted;
        const message = cancelled
          ? `export to ${out} cancelled; nothing was written`
          : `export to ${out} failed: ${err instanceof Error ? err.message : String(err)}`;
        this.report({ ...base, done: { ok: false, message, cancelled } });
      },
    );
    return { jobId, out };
  }

  /** Starts writing selected events of a sim_telarray file to ctapipe's DL1 layout (in a worker thread). */
  startSimtel(r: SimtelExportJobRequest): { jobId: string; out: string } {
    const { jobId, out, abort } = this.prepare(r);
    const base = { jobId, fileId: r.fileId, out };
    const data: SimtelExportJob = {
      input: r.input,
      output: out,
      events: r.events.map((e) => ({ obsId: e.obsId, eventId: e.eventId })),
      writeWaveforms: r.writeWaveforms === true,
      overwrite: r.overwrite === true,
      command: r.action,
    };
    let ended = false;
    const end = (done: NonNullable<ExportProgressMessage['done']>) => {
      if (ended) return;
      ended = true;
      this.running.delete(jobId);
      this.report({ ...base, done });
    };
    const failed = (why: string) =>
      end(
        abort.signal.aborted
          ? { ok: false, message: `export to ${out} cancelled; nothing was written`, cancelled: true }
          : { ok: false, message: `export to ${out} failed: ${why}`, cancelled: false },
      );
    let worker: Worker;
    try {
      worker = new Worker(this.simtelWorkerPath ?? workerScript('simtel-export-thread'), { workerData: data });
    } catch (err) {
      this.running.delete(jobId);
      throw new ApiError('failed', `cannot start the sim_telarray export: ${(err as Error).message}`);
    }
    let last = 0;
    worker.on('message', (m: SimtelExportMessage) => {
      if (m.type === 'progress') {
        const now = Date.now();
        if (now - last < this.progressIntervalMs && m.progress.phase === 'images') return;
        last = now;
        this.report({ ...base, progress: exportProgressOf(m.progress, r.events.length) });
      } else if (m.ok) {
        end({
          ok: true,
          result: {
            output: m.summary.output,
            kind: 'dl1',
            nEvents: m.summary.nEvents,
            kept: r.events.map((e) => ({ obsId: e.obsId, eventId: e.eventId, index: e.index })),
            datasets: [],
            bytes: m.summary.bytes,
          },
        });
      } else failed(m.message);
    });
    worker.on('error', (err) => failed(err.message));
    worker.on('exit', (code) => failed(`the export thread stopped (exit code ${code})`));
    abort.signal.addEventListener('abort', () => worker.postMessage({ type: 'cancel' }), { once: true });
    return { jobId, out };
  }

  cancel(jobId: string): boolean {
    const j = this.running.get(jobId);
    if (!j) return false;
    j.abort.abort();
    return true;
  }

  cancelAll(): void {
    for (const j of this.running.values()) j.abort.abort();
  }

  get active(): string[] {
    return [...this.running.keys()];
  }
}

/** runProcessSimtel's progress as an export's: images calibrated (the total is known at the end), then the file written */
function exportProgressOf(p: ProcessProgress, nEvents: number): ExportProgressMessage['progress'] & object {
  if (p.phase === 'write') return { phase: 'finish', done: p.done, total: p.total, current: 'closing the file' };
  return { phase: 'events', done: p.done, total: p.total, current: `images of ${nEvents} selected event${nEvents === 1 ? '' : 's'} calibrated` };
}
