/**
 * A ctapipe DL1 file replayed as a live source, without a network: the
 * file's images (read ahead through the HDF5 worker, as the DAQ emulator's
 * replay reads them: ../../daq/emulator/emulator-events.ts) are paced at the
 * configured rate and go through the same bounded processing stage as a DAQ
 * stream (../live-processor.ts). Its own obs_id and event_id are kept; the
 * file is cycled (obs_id + 1 per pass) unless `loop` is false, when the run
 * stops at its end. Every event read is counted and offered for recording;
 * it is then processed or dropped with a reason (paused, queue full).
 */
import { EventEmitter } from 'node:events';
import type { DropReason, LiveState } from '../../api/live-contract.js';
import type { WorkerPool } from '../../pool/worker-pool.js';
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';
import { ReplayEvents } from '../../daq/emulator/emulator-events.js';
import { LiveProcessor, type LiveProcessorOptions } from './live-processor.js';
import { errorMessage } from '../../util/errors.js';
import type { LiveSource, LiveSourceEvents, LiveSourceStatus, RecordSink } from './live-source.js';

/** pacing tick, ms */
const TICK_MS = 50;

export interface ReplaySourceOptions extends LiveProcessorOptions {
  /** events per second (default 10) */
  rateHz?: number;
  /** start again at the file's first event after its last (default true) */
  loop?: boolean;
}

export class ReplaySource extends EventEmitter<LiveSourceEvents> implements LiveSource {
  readonly kind = 'replay';
  readonly simulated = false;
  private state: LiveState = 'idle';
  private message: string | undefined;
  private rateHz: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private owed = 0;
  private readonly processor: LiveProcessor;
  private sink: RecordSink | undefined;
  private readonly counters = { received: 0, processed: 0, imagesReceived: 0, imagesProcessed: 0, bytes: 0 };
  private readonly dropped: Partial<Record<DropReason, number>> = {};

  private constructor(
    pool: WorkerPool,
    private readonly events: ReplayEvents,
    readonly path: string,
    readonly subarray: SubarrayDescription,
    opts: ReplaySourceOptions,
  ) {
    super();
    this.rateHz = opts.rateHz ?? 10;
    this.processor = new LiveProcessor(pool, () => this.subarray, opts);
    this.processor.on('processed', (events, sums) => {
      this.counters.processed += events.length;
      for (const e of events) this.counters.imagesProcessed += e.images.length;
      this.emit('processed', events, sums);
    });
    this.processor.on('rejected', (n, reason, message) => {
      this.drop(reason, n);
      this.message = message;
    });
  }

  /** opens `path` (a ctapipe DL1 file with images) for replay; throws naming the file when it is not one */
  static async open(pool: WorkerPool, path: string, opts: ReplaySourceOptions = {}): Promise<ReplaySource> {
    const events = await ReplayEvents.open(path, opts.loop ?? true);
    const s = events.subarray;
    const subarray: SubarrayDescription = {
      name: `replay of ${s.name}`,
      pointing: { ...s.pointing },
      telescopes: s.telescopes.map((t) => ({ ...t, position: [...t.position] as [number, number, number] })),
    };
    return new ReplaySource(pool, events, path, subarray, opts);
  }

  private drop(reason: DropReason, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  private setState(s: LiveState, message?: string): void {
    this.state = s;
    this.message = message;
    this.emit('status');
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state !== 'paused' && this.events.done)
      throw new Error(`the replay of ${this.path} has reached the end of the file (replay it again with live.replay)`);
    this.lastTick = performance.now();
    this.owed = 0;
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.setState('running', `replaying ${this.path} at ${this.rateHz} Hz`);
  }

  pause(): void {
    if (this.state !== 'running') return;
    // events keep being read at the rate while paused (counted, offered for recording, not processed), as a DAQ's keep arriving
    this.setState('paused', 'paused: events are read (and recorded) but not processed');
  }

  resume(): void {
    if (this.state === 'paused') this.setState('running', `replaying ${this.path} at ${this.rateHz} Hz`);
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.halt('stopped', `stopped replaying ${this.path}`);
  }

  private halt(state: LiveState, message: string): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const lost = this.processor.clear();
    if (lost) this.drop('queue-full', lost);
    this.setState(state, message);
  }

  setRate(rateHz: number): void {
    this.rateHz = rateHz;
    if (this.state === 'running') this.message = `replaying ${this.path} at ${this.rateHz} Hz`;
    this.emit('status');
  }

  private tick(): void {
    const now = performance.now();
    this.owed += ((now - this.lastTick) / 1000) * this.rateHz;
    this.lastTick = now;
    const telIds: number[][] = [];
    while (this.owed >= 1) {
      const e = this.events.next();
      if (!e) break; // the read-ahead is behind: the events come on a later tick
      this.owed--;
      telIds.push(e.images.map((i) => i.telId));
      this.onEvent(e);
    }
    // a backlog the file cannot feed is not kept (the rate is what the reader sustains)
    this.owed = Math.min(this.owed, this.rateHz);
    if (telIds.length) this.emit('triggered', telIds);
    if (this.events.error) this.halt('error', `replay of ${this.path} failed: ${errorMessage(this.events.error)}`);
    else if (this.events.done) this.halt('stopped', `replayed every event of ${this.path}`);
  }

  private onEvent(e: RawArrayEvent): void {
    this.counters.received++;
    this.counters.imagesReceived += e.images.length;
    for (const i of e.images) this.counters.bytes += i.image.byteLength + i.peakTime.byteLength;
    this.sink?.record(e);
    if (this.state === 'paused') this.drop('paused');
    else if (!this.processor.submit(e)) this.drop('queue-full');
  }

  status(): LiveSourceStatus {
    const dropped = Object.values(this.dropped).reduce((a, b) => a + (b ?? 0), 0);
    return {
      kind: 'replay',
      state: this.state,
      message: this.message,
      url: this.path,
      configuredRateHz: this.rateHz,
      counters: {
        ...this.counters,
        dropped,
        droppedByReason: { ...this.dropped },
        queued: this.processor.queued + this.processor.eventsInFlight,
        queueCapacity: this.processor.totalCapacity,
      },
      busyDropped: this.dropped['queue-full'] ?? 0,
    };
  }

  resetCounters(): void {
    Object.assign(this.counters, { received: 0, processed: 0, imagesReceived: 0, imagesProcessed: 0, bytes: 0 });
    for (const k of Object.keys(this.dropped)) delete this.dropped[k as DropReason];
  }

  recordTo(sink: RecordSink | undefined): void {
    this.sink = sink;
  }

  /** resolves when nothing is queued or in the pool */
  drain(): Promise<void> {
    return this.processor.drain();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.processor.clear();
    await this.events.close();
  }
}
