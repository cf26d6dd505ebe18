/**
 * The bounded processing stage of a received stream: raw array events wait
 * in a queue of fixed capacity and go to the worker pool in batches
 * ('live-process' task), with a bounded number of batches in flight. When
 * the queue is full, new events are dropped *before* processing and counted
 * under 'queue-full'; memory stays bounded by the queue and the batches in
 * flight. Results come out in arrival order per batch.
 */
import { EventEmitter } from 'node:events';
import type { WorkerPool } from '../../pool/worker-pool.js';
import type { LiveBatchResult, LiveProcessedEvent, PixelSums, RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { errorMessage } from '../../util/errors.js';
import { unpackLiveEvents } from '../../../src-worker/live/live-batch-codec.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';

export interface LiveProcessorOptions {
  /** events waiting at most (default 1000) */
  queueCapacity?: number;
  /** events per pool task (default 32) */
  batchSize?: number;
  /** pool tasks in flight at most (default: 2 × pool threads, at least 2) */
  maxInFlight?: number;
}

export interface LiveProcessorEvents {
  /** a batch's events and their pixel-map sums */
  processed: [LiveProcessedEvent[], PixelSums[]];
  rejected: [count: number, reason: 'bad-frame' | 'unknown-telescope' | 'processing-error', message: string];
}

export class LiveProcessor extends EventEmitter<LiveProcessorEvents> {
  private queue: RawArrayEvent[] = [];
  private inFlight = 0;
  readonly queueCapacity: number;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  /** events dropped because the queue was full */
  droppedQueueFull = 0;
  /** events handed to the pool and not back yet */
  eventsInFlight = 0;

  constructor(
    private readonly pool: WorkerPool,
    private subarray: () => SubarrayDescription,
    opts: LiveProcessorOptions = {},
  ) {
    super();
    this.queueCapacity = opts.queueCapacity ?? 1000;
    this.batchSize = opts.batchSize ?? 32;
    this.maxInFlight = opts.maxInFlight ?? Math.max(2, 2 * pool.threads);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** the most events that can be waiting or in the pool at once: the queue plus full batches in flight */
  get totalCapacity(): number {
    return this.queueCapacity + this.maxInFlight * this.batchSize;
  }

  /** false when the event was dropped (queue full) */
  submit(e: RawArrayEvent): boolean {
    if (this.queue.length >= this.queueCapacity) {
      this.droppedQueueFull++;
      return false;
    }
    this.queue.push(e);
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // small batches when the queue is short (latency), full ones under load (throughput)
      const events = this.queue.splice(0, this.batchSize);
      this.run(events);
    }
  }

  private run(events: RawArrayEvent[]): void {
    this.inFlight++;
    this.eventsInFlight += events.length;
    const transfer: ArrayBuffer[] = [];
    for (const e of events) for (const i of e.images) transfer.push(i.image.buffer as ArrayBuffer, i.peakTime.buffer as ArrayBuffer);
    this.pool
      .run<LiveBatchResult>({ kind: 'live-process', subarray: this.subarray(), events }, uniqueBuffers(transfer))
      .then((r) => {
        for (const x of r.rejected) this.emit('rejected', 1, x.reason, x.message);
        if (r.events.nEvents) this.emit('processed', unpackLiveEvents(r.events), r.pixelSums);
      })
      .catch((err: unknown) => this.emit('rejected', events.length, 'processing-error', `processing failed: ${errorMessage(err)}`))
      .finally(() => {
        this.inFlight--;
        this.eventsInFlight -= events.length;
        this.pump();
      });
  }

  /** drops everything waiting (e.g. on stop); returns how many */
  clear(): number {
    const n = this.queue.length;
    this.queue = [];
    return n;
  }

  /** resolves when nothing is queued or in flight */
  async drain(): Promise<void> {
    while (this.queue.length || this.inFlight) await new Promise((r) => setTimeout(r, 5));
  }
}

/** a transfer list may name each buffer once (images can share a buffer) */
function uniqueBuffers(list: ArrayBuffer[]): ArrayBuffer[] {
  return [...new Set(list)];
}
