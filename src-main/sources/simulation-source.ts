/**
 * The built-in simulated array as a live source. Poisson arrivals at the
 * configured rate; the showers are simulated in the worker pool in batches,
 * and the main thread only schedules, renumbers and forwards them.
 */
import { EventEmitter } from 'node:events';
import type { ArrayEvent, SourceState, SourceStatus } from '../api/event-types.js';
import type { SimulateResult, SimulatedImageReconstruction } from '../../src-worker/tasks.js';
import type { SimulatedEvent } from '../../src-worker/simulation/array-simulation.js';
import { defaultSubarray } from '../../src-worker/simulation/default-subarray.js';
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
  status: [SourceStatus];
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
  readonly subarray = defaultSubarray;

  constructor(private readonly pool: WorkerPool, options: { rateHz?: number; seed?: number } = {}) {
    super();
    this.rateHz = options.rateHz ?? 10;
    this.batchSeed = options.seed ?? (Date.now() >>> 0);
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
      const count = Math.min(due, MAX_BATCH);
      due -= count;
      if (this.inFlight >= MAX_IN_FLIGHT) {
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
      .run<SimulateResult>({ kind: 'simulate', count, seed, telescopes: this.subarray.telescopes, pointing: this.subarray.pointing })
      .then((result) => {
        if (this.state !== 'running') return;
        // spread the batch's events over the tick so arrival times look like a Poisson stream
        const tNow = Date.now() / 1000;
        result.events.forEach((sim, i) => this.deliver(sim, result.reconstructions[i], tNow - (TICK_MS / 1000) * (1 - (i + 1) / result.events.length)));
      })
      .catch((err: unknown) => {
        this.message = `simulation failed: ${errorMessage(err)}`;
        log.error(this.message);
        this.halt('error');
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  private deliver(sim: SimulatedEvent, recos: SimulatedImageReconstruction[], time: number): void {
    const event: ArrayEvent = {
      source: 'simulation',
      obsId: 1,
      eventId: this.nextEventId++,
      time,
      trueShower: { energy: sim.energy, alt: sim.alt, az: sim.az, coreX: sim.coreX, coreY: sim.coreY },
      telescopes: sim.telescopes.map((t, k) => {
        const reco = recos[k];
        return {
          telId: t.telId,
          camera: t.camera,
          image: t.image,
          peakTime: t.peakTime,
          mask: reco.mask,
          hillas: reco.hillas,
          hillasSource: reco.hillas ? ('reconstruction' as const) : undefined,
          timingSlope: Number.isFinite(reco.timingSlope) ? reco.timingSlope : undefined,
          parameterStatus: reco.status,
          trueEllipse: t.truth,
        };
      }),
    };
    this.counters.received++;
    this.counters.processed++;
    for (const t of event.telescopes) this.counters.bytes += t.image.byteLength + t.peakTime.byteLength;
    this.meter.add(1);
    this.emit('event', event);
  }

  async close(): Promise<void> {
    this.halt(this.state === 'idle' ? 'idle' : 'stopped');
  }
}
