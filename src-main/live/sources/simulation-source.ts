/**
 * The built-in simulated array as a live source. Poisson arrivals at the
 * configured rate; the showers are simulated, cleaned, parameterised
 * (telescope frame) and stereo-reconstructed in the worker pool in batches
 * ('live-simulate'), and the main thread only schedules, renumbers and
 * forwards them ('triggered' and 'processed', all of them). A batch that
 * comes back makes room for the next at once, so the pool never waits for
 * a tick.
 */
import { EventEmitter } from 'node:events';
import type { LiveState } from '../../api/live-contract.js';
import type { LiveBatchResult, LiveProcessedEvent, RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { defaultSubarray } from '../../../src-worker/instrument/default-subarray.js';
import type { WorkerPool } from '../../pool/worker-pool.js';
import type { LiveSource, LiveSourceEvents, LiveSourceStatus, RecordSink } from './live-source.js';
import { logger } from '../../util/log.js';
import { errorMessage } from '../../util/errors.js';
import { packedPixelCount, unpackLiveEvents } from '../../../src-worker/live/live-batch-codec.js';
import { SlabRecycler } from './slab-recycler.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';

const log = logger('simulation');

/** scheduling tick, ms */
const TICK_MS = 50;
/** batches in flight per pool thread at most; events owed beyond what they hold are dropped (and counted) */
const IN_FLIGHT_PER_THREAD = 4;
/** largest batch sent to one worker */
const MAX_BATCH = 64;

export interface SimulationSourceOptions {
  rateHz?: number;
  seed?: number;
  /** batches in flight at most (default 4 per pool thread, at least 4); beyond that events are dropped and counted */
  maxInFlight?: number;
  /** largest batch per pool task (default 64) */
  maxBatch?: number;
}

export class SimulationSource extends EventEmitter<LiveSourceEvents> implements LiveSource {
  readonly kind = 'simulation';
  readonly simulated = true;
  private state: LiveState = 'idle';
  private rateHz: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private owed = 0;
  private inFlight = 0;
  private nextEventId = 1;
  private batchSeed = 1;
  private counters = { received: 0, processed: 0, dropped: 0, bytes: 0, images: 0 };
  private sink: RecordSink | undefined;
  private droppedReason: string | undefined;
  private message: string | undefined;
  private layout: SubarrayDescription = defaultSubarray;
  /** which run a batch belongs to (a new one at start after stop, and with each layout) */
  private run = 0;
  /** the batches' slab chunks go back to the pool when the ring lets go of their events (release()) */
  readonly recycler = new SlabRecycler();
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly pool: WorkerPool,
    options: SimulationSourceOptions = {},
  ) {
    super();
    this.rateHz = options.rateHz ?? 10;
    this.batchSeed = options.seed ?? Date.now() >>> 0;
    // a few batches queued per worker, so that none waits while the main thread takes in a result
    this.maxInFlight = options.maxInFlight ?? Math.max(4, IN_FLIGHT_PER_THREAD * pool.threads);
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
  }

  /** events dropped since start (for any reason) */
  get droppedCount(): number {
    return this.counters.dropped;
  }

  /** events dropped since start because the pool could not keep up with the rate */
  busyDropped = 0;

  status(): LiveSourceStatus {
    const c = this.counters;
    return {
      kind: 'simulation',
      state: this.state,
      message: this.message ?? this.droppedReason,
      configuredRateHz: this.rateHz,
      counters: {
        received: c.received,
        processed: c.processed,
        dropped: c.dropped,
        droppedByReason: c.dropped ? { 'simulation-busy': c.dropped } : {},
        imagesReceived: c.images,
        imagesProcessed: c.images,
        bytes: c.bytes,
        queued: 0,
        queueCapacity: 0,
      },
      busyDropped: this.busyDropped,
    };
  }

  resetCounters(): void {
    this.counters = { received: 0, processed: 0, dropped: 0, bytes: 0, images: 0 };
    this.busyDropped = 0;
    this.droppedReason = undefined;
  }

  recordTo(sink: RecordSink | undefined): void {
    this.sink = sink;
  }

  /** the simulated array's layout */
  get subarray(): SubarrayDescription {
    return this.layout;
  }

  /**
   * Another layout (cameras must be ones Lightpool ships); takes effect for
   * the batches started from now on: stop before, so that no event of the
   * old layout arrives afterwards.
   */
  setSubarray(subarray: SubarrayDescription): void {
    this.layout = subarray;
    this.run++;
    this.emit('subarray', subarray);
    this.emit('status');
  }

  setRate(rateHz: number): void {
    this.rateHz = rateHz;
    this.emit('status');
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state !== 'paused') {
      this.resetCounters();
      this.run++; // batches of an earlier run still in the pool are not this run's
    }
    this.state = 'running';
    this.message = undefined;
    this.lastTick = performance.now();
    this.owed = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.emit('status');
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

  private halt(state: LiveState): void {
    clearInterval(this.timer);
    this.timer = undefined;
    // events owed but not yet handed to the pool are dropped, and counted
    const owed = Math.floor(this.owed);
    if (owed > 0) {
      this.counters.dropped += owed;
      this.droppedReason = 'stopped or paused before being simulated';
    }
    this.owed = 0;
    this.state = state;
    this.emit('status');
  }

  /** events owed beyond what the pool can take at once are dropped: the backlog stays this small */
  private get backlogLimit(): number {
    return this.maxInFlight * this.maxBatch;
  }

  private tick(): void {
    const now = performance.now();
    this.owed += ((now - this.lastTick) / 1000) * this.rateHz;
    this.lastTick = now;
    this.pump();
    const excess = Math.floor(this.owed - this.backlogLimit);
    if (excess > 0) {
      this.owed -= excess;
      this.counters.dropped += excess;
      this.busyDropped += excess;
      this.droppedReason = 'worker pool busy (simulation cannot keep up with the requested rate)';
    }
  }

  /** hands owed events to the pool while it has room (on each tick and whenever a batch comes back) */
  private pump(): void {
    while (this.state === 'running' && this.inFlight < this.maxInFlight && this.owed >= 1) {
      const count = Math.min(Math.floor(this.owed), this.maxBatch);
      this.owed -= count;
      this.runBatch(count);
    }
  }

  private runBatch(count: number): void {
    this.inFlight++;
    const seed = (this.batchSeed = (Math.imul(this.batchSeed, 1664525) + 1013904223) >>> 0);
    const layout = this.layout;
    const run = this.run;
    const recycle = this.recycler.take(8);
    this.pool
      .run<LiveBatchResult>({ kind: 'live-simulate', count, seed, subarray: layout, recycle }, recycle)
      .then((result) => {
        if (run !== this.run) return; // a batch of an earlier run (stopped, or another layout since)
        if (this.state !== 'running') {
          this.counters.dropped += result.events.nEvents;
          this.droppedReason = 'stopped or paused while being simulated';
          return;
        }
        const events = unpackLiveEvents(result.events);
        this.recycler.track(events, result.slabChunks);
        this.counters.bytes += 8 * packedPixelCount(result.events); // image and peak time, float32
        this.deliver(events);
        this.emit(
          'triggered',
          events.map((e) => e.images.map((i) => i.telId)),
        );
        if (this.sink) for (const e of events) this.sink.record(rawOf(e));
        this.emit('processed', events, result.pixelSums);
      })
      .catch((err: unknown) => {
        if (this.state !== 'running') return; // stopped meanwhile (e.g. the pool is closing)
        this.message = `simulation failed: ${errorMessage(err)}`;
        log.error(this.message);
        this.halt('error');
      })
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }

  /**
   * Numbers a batch's events, spreads their arrival times over the last tick
   * (so they look like a Poisson stream) and counts them.
   */
  private deliver(events: LiveProcessedEvent[]): void {
    const tNow = Date.now() / 1000;
    const n = events.length;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      e.eventId = this.nextEventId++;
      e.time = tNow - (TICK_MS / 1000) * (1 - (i + 1) / n);
    }
    this.counters.received += n;
    this.counters.processed += n;
    for (const e of events) this.counters.images += e.images.length;
  }

  async close(): Promise<void> {
    this.halt(this.state === 'idle' ? 'idle' : 'stopped');
  }
}

/** a processed event's raw images, for the recorder */
function rawOf(e: LiveProcessedEvent): RawArrayEvent {
  return { obsId: e.obsId, eventId: e.eventId, time: e.time, images: e.images.map((i) => ({ telId: i.telId, image: i.image, peakTime: i.peakTime })) };
}
