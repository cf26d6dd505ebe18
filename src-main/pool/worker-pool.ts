/** The pool of worker threads (piscina) that runs every CPU-heavy task. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { PoolResult, PoolTask } from '../../src-worker/threads/pool-tasks.js';
import { workerScript } from '../util/dist-paths.js';

export class WorkerPool {
  private readonly pool: Piscina<PoolTask, PoolResult>;

  /** the threads the pool may run (it starts with one and grows on demand) */
  readonly threads: number;

  constructor(threads = Math.max(1, availableParallelism())) {
    this.threads = threads;
    this.pool = new Piscina<PoolTask, PoolResult>({
      filename: workerScript('pool-worker'),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
    });
  }

  run<T extends PoolResult>(task: PoolTask, transfer: ArrayBuffer[] = []): Promise<T> {
    return this.pool.run(task, { transferList: transfer }) as Promise<T>;
  }

  /** tasks waiting for a thread */
  get queued(): number {
    return this.pool.queueSize;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
