/**
 * The built-in simulated array as a live source. Poisson arrivals at the
 * configured rate; the showers are simulated, cleaned, parameterised
 * (telescope frame) and stereo-reconstructed in the worker pool in batches
 * ('live-simulate'), and the main thread only schedules, renumbers and
 * forwards them: 'event' for the views, 'processed' for the aggregation.
 */
import { EventEmitter } from 'node:events';
import type { ArrayEvent, SourceState, SourceStatus } from '../api/event-types.js';
import type { LiveBatchResult, LiveProcessedEvent, LiveSubarray, PixelSums } from '../../src-worker/live/live-types.js';
import { defaultSubarray } from '../../src-worker/simulation/default-subarray.js';
import { toArrayEvent } from '../live/to-array-event.js';
import type { WorkerPool } from '../backend/worker-pool.js';
import { logger } from '../util/log.js';
import { RateMeter } from './rate-meter.js';
import { errorMessage } from '../util/errors.js';

const log = logger('simulation');

/** scheduling tick, ms */
const TICK_MS = 50;
/** at most this many batches in flight; beyond that events are dropped (and counted) */
const MAX_IN_FLIGHT = 4;
/** largest batch sent to one worker */
const MAX_BATCH = 64;

export interface SimulationSourceEvents {
  event: [ArrayEvent];
  /** the same events with their telescope-frame parameters and stereo, for the aggregation */
  processed: [LiveProcessedEvent[], PixelSums[]];
  status: [SourceStatus];
}

export interface SimulationSourceOptions {
  rateHz?: number;
  seed?: number;
  /** batches in flight at most (default 4); beyond that events are dropped and counted */
  maxInFlight?: number;
  /** largest batch per pool task (default 64) */
  maxBatch?: number;
}

export class SimulationSource extends EventEmitter<SimulationSourceEvents> {
  private state: SourceState = 'idle';
  private rateHz: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private owed = 0;
  private inFlight = 0;
  private nextEventId = 1;
  private batchSeed = 1;
  private readonly meter = new RateMeter(5);
  private counters = { received: 0, processed: 0, dropped: 0, bytes: 0 };
  private droppedReason: string | undefined;
  private message: string | undefined;
  readonly subarray: LiveSubarray = defaultSubarray;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(private readonly pool: WorkerPool, options: SimulationSourceOptions = {}) {
    super();
    this.rateHz = options.rateHz ?? 10;
    this.batchSeed = options.seed ?? (Date.now() >>> 0);
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
  }

  /** events dropped because the pool could not keep up, since start */
  get droppedCount(): number {
    return this.counters.dropped;
  }

  status(): SourceStatus {
    return {
      kind: 'simulation',
      state: this.state,
      rateHz: this.rateHz,
      measuredRateHz: this.meter.rate(),
      received: this.counters.received,
      processed: this.counters.processed,
      displayed: 0,
      dropped: this.counters.dropped,
      droppedReason: this.droppedReason,
      bytes: this.counters.bytes,
      message: this.message,
    };
  }

  setRate(rateHz: number): void {
    this.rateHz = rateHz;
    this.emit('status', this.status());
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state !== 'paused') {
      this.counters = { received: 0, processed: 0, dropped: 0, bytes: 0 };
      this.droppedReason = undefined;
    }
    this.state = 'running';
    this.message = undefined;
    this.lastTick = performance.now();
    this.owed = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.emit('status', this.status());
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.halt('paused');
  }

  resume(): void {
    if (this.state === 'paused') this.start();
  }

  stop(): void {
    if (this.state === 'running' || this.state === 'paused') this.halt('stopped');
  }

  private halt(state: SourceState): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.state = state;
    this.emit('status', this.status());
  }

  private tick(): void {
    const now = performance.now();
    this.owed += ((now - this.lastTick) / 1000) * this.rateHz;
    this.lastTick = now;
    let due = Math.floor(this.owed);
    if (due <= 0) return;
    this.owed -= due;
    while (due > 0) {
      const count = Math.min(due, this.maxBatch);
      due -= count;
      if (this.inFlight >= this.maxInFlight) {
        this.counters.dropped += count;
        this.droppedReason = 'worker pool busy (simulation cannot keep up with the requested rate)';
        continue;
      }
      this.runBatch(count);
    }
  }

  private runBatch(count: number): void {
    this.inFlight++;
    const seed = (this.batchSeed = (Math.imul(this.batchSeed, 1664525) + 1013904223) >>> 0);
    this.pool
      .run<LiveBatchResult>({ kind: 'live-simulate', count, seed, subarray: this.subarray })
      .then((result) => {
        if (this.state !== 'running') {
          this.counters.dropped += result.events.length;
          this.droppedReason = 'stopped or paused while being simulated';
          return;
        }
        // spread the batch's events over the tick so arrival times look like a Poisson stream
        const tNow = Date.now() / 1000;
        const n = result.events.length;
        result.events.forEach((e, i) => this.deliver(e, tNow - (TICK_MS / 1000) * (1 - (i + 1) / n)));
        this.emit('processed', result.events, result.pixelSums);
      })
      .catch((err: unknown) => {
        if (this.state !== 'running') return; // stopped meanwhile (e.g. the pool is closing)
        this.message = `simulation failed: ${errorMessage(err)}`;
        log.error(this.message);
        this.halt('error');
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  private deliver(e: LiveProcessedEvent, time: number): void {
    e.eventId = this.nextEventId++;
    e.time = time;
    const event = toArrayEvent(e, 'simulation', this.subarray);
    this.counters.received++;
    this.counters.processed++;
    for (const t of e.images) this.counters.bytes += t.image.byteLength + t.peakTime.byteLength;
    this.meter.add(1);
    this.emit('event', event);
  }

  async close(): Promise<void> {
    this.halt(this.state === 'idle' ? 'idle' : 'stopped');
  }
}
