/**
 * The live-monitoring service of a session: which source feeds the
 * aggregation (one LiveSource: the simulated array, a DAQ stream over TCP
 * or ZeroMQ, a replayed file), run control, aggregation, alarms and
 * recording, and the handlers of the live API. One path for every source:
 * its processed events are aggregated and the newest of each batch goes to
 * the camera views as 'array-event' (the connections coalesce them); its
 * status, with the aggregation's, is the one status stream ('live-status').
 * Streams are emitted here and re-emitted by the session.
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { ArrayEvent } from '../api/event-types.js';
import type { LiveCounters, LivePixelMap, LiveReplies, LiveState, LiveStatus, LiveStreams, liveRequestSchemas } from '../api/live-contract.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { SimulationSource } from './sources/simulation-source.js';
import { DaqSource } from './sources/daq-source.js';
import { ReplaySource } from './sources/replay-source.js';
import type { LiveSource } from './sources/live-source.js';
import type { LiveProcessedEvent, PixelSums } from '../../src-worker/live/live-types.js';
import { LiveAggregator } from './live-aggregator.js';
import { AlarmMonitor } from './alarm-monitor.js';
import { LiveRecorder } from './live-recorder.js';
import { toArrayEvent } from './to-array-event.js';
import { ApiError, errorMessage } from '../util/errors.js';
import type { DaqSourceOptions } from './sources/daq-source.js';
import { logger } from '../util/log.js';
import { builtInLayouts } from '../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../src-worker/io/assets/load-camera-geometry.js';
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
  /** the path of an open file (for live.replay) */
  filePath?: (fileId: string) => string;
  /** stream periods, ms (defaults: status/histograms/rates 500, pixel maps and alarm checks 1000) */
  periodsMs?: { status?: number; histograms?: number; pixelMaps?: number };
  /** where recordings may be written (default anywhere; serve mode: its data directories) */
  access?: FileAccess;
  /** the free-space check before and during recording */
  recordSpace?: RecordSpaceOptions;
}

export class LiveService extends EventEmitter<Events> {
  private daq: DaqSource | undefined;
  private replaying: ReplaySource | undefined;
  /** the live source: every event and status comes from it */
  private source!: LiveSource;
  readonly aggregator: LiveAggregator;
  readonly alarms = new AlarmMonitor();
  readonly recorder = new LiveRecorder();
  private readonly space: RecordSpaceWatch;
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
  /** events displayed before the current run started */
  private displayedBeforeRun = 0;
  /** the current run (counts up at each new source or layout): an event of an earlier run sent to a window late is not this run's displayed */
  run = 0;

  constructor(
    private readonly displayed: () => number,
    private readonly opts: LiveServiceOptions = {},
  ) {
    super();
    this.baseDisplayHz = opts.displayHz ?? 30;
    this.space = new RecordSpaceWatch(opts.recordSpace);
    this.recorder.on('status', (s) => {
      if (s.active) return;
      this.space.stop();
      this.source?.recordTo(undefined);
    });
    this.aggregator = new LiveAggregator({
      ringCapacity: opts.ringCapacity,
      hotPixelFactor: () => this.alarms.thresholds.hotPixelFactor,
      pointing: () => this.subarray().pointing,
      // simulated events' pixel arrays live in slabs the pool refills once the ring lets go (other events: nothing to do)
      onEvict: (e) => this.simulation?.recycler.release(e),
    });
  }

  attach(pool: WorkerPool, simulation: SimulationSource): this {
    this.pool = pool;
    this.simulation = simulation;
    this.use(simulation);
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
    this.emit('live-histograms', this.aggregator.histograms.snapshot(this.source.kind));
  }

  // the live source's events, whatever its kind (listening only to the current source)
  private readonly onProcessed = (events: LiveProcessedEvent[], sums: PixelSums[]): void => this.ingest(events, sums);
  private readonly onTriggered = (telIds: number[][]): void => {
    // the trigger rate counts every event as it arrives, also those dropped before processing
    const now = Date.now() / 1000;
    for (const t of telIds) this.aggregator.rates.add(t, now);
  };
  private readonly onSourceStatus = (): void => this.onStateChange();
  private readonly onSubarray = (s: SubarrayDescription): void => {
    this.emit('subarray', s);
  };

  /** makes `source` the live source (its events and status from now on, none of the previous one's) */
  private use(source: LiveSource): void {
    const old = this.source;
    if (old === source) return;
    if (old) {
      old.off('processed', this.onProcessed);
      old.off('triggered', this.onTriggered);
      old.off('status', this.onSourceStatus);
      old.off('subarray', this.onSubarray);
    }
    this.source = source;
    source.on('processed', this.onProcessed);
    source.on('triggered', this.onTriggered);
    source.on('status', this.onSourceStatus);
    source.on('subarray', this.onSubarray);
  }

