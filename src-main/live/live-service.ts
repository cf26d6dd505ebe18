/**
 * The live-monitoring service of a session: which source feeds the
 * aggregation (the simulated array, or a DAQ stream over TCP), run control,
 * aggregation, alarms and recording, and the handlers of the live API.
 * Streams are emitted here and re-emitted by the session; DAQ events for the
 * camera views go out as 'array-event' (the connections coalesce them).
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { ArrayEvent, SourceState, SourceStatus } from '../api/event-types.js';
import type { LiveCounters, LivePixelMap, LiveReplies, LiveState, LiveStatus, LiveStreams, liveRequestSchemas } from '../api/live-contract.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { SimulationSource } from './sources/simulation-source.js';
import { DaqSource } from './sources/daq-source.js';
import type { LiveProcessedEvent, PixelSums, RawArrayEvent } from '../../src-worker/live/live-types.js';
import { LiveAggregator } from './live-aggregator.js';
import { AlarmMonitor } from './alarm-monitor.js';
import { LiveRecorder } from './live-recorder.js';
import { toArrayEvent } from './to-array-event.js';
import { ApiError, errorMessage } from '../util/errors.js';
import type { DaqSourceOptions } from './sources/daq-source.js';
import { logger } from '../util/log.js';
import { builtInLayouts } from '../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../src-worker/instrument/load-camera-geometry.js';
import type { SubarrayDescription } from '../api/instrument-types.js';
import { fullAccess, type FileAccess } from '../files/file-access.js';
import { RecordSpaceWatch, type RecordSpaceOptions } from './record-space-watch.js';

const log = logger('live');

/** camera views' rate while the source drops events for lack of processing capacity, Hz */
export const BUSY_DISPLAY_HZ = 10;
/** how long after the last such drop the views stay at that rate, ms */
const BUSY_HOLD_MS = 3000;

type LiveMethod = keyof typeof liveRequestSchemas;
type LiveParams<M extends LiveMethod> = z.infer<(typeof liveRequestSchemas)[M]>;
export type LiveHandlers = { [M in LiveMethod]: (p: LiveParams<M>) => Promise<LiveReplies[M]> | LiveReplies[M] };
type Events = { [K in keyof LiveStreams]: [LiveStreams[K]] } & { 'array-event': [ArrayEvent]; subarray: [SubarrayDescription] };

export interface LiveServiceOptions {
  /** events kept for stepping back (default 200) */
  ringCapacity?: number;
  /** DAQ processing queue and batching */
  processing?: DaqSourceOptions;
  /** camera views' rate when processing keeps up, Hz (default 30) */
  displayHz?: number;
  /** the subarray of an open DL1 file (for live.simulate with a file's layout) */
  fileSubarray?: (fileId: string) => Promise<SubarrayDescription> | SubarrayDescription;
  /** stream periods, ms (defaults: status/histograms/rates 500, pixel maps and alarm checks 1000) */
  periodsMs?: { status?: number; histograms?: number; pixelMaps?: number };
  /** where recordings may be written (default anywhere; serve mode: its data directories) */
  access?: FileAccess;
  /** the free-space check before and during recording */
  recordSpace?: RecordSpaceOptions;
}

export class LiveService extends EventEmitter<Events> {
  private daq: DaqSource | undefined;
  private source: 'simulation' | 'daq' = 'simulation';
  readonly aggregator: LiveAggregator;
  readonly alarms = new AlarmMonitor();
  readonly recorder = new LiveRecorder();
  private readonly space: RecordSpaceWatch;
  private simImages = 0;
  private timers: NodeJS.Timeout[] = [];
  private lastHistSeq = -1;
  private runningSince: number | undefined;
  private lastState: LiveState = 'idle';

  private lastBusyDrops = 0;
  private lastBusyDropAt = -Infinity;
  private readonly baseDisplayHz: number;

  private pool!: WorkerPool;
  private simulation!: SimulationSource;

