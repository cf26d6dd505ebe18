/**
 * Subset exports started from the API: each runs in the HDF5 worker as a job
 * with an id, reports progress (throttled to ~10 per second) and its end on
 * the "export-progress" stream, and can be cancelled. The file is written to
 * a temporary path and renamed when complete (exportSubset), so a cancelled
 * or failed export leaves nothing under the output name.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportSubset } from './export-subset.js';
import type { Hdf5Client } from './hdf5-client.js';
import type { ExportProgressMessage } from '../api/file-contract.js';
import type { Selection } from '../../src-worker/io/export/selection.js';
import { ApiError } from '../util/errors.js';

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

export class ExportJobs {
  private readonly running = new Map<string, { abort: AbortController; out: string }>();

  constructor(
    private readonly client: () => Hdf5Client,
    private readonly report: (m: ExportProgressMessage) => void,
    private readonly progressIntervalMs = 100,
  ) {}

  /** Checks the request and starts the job; the job's end is reported on the stream. */
  start(r: ExportJobRequest): { jobId: string; out: string } {
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
