/**
 * The main-process side of a Compton reconstruction: one MLEM worker thread
 * (src-worker/threads/mlem-worker.ts) with promise-returning calls.
 *
 *   const c = new MlemClient();
 *   const info = await c.load({ file, dataset: '/sysmat' });   // backprojection, shape, engine
 *   await c.run(10, (it) => show(it.image));                   // image after each iteration
 *   c.stop();                                                  // ends a run after the current iteration
 *   await c.run(5, ...);                                       // continue from where it stopped
 *   await c.reset();                                           // back to the backprojection
 *   await c.close();
 *
 * Requests run in order; a worker that dies fails what is pending with the
 * reason.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../util/dist-paths.js';
import type {
  MlemDone,
  MlemIteration,
  MlemLoaded,
  MlemLoadRequest,
  MlemReply,
  MlemRequest,
  MlemWorkerData,
} from '../../src-worker/lab/compton/mlem-protocol.js';

interface Pending {
  expect: MlemReply['type'];
  resolve: (m: MlemReply) => void;
  reject: (e: Error) => void;
  onIteration?: (m: MlemIteration) => void;
}

export class MlemClient {
  private worker: Worker;
  private stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private pending: Pending[] = [];
  private dead: Error | null = null;

  constructor(script = workerScript('mlem-worker')) {
    const data: MlemWorkerData = { stop: this.stopFlag.buffer as SharedArrayBuffer };
    this.worker = new Worker(script, { workerData: data });
    this.worker.on('message', (m: MlemReply) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(new Error(`the MLEM worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the MLEM worker exited (code ${code})`)));
  }

  private onMessage(m: MlemReply): void {
    const p = this.pending[0];
    if (!p) return;
    if (m.type === 'iteration') {
      p.onIteration?.(m);
      return;
    }
    this.pending.shift();
    if (m.type === 'error') {
      const e = new Error(m.message) as Error & { code?: string };
      e.code = m.code;
      p.reject(e);
    } else p.resolve(m);
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }

  private request<T extends MlemReply>(req: MlemRequest, expect: MlemReply['type'], onIteration?: (m: MlemIteration) => void): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ expect, resolve: resolve as (m: MlemReply) => void, reject, onIteration });
      this.worker.postMessage(req);
    });
  }

  /** Loads the system matrix (replacing any loaded one) and computes the backprojection. */
  load(req: Omit<MlemLoadRequest, 'type'>): Promise<MlemLoaded> {
    return this.request<MlemLoaded>({ type: 'load', ...req }, 'loaded');
  }

  /**
   * Runs `iterations` more iterations; `onIteration` gets the image every
   * `emitEvery` iterations, after the last, and whenever `emitSeconds` passed
   * since the previous one.
   */
  run(iterations: number, onIteration?: (m: MlemIteration) => void, emitEvery = 1, emitSeconds?: number): Promise<MlemDone> {
    Atomics.store(this.stopFlag, 0, 0);
    return this.request<MlemDone>({ type: 'run', iterations, emitEvery, emitSeconds }, 'done', onIteration);
  }

  /** Ends the current run after the iteration in progress (its promise resolves with stopped: true). */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  reset(): Promise<MlemReply> {
    return this.request({ type: 'reset' }, 'reset');
  }

  async close(): Promise<void> {
    this.stop();
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.fail(new Error('the MLEM client was closed'));
  }
}