  /** the subarray of the current source */
  subarray(): SubarrayDescription {
    return this.source.subarray;
  }

  /** which kind of source feeds the aggregation */
  get activeSource(): LiveSource['kind'] {
    return this.source.kind;
  }

  private ingest(events: LiveProcessedEvent[], sums: PixelSums[]): void {
    const now = Date.now() / 1000;
    for (const e of events) this.aggregator.add(e, now, false, false);
    this.aggregator.addPixelSums(sums);
    // the newest of the batch goes to the views (the connections keep only the newest anyway;
    // every event is in the aggregation and the ring)
    if (events.length) this.emit('array-event', toArrayEvent(events[events.length - 1], this.source.kind, this.subarray()));
  }

  private state(): LiveState {
    return this.source.status().state;
  }

  private onStateChange(): void {
    const s = this.state();
    if (s === this.lastState) return;
    if (s === 'running' && this.runningSince === undefined) this.runningSince = Date.now() / 1000;
    if (s !== 'running' && s !== 'reconnecting' && s !== 'paused') this.runningSince = undefined;
    this.lastState = s;
    this.emit('live-status', this.status());
  }

  /** the one live status: the source's, with the aggregation's, the recorder's and the display's */
  status(): LiveStatus {
    const recording = this.recorder.status();
    const s = this.source.status();
    const counters: LiveCounters = { ...s.counters, displayed: this.displayed() - this.displayedBeforeRun };
    return {
      source: s.kind,
      subarrayName: this.subarray().name,
      state: s.state,
      url: s.url,
      configuredRateHz: s.configuredRateHz,
      reconnectAttempt: s.reconnect?.attempt,
      reconnectDelaySeconds: s.reconnect?.delaySeconds,
      message: s.message,
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
    return this.source.status().busyDropped;
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
    const source = this.source.status();
    const state = source.state;
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
      disconnectedSince: state === 'reconnecting' ? source.reconnect?.downSince : undefined,
      url: source.url,
    });
    if (changed || this.alarms.activeCount > 0) this.emit('live-alarms', this.alarms.snapshot());
  }

  private ensureDaq(): DaqSource {
    if (this.daq) return this.daq;
    const d = new DaqSource(this.pool, this.opts.processing);
    d.on('state', (s, message) => log.info(`DAQ ${s}${message ? `: ${message}` : ''}`));
    this.daq = d;
    return d;
  }

  /**
   * Another source feeds the aggregation from now on: the current one is
   * stopped (it keeps its final counters), and a new run starts empty.
   */
  private switchTo(source: LiveSource): void {
    if (this.recorder.active) throw new ApiError('bad-request', `stop the recording to ${this.recorder.status().dir} before switching the source`);
    if (this.source !== source) this.source.stop();
    this.use(source);
    this.newRun();
  }

  /** histograms, rates, pixel maps, ring and alarms start empty */
  private newRun(): void {
    // "displayed" counts this run's events, as the source's counters do (not the previous source's)
    this.displayedBeforeRun = this.displayed();
    this.run++;
    this.aggregator.reset();
    this.lastHistSeq = -1; // the (now empty) histograms go out at the next update
    this.alarms.clear();
    this.runningSince = undefined;
  }

  connect(url: string): LiveStatus {
    const d = this.ensureDaq();
    this.switchTo(d);
    d.resetCounters();
    try {
      d.connect(url);
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    this.onStateChange();
    return this.status();
  }

  /** closes the DAQ connection; it stays the live source (state 'stopped', its counters kept) */
  disconnect(): LiveStatus {
    if (this.daq) this.daq.disconnect();
    this.onStateChange();
    return this.status();
  }

  /** run control of the live source, whatever it is */
  control(action: 'start' | 'pause' | 'resume' | 'stop'): LiveStatus {
    const s = this.source;
    try {
      if (action === 'start') s.start();
      else if (action === 'pause') s.pause();
      else if (action === 'resume') s.resume();
      else s.stop();
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    this.onStateChange();
    return this.status();
  }

  /** the live source's event rate, Hz (a source that sets its own, a DAQ, refuses) */
  configure(rateHz: number): LiveStatus {
    try {
      this.source.setRate(rateHz);
    } catch (err) {
      throw new ApiError('bad-request', errorMessage(err));
    }
    return this.status();
  }

  /** the built-in simulated array becomes the live source again (a new run: aggregation cleared) and starts */
  async useSimulation(rateHz?: number, layout?: LiveParams<'live.simulate'>['layout']): Promise<LiveStatus> {
    if (this.recorder.active) throw new ApiError('bad-request', `stop the recording to ${this.recorder.status().dir} before switching the source`);
    const subarray = layout === undefined ? undefined : await this.resolveLayout(layout);
    const sim = this.simulation;
    if (this.source !== sim || subarray !== undefined) {
      this.switchTo(sim);
      if (subarray) {
        sim.stop();
        sim.setSubarray(subarray);
      }
    }
    if (rateHz !== undefined) sim.setRate(rateHz);
    sim.start();
    this.onStateChange();
    return this.status();
  }

  /** an open DL1 file's images become the live source (a new run) and start */
  async replay(fileId: string, rateHz?: number, loop?: boolean): Promise<LiveStatus> {
    if (this.recorder.active) throw new ApiError('bad-request', `stop the recording to ${this.recorder.status().dir} before switching the source`);
    if (!this.opts.filePath) throw new ApiError('bad-request', 'this session has no files to replay');
    const path = this.opts.filePath(fileId);
    let r: ReplaySource;
    try {
      r = await ReplaySource.open(this.pool, path, { ...this.opts.processing, rateHz, loop });
    } catch (err) {
      throw new ApiError('bad-request', `cannot replay ${path}: ${errorMessage(err)}`);
    }
    const old = this.replaying;
    this.replaying = r;
    this.switchTo(r);
    this.emit('subarray', r.subarray);
    if (old) await old.close();
    r.start();
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
      subarray = {
        name: `simulated on the layout of ${s.name}`,
        pointing: { ...s.pointing },
        telescopes: s.telescopes.map((t) => ({ ...t, position: [...t.position] as [number, number, number] })),
      };
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
    'live.replay': (p) => this.replay(p.fileId, p.rateHz, p.loop),
    'live.control': (p) => this.control(p.action),
    'live.configure': (p) => this.configure(p.rateHz),
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
        const started = this.recorder.start({ ...p, dir }, this.subarray(), this.source.simulated);
        // the source sends every event it receives to the recorder from now on (a DAQ's reading thread
        // through a feed of its own; set at once, so no event goes both ways or neither way while the
        // recorder starts)
        this.source.recordTo(this.recorder);
        this.space.watch(dir, (message) => {
          if (!this.recorder.active) return;
          log.warn(message);
          this.source.recordTo(undefined);
          void this.recorder.fail(message).then(() => this.emit('live-status', this.status()));
        });
        return await started;
      } catch (err) {
        throw new ApiError('bad-request', `cannot record to ${p.dir}: ${errorMessage(err)}`);
      }
    },
    'live.record.stop': () => {
      this.space.stop();
      this.source.recordTo(undefined);
      return this.recorder.stop();
    },
    'live.histograms.reset': (p) => {
      this.aggregator.histograms.reset(p.names);
      this.lastHistSeq = -1;
      return this.aggregator.histograms.snapshot(this.source.kind);
    },
    'live.histograms.configure': (p) => {
      try {
        this.aggregator.histograms.configure(p.name, p.bins, p.min, p.max, p.axis);
      } catch (err) {
        throw new ApiError('bad-request', errorMessage(err));
      }
      this.lastHistSeq = -1;
      return this.aggregator.histograms.snapshot(this.source.kind);
    },
    'live.histograms': () => this.aggregator.histograms.snapshot(this.source.kind),
    'live.rates': () => this.aggregator.rates.snapshot(),
    'live.pixelMaps': () => this.aggregator.pixelMaps.snapshot(),
    'live.pixelMaps.reset': (p) => {
      this.aggregator.pixelMaps.reset(p.telIds);
      return this.aggregator.pixelMaps.snapshot();
    },
    'live.waveforms': (p) => {
      const latest = this.source.latestWaveform?.(p.telId);
      if (!latest) return { telId: p.telId, available: false, pixels: p.pixels, waveforms: [], image: [], peakTime: [] };
      const { nSamples, samplingRateGHz, samples } = latest.waveform;
      const nPixels = samples.length / nSamples;
      const bad = p.pixels.find((i) => i >= nPixels);
      if (bad !== undefined)
        throw new ApiError('bad-request', `live.waveforms: telescope ${p.telId} has ${nPixels} pixels (0..${nPixels - 1}); no pixel ${bad}`);
      return {
        telId: p.telId,
        available: true,
        obsId: latest.obsId,
        eventId: latest.eventId,
        time: latest.time,
        nSamples,
        samplingRateGHz,
        pixels: p.pixels,
        waveforms: p.pixels.map((i) => Array.from(samples.subarray(i * nSamples, (i + 1) * nSamples))),
        image: p.pixels.map((i) => latest.image[i]),
        peakTime: p.pixels.map((i) => latest.peakTime[i]),
      };
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
        event: e ? toArrayEvent(e, this.source.kind, this.subarray()) : undefined,
      };
    },
  };

  async close(): Promise<void> {
    this.space.stop();
    for (const t of this.timers) clearInterval(t);
    await this.daq?.close();
    await this.replaying?.close();
    await this.recorder.close();
  }
}
