/** The pool of worker threads (piscina) that runs every CPU-heavy task. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { PoolResult, PoolTask } from '../../src-worker/threads/pool-tasks.js';
import { workerScript } from '../util/dist-paths.js';

export class WorkerPool {
  private readonly pool: Piscina<PoolTask, PoolResult>;

  /** the threads the pool may run (it starts with one and grows on demand) */
  readonly threads: number;

  /**
   * `youngGenerationMb` caps each worker's V8 young generation: its tasks
   * allocate megabytes of typed arrays but few objects, and the default
   * (up to 48 MB a thread) mostly holds garbage. `lightpool process` uses 8:
   * measured on the 5,000-event bench file run alone, peak RSS 366–370 MB
   * against 357–398 MB (5 runs each), ~3 % more time.
   */
  constructor(threads = Math.max(1, availableParallelism()), opts: { youngGenerationMb?: number } = {}) {
    this.threads = threads;
    this.pool = new Piscina<PoolTask, PoolResult>({
      filename: workerScript('pool-worker'),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
      ...(opts.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: opts.youngGenerationMb } } : {}),
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