  /**
   * Constructed before the session's pool exists (so its handlers can be
   * spread into the session's table); attach() connects it.
   */
  constructor(private readonly displayed: () => number, private readonly opts: LiveServiceOptions = {}) {
    super();
    this.baseDisplayHz = opts.displayHz ?? 30;
    this.space = new RecordSpaceWatch(opts.recordSpace);
    this.recorder.on('status', (s) => {
      if (!s.active) this.space.stop();
    });
    this.aggregator = new LiveAggregator({
      ringCapacity: opts.ringCapacity,
      hotPixelFactor: () => this.alarms.thresholds.hotPixelFactor,
      pointing: () => this.subarray().pointing,
      // simulated events' pixel arrays live in slabs the pool refills once the ring lets go
      onEvict: (e) => this.simulation?.recycler.release(e),
    });
  }

  attach(pool: WorkerPool, simulation: SimulationSource): this {
    this.pool = pool;
    this.simulation = simulation;
    simulation.on('processed', (events, sums) => {
      if (this.source !== 'simulation') return;
      this.ingest(events, sums, 'simulation');
      if (this.recorder.active) for (const e of events) this.recorder.record(rawOf(e));
    });
    simulation.on('status', () => this.onStateChange());
    const p = this.opts.periodsMs ?? {};
    this.every(p.status ?? 500, () => this.emit('live-status', this.status()));
    this.every(p.histograms ?? 500, () => this.pushHistograms());
    this.every(p.histograms ?? 500, () => this.emit('live-rates', this.aggregator.rates.snapshot()));
    // one pixel-map snapshot a second serves the stream and the hot/dead pixel alarms
    this.every(p.pixelMaps ?? 1000, () => {
      const maps = this.aggregator.images > 0 ? this.aggregator.pixelMaps.snapshot() : undefined;
      if (maps) this.emit('live-pixel-maps', maps);
      this.checkAlarms(maps?.telescopes ?? []);
    });
    return this;
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        log.error(`live update failed: ${errorMessage(err)}`);
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private pushHistograms(): void {
    if (this.aggregator.events === this.lastHistSeq) return;
    this.lastHistSeq = this.aggregator.events;
    this.emit('live-histograms', this.aggregator.histograms.snapshot(this.source));
  }

  /** the subarray of the current source */
  subarray(): SubarrayDescription {
    return this.source === 'daq' && this.daq ? this.daq.subarray : this.simulation.subarray;
  }

  get activeSource(): 'simulation' | 'daq' {
    return this.source;
  }

  private ingest(events: LiveProcessedEvent[], sums: PixelSums[], source: 'simulation' | 'daq'): void {
    const now = Date.now() / 1000;
    const subarray = this.subarray();
    for (const e of events) {
      if (source === 'simulation') this.simImages += e.images.length;
      this.aggregator.add(e, now, false, source === 'simulation');
    }
    this.aggregator.addPixelSums(sums);
    // the simulation source emits its own ArrayEvents; for a DAQ the newest of the batch goes to the
    // views (the connections keep only the newest anyway; every event is in the aggregation and the ring)
    if (source === 'daq' && events.length) this.emit('array-event', toArrayEvent(events[events.length - 1], source, subarray));
  }

  private state(): LiveState {
    if (this.source === 'daq' && this.daq) return this.daq.state;
    return this.simulation.status().state;
  }

  private onStateChange(): void {
    const s = this.state();
    if (s === this.lastState) return;
    if (s === 'running' && this.runningSince === undefined) this.runningSince = Date.now() / 1000;
    if (s !== 'running' && s !== 'reconnecting' && s !== 'paused') this.runningSince = undefined;
    this.lastState = s;
    this.emit('live-status', this.status());
  }

  /** the core API's SourceStatus (run-control bar) while a DAQ is the live source */
  daqSourceStatus(): SourceStatus | undefined {
    if (this.source !== 'daq' || !this.daq) return undefined;
    const s = this.status();
    const c = s.counters;
    const reasons = Object.entries(c.droppedByReason).map(([k, v]) => `${k} ${v}`).join(', ');
    const state: SourceState = s.state;
    return {
      kind: 'daq',
      state,
      rateHz: s.rateHz,
      measuredRateHz: s.rateHz,
      received: c.received,
      processed: c.processed,
      displayed: c.displayed,
      dropped: c.dropped,
      droppedReason: reasons || undefined,
      bytes: c.bytes,
      message: s.state === 'connecting' || s.state === 'reconnecting' ? `${s.state}: ${s.message ?? ''}` : s.message,
    };
  }

  status(): LiveStatus {
    const recording = this.recorder.status();
    let counters: LiveCounters;
    let message: string | undefined;
    let reconnect: { attempt: number; delaySeconds: number } | undefined;
    if (this.source === 'daq' && this.daq) {
      counters = this.daq.liveCounters(this.displayed());
      message = this.daq.message;
      const r = this.daq.reconnect;
      if (r && this.daq.state === 'reconnecting') reconnect = r;
    } else {
      const s = this.simulation.status();
      counters = {
        received: s.received,
        processed: s.processed,
        displayed: this.displayed(),
        dropped: s.dropped,
        droppedByReason: s.dropped ? { 'simulation-busy': s.dropped } : {},
        imagesReceived: this.simImages,
        imagesProcessed: this.simImages,
        bytes: s.bytes,
        queued: 0,
        queueCapacity: 0,
      };
      message = s.message ?? s.droppedReason;
    }
    return {
      source: this.source,
      subarrayName: this.subarray().name,
      state: this.state(),
      url: this.source === 'daq' ? this.daq?.url : undefined,
      reconnectAttempt: reconnect?.attempt,
      reconnectDelaySeconds: reconnect?.delaySeconds,
      message,
      rateHz: this.aggregator.rates.meanRate(5),
      counters,
      recording,
      ringSize: this.aggregator.ring.size,
      ringCapacity: this.aggregator.ring.capacity,
      activeAlarms: this.alarms.activeCount,
      displayHz: this.displayHz(),
      displayBusy: this.displayHz() < this.baseDisplayHz,
      time: Date.now() / 1000,
    };
  }

  /** events the live source dropped so far because processing could not keep up */
  private busyDrops(): number {
    if (this.source === 'daq' && this.daq) return this.daq.dropped['queue-full'] ?? 0;
    return this.simulation.busyDropped;
  }

  /**
   * How often the camera views should get a new event, Hz: the display rate,
   * or BUSY_DISPLAY_HZ for a while after the source dropped events for lack
   * of processing capacity. Drawing cameras is not free (Chromium's software
   * renderer spends most of a core at 30 events/s on four LSTCam views), and
   * every event processed counts more than every event shown.
   */
  displayHz(): number {
    const drops = this.busyDrops();
    const now = Date.now();
    if (drops > this.lastBusyDrops) this.lastBusyDropAt = now;
    this.lastBusyDrops = drops;
    return now - this.lastBusyDropAt < BUSY_HOLD_MS ? Math.min(BUSY_DISPLAY_HZ, this.baseDisplayHz) : this.baseDisplayHz;
  }

  private checkAlarms(pixelMaps: LivePixelMap[] = this.aggregator.images > 0 ? this.aggregator.pixelMaps.snapshot().telescopes : []): void {
    const now = Date.now() / 1000;
    const state = this.state();
    const running = state === 'running' || state === 'reconnecting';
    const rates = this.aggregator.rates;
    const lastSeen = new Map<number, number>();
    for (const tel of rates.telescopes()) lastSeen.set(tel, rates.lastSeenTime(tel)!);
    const changed = this.alarms.evaluate({
      now,
      running,
      rateHz: rates.meanRate(this.alarms.thresholds.rateWindowSeconds),
      runningForSeconds: this.runningSince === undefined ? 0 : now - this.runningSince,
      lastSeen,
      pixelMaps,
      disconnectedSince: this.source === 'daq' && this.daq && state === 'reconnecting' ? this.daq.reconnect?.downSince : undefined,
      url: this.daq?.url,
    });
    if (changed || this.alarms.activeCount > 0) this.emit('live-alarms', this.alarms.snapshot());
  }

  private ensureDaq(): DaqSource {
    if (this.daq) return this.daq;
    const d = new DaqSource(this.pool, this.opts.processing);
    d.on('processed', (events, sums) => {
      if (this.source === 'daq') this.ingest(events, sums, 'daq');
    });
    d.on('received', (e: RawArrayEvent) => {
      // the trigger rate counts every received event, also those dropped before processing
      if (this.source === 'daq') this.aggregator.rates.add(e.images.map((i) => i.telId));
      // with the reading thread, that thread records every event itself (also those it drops for this one)
      if (this.recorder.active && !d.recordsInThread) this.recorder.record(e);
    });
    d.on('state', (s, message) => {
      log.info(`DAQ ${s}${message ? `: ${message}` : ''}`);
      this.onStateChange();
    });
    d.on('subarray', (s) => this.emit('subarray', s));
    d.on('receivedDropped', (telIds) => {
      if (this.source === 'daq') for (const t of telIds) this.aggregator.rates.add(t);
    });
    this.daq = d;
    return d;
  }

  connect(url: string): LiveStatus {
    if (this.recorder.active) throw new ApiError('bad-request', `stop the recording to ${this.recorder.status().dir} before switching the source`);
    this.simulation.stop();
    const d = this.ensureDaq();
    this.source = 'daq';
    d.resetCounters();
    this.aggregator.reset();
    this.lastHistSeq = -1; // the (now empty) histograms go out at the next update
    this.alarms.clear();
    this.runningSince = undefined;
    try {
      d.connect(url);
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    this.onStateChange();
    return this.status();
  }

  disconnect(): LiveStatus {
    if (this.daq) this.daq.disconnect();
    this.onStateChange();
    return this.status();
  }

  control(action: 'start' | 'pause' | 'resume' | 'stop'): LiveStatus {
    if (this.source === 'daq' && this.daq) {
      const d = this.daq;
      if (action === 'pause') d.pause();
      else if (action === 'resume') d.resume();
      else if (action === 'stop') d.disconnect();
      else if (action === 'start') {
        if (!d.url) throw new ApiError('bad-request', 'no DAQ address yet; connect with live.connect {url: "tcp://host:port"}');
        if (!d.connected) d.connect(d.url);
      }
    } else {
      const s = this.simulation;
      if (action === 'start') s.start();
      else if (action === 'pause') s.pause();
      else if (action === 'resume') s.resume();
      else s.stop();
    }
    this.onStateChange();
    return this.status();
  }

  /** the built-in simulated array becomes the live source again (a new run: aggregation cleared) and starts */
  async useSimulation(rateHz?: number, layout?: LiveParams<'live.simulate'>['layout']): Promise<LiveStatus> {
    if (this.recorder.active) throw new ApiError('bad-request', `stop the recording to ${this.recorder.status().dir} before switching the source`);
    const subarray = layout === undefined ? undefined : await this.resolveLayout(layout);
    const newRun = this.source === 'daq' || subarray !== undefined;
    if (this.source === 'daq') this.daq?.disconnect(false);
    this.source = 'simulation';
    if (subarray) {
      this.simulation.stop();
      this.simulation.setSubarray(subarray);
      this.emit('subarray', subarray);
    }
    if (newRun) {
      this.aggregator.reset();
      this.simImages = 0;
      this.lastHistSeq = -1; // the (now empty) histograms go out at the next update
      this.alarms.clear();
      this.runningSince = undefined;
    }
    if (rateHz !== undefined) this.simulation.setRate(rateHz);
    this.simulation.start();
    this.onStateChange();
    return this.status();
  }

  /** a layout name or an open DL1 file's subarray, checked: every camera must be one Lightpool ships */
  private async resolveLayout(layout: NonNullable<LiveParams<'live.simulate'>['layout']>): Promise<SubarrayDescription> {
    let subarray: SubarrayDescription;
    let from: string;
    if (typeof layout === 'string') {
      subarray = builtInLayouts[layout];
      from = `the built-in layout "${layout}"`;
    } else {
      if (!this.opts.fileSubarray) throw new ApiError('bad-request', 'this session has no files to take a layout from');
      const s = await this.opts.fileSubarray(layout.fileId);
      subarray = { name: `simulated on the layout of ${s.name}`, pointing: { ...s.pointing }, telescopes: s.telescopes.map((t) => ({ ...t, position: [...t.position] as [number, number, number] })) };
      from = `file ${layout.fileId} (${s.name})`;
    }
    if (subarray.telescopes.length === 0) throw new ApiError('bad-request', `${from} has no telescopes to simulate`);
    for (const camera of new Set(subarray.telescopes.map((t) => t.camera))) {
      try {
        loadCameraGeometry(camera);
      } catch {
        throw new ApiError('bad-request', `cannot simulate ${from}: camera ${camera} is not one of the geometries Lightpool ships`);
      }
    }
    return subarray;
  }

  readonly handlers: LiveHandlers = {
    'live.connect': (p) => this.connect(p.url),
    'live.disconnect': () => this.disconnect(),
    'live.simulate': (p) => this.useSimulation(p.rateHz, p.layout),
    'live.control': (p) => this.control(p.action),
    'live.status': () => this.status(),
    'live.alarms.configure': (p) => {
      this.alarms.configure(p.thresholds);
      this.checkAlarms();
      return this.alarms.snapshot();
    },
    'live.alarms': () => this.alarms.snapshot(),
    'live.alarms.acknowledge': (p) => {
      if (!this.alarms.acknowledge(p.id)) throw new ApiError('not-found', `no active alarm "${p.id}" (it may have cleared)`);
      const s = this.alarms.snapshot();
      this.emit('live-alarms', s);
      return s;
    },
    'live.record.start': async (p) => {
      const dir = await (this.opts.access ?? fullAccess).place(p.dir, 'write');
      if (this.recorder.active) throw new ApiError('bad-request', `cannot record to ${p.dir}: already recording to ${this.recorder.status().dir}; stop first`);
      const refusal = await this.space.refusal(dir);
      if (refusal) throw new ApiError('failed', `cannot record to ${p.dir}: ${refusal}`);
      try {
        const started = this.recorder.start({ ...p, dir }, this.subarray(), this.source === 'simulation');
        // a DAQ's reading thread sends every event it receives to the recorder itself, from now on
        // (set at once, so no event goes both ways or neither way while the recorder starts)
        if (this.source === 'daq') this.daq?.recordTo(() => this.recorder.openFeed());
        this.space.watch(dir, (message) => {
          if (!this.recorder.active) return;
          log.warn(message);
          this.daq?.recordTo(undefined);
          void this.recorder.fail(message).then(() => this.emit('live-status', this.status()));
        });
        return await started;
      } catch (err) {
        throw new ApiError('bad-request', `cannot record to ${p.dir}: ${errorMessage(err)}`);
      }
    },
    'live.record.stop': () => {
      this.space.stop();
      this.daq?.recordTo(undefined);
      return this.recorder.stop();
    },
    'live.histograms.reset': (p) => {
      this.aggregator.histograms.reset(p.names);
      this.lastHistSeq = -1;
      return this.aggregator.histograms.snapshot(this.source);
    },
    'live.histograms.configure': (p) => {
      try {
        this.aggregator.histograms.configure(p.name, p.bins, p.min, p.max, p.axis);
      } catch (err) {
        throw new ApiError('bad-request', errorMessage(err));
      }
      this.lastHistSeq = -1;
      return this.aggregator.histograms.snapshot(this.source);
    },
    'live.histograms': () => this.aggregator.histograms.snapshot(this.source),
    'live.rates': () => this.aggregator.rates.snapshot(),
    'live.pixelMaps': () => this.aggregator.pixelMaps.snapshot(),
    'live.pixelMaps.reset': (p) => {
      this.aggregator.pixelMaps.reset(p.telIds);
      return this.aggregator.pixelMaps.snapshot();
    },
    'live.ring': (p) => {
      const ring = this.aggregator.ring;
      const oldest = Math.max(0, ring.size - 1);
      let offset = Math.min(p.offset ?? 0, oldest);
      let overwritten: boolean | undefined;
      if (p.sequence !== undefined) {
        const o = ring.offsetOf(p.sequence);
        if (o === undefined && p.sequence <= ring.newestSequence) overwritten = true;
        offset = o ?? (p.sequence > ring.newestSequence ? 0 : oldest);
      }
      const e = ring.at(offset);
      return {
        offset,
        sequence: e ? ring.newestSequence - offset : -1,
        newestSequence: ring.newestSequence,
        overwritten,
        size: ring.size,
        capacity: ring.capacity,
        event: e ? toArrayEvent(e, this.source, this.subarray()) : undefined,
      };
    },
  };

  async close(): Promise<void> {
    this.space.stop();
    for (const t of this.timers) clearInterval(t);
    await this.daq?.disconnect(false);
    await this.recorder.close();
  }
}

function rawOf(e: LiveProcessedEvent): RawArrayEvent {
  return { obsId: e.obsId, eventId: e.eventId, time: e.time, images: e.images.map((i) => ({ telId: i.telId, image: i.image, peakTime: i.peakTime })) };
}
