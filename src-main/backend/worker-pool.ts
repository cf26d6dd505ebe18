/** The pool of worker threads (piscina) that runs every CPU-heavy task. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { PoolResult, PoolTask } from '../../src-worker/tasks.js';
import { workerScript } from '../util/dist-paths.js';

export class WorkerPool {
  private readonly pool: Piscina<PoolTask, PoolResult>;

  constructor(threads = Math.max(1, availableParallelism())) {
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

  get threads(): number {
    return this.pool.threads.length;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
