/**
 * The long lab jobs a view starts (shaping every signal, a stack's
 * statistics): each under a job id with an AbortController, its progress
 * reported a few times a second on the 'lab-job' stream and its end once.
 * The request that starts a job replies at once; the job runs on.
 */
import type { LabJobMessage } from '../api/lab-contract.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { LabJobCancelled, type LabProgress } from './lab-job.js';
import { logger } from '../util/log.js';

const log = logger('lab');

/** least time between two progress messages of a job, ms */
const PROGRESS_INTERVAL_MS = 200;

export class LabJobs {
  private readonly running = new Map<string, AbortController>();
  private seq = 0;

  constructor(private readonly emit: (m: LabJobMessage) => void) {}

  /** true while a job of this kind works on `targetId` */
  busy(kind: LabJobMessage['kind'], targetId: string): boolean {
    return [...this.running.keys()].some((id) => id.startsWith(`${kind}:${targetId}:`));
  }

  /**
   * Starts `work` under a job id (the caller's, or a new one); returns the id
   * at once. `work` gets the abort signal and a progress callback; its end is
   * announced on the stream (cancelled when it ends with LabJobCancelled or
   * after Cancel).
   */
  start(
    kind: LabJobMessage['kind'],
    targetId: string,
    requestedId: string | undefined,
    work: (signal: AbortSignal, progress: (p: LabProgress) => void) => Promise<void>,
  ): string {
    const jobId = requestedId ?? `lab-${kind}-${++this.seq}`;
    const key = `${kind}:${targetId}:${jobId}`;
    if ([...this.running.keys()].some((k) => k.endsWith(`:${jobId}`))) throw new ApiError('bad-request', `a lab job with id "${jobId}" is already running`);
    const abort = new AbortController();
    this.running.set(key, abort);
    let last = -Infinity;
    let latest: LabProgress = { phase: 'starting', done: 0, total: 0 };
    const message = (p: LabProgress): LabJobMessage => ({ jobId, kind, targetId, phase: p.phase, done: p.done, total: p.total, rate: p.rate });
    const progress = (p: LabProgress) => {
      latest = p;
      const now = performance.now();
      if (now - last < PROGRESS_INTERVAL_MS && p.done < p.total) return;
      last = now;
      this.emit(message(p));
    };
    void work(abort.signal, progress).then(
      () => {
        this.running.delete(key);
        this.emit({ ...message(latest), finished: { ok: true } });
      },
      (err: unknown) => {
        this.running.delete(key);
        const cancelled = err instanceof LabJobCancelled || abort.signal.aborted;
        if (!cancelled) log.warn(`${kind} job ${jobId} failed: ${errorMessage(err)}`);
        this.emit({
          ...message(latest),
          finished: { ok: false, cancelled, message: cancelled ? `${kind === 'shape' ? 'shaping' : 'statistics'} cancelled` : errorMessage(err) },
        });
      },
    );
    return jobId;
  }

  cancel(jobId: string): boolean {
    for (const [key, abort] of this.running) {
      if (key.endsWith(`:${jobId}`)) {
        abort.abort();
        return true;
      }
    }
    return false;
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }
}
