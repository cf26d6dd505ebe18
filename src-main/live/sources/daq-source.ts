/**
 * A DAQ stream as a live source: the TCP or ZeroMQ client (daq-client.ts; by default in
 * a thread of its own, daq-client-thread.ts, so the stream is read at full
 * speed even when this thread is busy) feeds the bounded processing stage
 * (live-processor.ts). Every received event is
 * counted and offered to the recorder ('received'); it is then processed, or
 * dropped before processing with a reason (paused, queue full, bad frame,
 * unknown telescope, connection lost) — never silently.
 *
 * Recording (recordTo): with the reading thread, that thread sends every
 * event it receives straight to the recorder (a feed the sink opens), also
 * those it drops before they reach this thread; without it, every received
 * event goes to the sink's record() before processing.
 */
import { EventEmitter } from 'node:events';
import type { DropReason, LiveCounters, LiveState } from '../../api/live-contract.js';
import type { LatestWaveform, LiveSource, LiveSourceEvents, LiveSourceStatus, RecordSink } from './live-source.js';
import type { WorkerPool } from '../../pool/worker-pool.js';
import type { LiveProcessedEvent, PixelSums, RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { defaultSubarray } from '../../../src-worker/instrument/default-subarray.js';
import { openDaqClient, type DaqClientState } from '../../daq/client/daq-client.js';
import type { DaqStreamClient } from '../../daq/client/daq-stream-client.js';
import { DaqClientThread } from '../../daq/client/daq-client-thread.js';
import { LiveProcessor, type LiveProcessorOptions } from './live-processor.js';
import type { DaqSubarray } from '../../daq/protocol/daq-protocol.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';
import { announcedGeometries } from '../../../src-worker/instrument/announced-geometry.js';

export interface DaqSourceOptions extends LiveProcessorOptions {
  /** read and decode the stream in a thread of its own (default true; false: on the main thread) */
  readInThread?: boolean;
}

export interface DaqSourceEvents extends LiveSourceEvents {
  /** received events dropped in the reading thread (backend busy): their telescopes (they are 'triggered' too) */
  receivedDropped: [telIds: number[][]];
  /** every complete event received, before processing; its buffers are moved to the pool afterwards */
  received: [RawArrayEvent];
  processed: [LiveProcessedEvent[], PixelSums[]];
  state: [LiveState, string | undefined];
  subarray: [SubarrayDescription];
}

export class DaqSource extends EventEmitter<DaqSourceEvents> implements LiveSource {
  readonly kind = 'daq';
  readonly simulated = false;
  private client: DaqStreamClient | DaqClientThread | undefined;
  private readonly readInThread: boolean;
  private readonly processor: LiveProcessor;
  state: LiveState = 'idle';
  message: string | undefined;
  url: string | undefined;
  subarray: SubarrayDescription = structuredClone(defaultSubarray);
  readonly counters = { received: 0, processed: 0, imagesReceived: 0, imagesProcessed: 0, bytes: 0, missedUpstream: 0 };
  readonly dropped: Partial<Record<DropReason, number>> = {};
  private paused = false;
  /** where received events go while recording (a feed per connection's reading thread, or record()) */
  private sink: RecordSink | undefined;
  /** per telescope the newest R1 waveforms the stream carried (the protocol's waveform block) */
  private readonly waveforms = new Map<number, LatestWaveform>();

  constructor(pool: WorkerPool, opts: DaqSourceOptions = {}) {
    super();
    this.readInThread = opts.readInThread ?? true;
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

  private drop(reason: DropReason, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  private setState(s: LiveState, message?: string): void {
    this.state = s;
    this.message = message;
    this.emit('state', s, message);
    this.emit('status');
  }

  connect(url: string): void {
    this.disconnect(false);
    this.url = url;
    this.waveforms.clear();
    this.paused = false;
    const c = this.readInThread ? new DaqClientThread(url) : openDaqClient(url);
    this.client = c;
    // after a disconnect the reading thread still hands over what it held (counted in this run);
    // once another connection is made, a previous one's late events belong to no run
    const ours = () => this.client === c || this.client === undefined;
    if (c instanceof DaqClientThread) {
      c.on('busy', (telIds) => {
        if (!ours()) return;
        this.counters.received += telIds.length;
        for (const t of telIds) this.counters.imagesReceived += t.length;
        this.drop('queue-full', telIds.length);
        this.emit('receivedDropped', telIds);
        this.emit('triggered', telIds);
      });
    }
    c.on('state', (s: DaqClientState, message) => {
      if (this.client !== c) return;
      const map: Record<DaqClientState, LiveState> = {
        connecting: 'connecting',
        connected: this.paused ? 'paused' : 'running',
        reconnecting: 'reconnecting',
        closed: 'stopped',
        error: 'error',
      };
      this.setState(map[s], message);
    });
    c.on('subarray', (s: DaqSubarray) => {
      this.subarray = { name: s.name, pointing: s.pointing, telescopes: s.telescopes.map((t) => ({ ...t })), cameraGeometries: announcedGeometries(s.cameras) };
      this.waveforms.clear(); // another array's telescopes
      this.emit('subarray', this.subarray);
    });
    c.on('incomplete', (reason, message) => {
      if (!ours()) return;
      this.drop(reason);
      this.counters.received++;
      this.message = message;
    });
    c.on('event', (e, bytes) => {
      if (ours()) this.onEvent(e, bytes);
    });
    // counted as they come, also from what the reading thread hands over after a disconnect
    c.on('missed', (n) => {
      if (ours()) this.counters.missedUpstream += n;
    });
    this.setState('connecting', `connecting to ${url}`);
    c.start();
    this.attachFeed();
  }

  /**
   * record every received event into `sink` (through a feed per connection's
   * reading thread, or its record()), or stop doing so (undefined)
   */
  recordTo(sink: RecordSink | undefined): void {
    this.sink = sink;
    this.attachFeed();
  }

  /** true when the reading thread records the events (so this thread must not) */
  get recordsInThread(): boolean {
    return this.sink !== undefined && this.client instanceof DaqClientThread;
  }

  private attachFeed(): void {
    const c = this.client;
    if (!this.sink || !(c instanceof DaqClientThread)) return;
    const port = this.sink.openFeed();
    if (port) c.recordTo(port);
  }

  /** a telescope's newest R1 waveforms (undefined: the stream has carried none of it) */
  latestWaveform(telId: number): LatestWaveform | undefined {
    return this.waveforms.get(telId);
  }

  private onEvent(e: RawArrayEvent, bytes: number): void {
    if (e.images.some((i) => i.waveform)) {
      // kept for the waveform view; the processing and the recorder take the images without them
      // only telescopes of the announced subarray: a hostile stream cannot make it keep more than one per telescope
      const known = new Set(this.subarray.telescopes.map((t) => t.telId));
      for (const i of e.images)
        if (i.waveform && known.has(i.telId))
          this.waveforms.set(i.telId, {
            obsId: e.obsId,
            eventId: e.eventId,
            time: e.time,
            waveform: i.waveform,
            image: i.image.slice(),
            peakTime: i.peakTime.slice(),
          });
      e = { ...e, images: e.images.map(({ telId, image, peakTime }) => ({ telId, image, peakTime })) };
    }
    this.counters.received++;
    this.counters.imagesReceived += e.images.length;
    this.counters.bytes += bytes;
    this.emit('triggered', [e.images.map((i) => i.telId)]);
    if (this.sink && !this.recordsInThread) this.sink.record(e);
    this.emit('received', e);
    if (this.paused) {
      this.drop('paused');
      return;
    }
    if (!this.processor.submit(e)) this.drop('queue-full');
  }

  /** run control: (re)connect to the last address */
  start(): void {
    if (!this.url) throw new Error('no DAQ address yet; connect with live.connect {url: "tcp://host:port"}');
    if (!this.connected) this.connect(this.url);
  }

  /** run control: close the connection */
  stop(): void {
    void this.disconnect();
  }

  setRate(): void {
    throw new Error('a DAQ stream sets its own event rate');
  }

  status(): LiveSourceStatus {
    const { displayed: _, ...counters } = this.liveCounters(0);
    const r = this.reconnect;
    return {
      kind: 'daq',
      state: this.state,
      message: this.message,
      url: this.url,
      reconnect: r && this.state === 'reconnecting' ? r : undefined,
      counters,
      busyDropped: this.dropped['queue-full'] ?? 0,
    };
  }

  async close(): Promise<void> {
    await this.disconnect(false);
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.paused = true;
    this.setState('paused', 'paused: events are received (and recorded) but not processed');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.paused = false;
    this.setState('running', `connected to ${this.url}`);
  }

  /**
   * closes the connection; `report` false when replaced by a new connection.
   * Resolves once its reading thread has exited (await it before the process exits).
   */
  disconnect(report = true): Promise<void> {
    const c = this.client;
    this.client = undefined;
    const closed = c ? c.close() : undefined;
    const lost = this.processor.clear();
    if (lost) this.drop('queue-full', lost);
    if (report && c) this.setState('stopped', `disconnected from ${c.url}`);
    return closed ?? Promise.resolve();
  }

  /** a connection exists or is being (re)tried (not after stop, disconnect or a protocol error) */
  get connected(): boolean {
    return this.client !== undefined && this.client.state !== 'error' && this.client.state !== 'closed';
  }

  /** reconnect bookkeeping for the status */
  get reconnect(): { attempt: number; delaySeconds: number; downSince: number | undefined } | undefined {
    const c = this.client;
    return c ? { attempt: c.attempt, delaySeconds: c.delaySeconds, downSince: c.downSince } : undefined;
  }

  liveCounters(displayed: number): LiveCounters {
    const dropped = Object.values(this.dropped).reduce((a, b) => a + (b ?? 0), 0);
    return {
      ...this.counters,
      displayed,
      dropped,
      droppedByReason: { ...this.dropped },
      queued: this.processor.queued + this.processor.eventsInFlight,
      // queued counts events in the pool too, so the capacity does as well
      queueCapacity: this.processor.totalCapacity,
    };
  }

  resetCounters(): void {
    Object.assign(this.counters, { received: 0, processed: 0, imagesReceived: 0, imagesProcessed: 0, bytes: 0, missedUpstream: 0 });
    for (const k of Object.keys(this.dropped)) delete this.dropped[k as DropReason];
  }

  drain(): Promise<void> {
    return this.processor.drain();
  }
}
