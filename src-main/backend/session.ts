/**
 * The backend session: what is open (the simulated array, later files and DAQ
 * sources), the worker pool, and the handlers behind every API method. One
 * session serves every connected renderer, over IPC and WebSocket alike.
 */
import { EventEmitter } from 'node:events';
import type { AppInfo, Method, Params, Replies, Role, Streams } from '../api/contract.js';
import type { CameraGeometryWire, SubarrayDescription } from '../api/instrument-types.js';
import type { TreeNode } from '../api/file-contract.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import type { GeometryResult } from '../../src-worker/tasks.js';
import { builtInLayouts, type BuiltInLayout } from '../../src-worker/simulation/default-subarray.js';
import { SimulationSource } from '../sources/simulation-source.js';
import { WorkerPool } from './worker-pool.js';
import { FileService } from './file-service.js';
import { PointCloudService } from './point-cloud-service.js';
import { HistogramService } from './histogram-service.js';
import { fileStreamNames } from '../api/file-contract.js';
import { histogramStreamNames } from '../api/histogram-contract.js';
import { LiveService } from '../live/live-service.js';
import { liveStreamNames } from '../api/live-contract.js';
import { labStreamNames } from '../api/lab-contract.js';
import { LabService } from '../lab/lab-service.js';
import { ApiError } from '../util/errors.js';
import { fullAccess, type FileAccess } from './file-access.js';
import type { RecordSpaceOptions } from '../live/record-space-watch.js';

export interface ConnectionContext {
  transport: AppInfo['transport'];
  tokenRequired: boolean;
  /** what the connection may do (ApiConnection checks it per request; default 'control') */
  role?: Role;
}

type StreamEvents = { [K in keyof Streams]: [Streams[K]] };
type Handlers = { [M in Method]: (p: Params<M>, c: ConnectionContext) => Promise<Replies[M]> | Replies[M] };

export interface SessionOptions {
  /** start the simulated array at once (the default with no file open) */
  autoStart?: boolean;
  rateHz?: number;
  threads?: number;
  seed?: number;
  /** the simulated array's built-in layout (default: 'default', 4 LST + 4 MST) */
  layout?: BuiltInLayout;
  /** where files may be read and written (default: anywhere; serve mode: its data directories) */
  access?: FileAccess;
  /** the free-space check of recordings */
  recordSpace?: RecordSpaceOptions;
}

export class Session extends EventEmitter<StreamEvents> {
  readonly pool: WorkerPool;
  readonly simulation: SimulationSource;
  private readonly geometries = new Map<string, Promise<CameraGeometryWire>>();
  private statusTimer: NodeJS.Timeout;
  private displayed = 0;
  readonly access: FileAccess;
  readonly files: FileService;
  readonly pointClouds: PointCloudService;
  readonly histograms: HistogramService;
  readonly live: LiveService;
  readonly lab: LabService;

  constructor(options: SessionOptions = {}) {
    super();
    this.access = options.access ?? fullAccess;
    this.files = new FileService({ access: this.access });
    this.pointClouds = new PointCloudService(this.access);
    this.histograms = new HistogramService(this.files);
    this.live = new LiveService(() => this.displayed, {
      fileSubarray: (fileId) => this.files.handlers['file.subarray']({ fileId }),
      access: this.access,
      recordSpace: options.recordSpace,
    });
    this.pool = new WorkerPool(options.threads);
    this.lab = new LabService({
      files: {
        file: (fileId) => this.files.file(fileId),
        node: (fileId, path, maxDepth) => this.files.handlers['file.tree']({ fileId, path, maxDepth }) as Promise<TreeNode>,
      },
      pool: this.pool,
      access: this.access,
    });
    for (const name of labStreamNames) this.lab.on(name, ((data: Streams[typeof name]) => this.emit(name, data as never)) as never);
    this.handlers = this.makeHandlers();
    this.simulation = new SimulationSource(this.pool, { rateHz: options.rateHz, seed: options.seed });
    if (options.layout) this.simulation.setSubarray(builtInLayouts[options.layout]);
    this.simulation.on('event', (event) => {
      if (this.live.activeSource === 'simulation') this.emit('array-event', event);
    });
    this.live.attach(this.pool, this.simulation);
    this.live.on('array-event', (event) => this.emit('array-event', event));
    for (const name of liveStreamNames) this.live.on(name, ((data: Streams[typeof name]) => this.emit(name, data as never)) as never);
    this.simulation.on('status', () => this.emit('source-status', this.sourceStatus()));
    this.statusTimer = setInterval(() => this.emit('source-status', this.sourceStatus()), 500);
    this.statusTimer.unref();
    for (const name of fileStreamNames) this.files.on(name, ((data: Streams[typeof name]) => this.emit(name, data as never)) as never);
    for (const name of histogramStreamNames) this.histograms.on(name, (data) => this.emit(name, data));
    if (options.autoStart ?? true) this.simulation.start();
  }

  /** called by connections when an event was actually sent to a renderer */
  countDisplayed(): void {
    this.displayed++;
  }

  sourceStatus() {
    // the live source's: the simulation, or a connected DAQ stream
    return { ...(this.live.daqSourceStatus() ?? this.simulation.status()), displayed: this.displayed };
  }

  async handle<M extends Method>(method: M, params: Params<M>, ctx: ConnectionContext): Promise<Replies[M]> {
    const handler = this.handlers[method] as (p: Params<M>, c: ConnectionContext) => Promise<Replies[M]> | Replies[M];
    return handler(params, ctx);
  }

  private readonly handlers: Handlers;

  private makeHandlers(): Handlers {
    return {
      'app.info': (_p, ctx) => ({
        name: LIGHTPOOL_NAME,
        version: LIGHTPOOL_VERSION,
        transport: ctx.transport,
        tokenRequired: ctx.tokenRequired,
        role: ctx.role ?? 'control',
        dataDirectories: this.access.restricted ? [...this.access.roots] : undefined,
        node: process.versions.node,
        platform: process.platform,
      }),
      'app.ping': (p) => ({ pong: true, payload: p.payload, serverTimeMs: Date.now() }),
      'instrument.subarray': () => this.subarray(),
      'instrument.geometry': (p) => this.geometry(p.camera),
      'source.status': () => this.sourceStatus(),
      'source.control': (p) => {
        if (this.live.activeSource === 'daq') {
          this.live.control(p.action);
          return this.sourceStatus();
        }
        const sim = this.simulation;
        if (p.action === 'start') sim.start();
        else if (p.action === 'pause') sim.pause();
        else if (p.action === 'resume') sim.resume();
        else sim.stop();
        return this.sourceStatus();
      },
      'source.configure': (p) => {
        this.simulation.setRate(p.rateHz);
        return this.sourceStatus();
      },
      ...this.files.handlers,
      ...this.live.handlers,
      ...this.pointClouds.handlers,
      ...this.histograms.handlers,
      ...this.lab.handlers,
    };
  }

  subarray(): SubarrayDescription {
    // the live source's: the simulated array, or the subarray a DAQ announced
    const s = this.live.subarray();
    return {
      name: s.name,
      pointing: { ...s.pointing },
      telescopes: s.telescopes.map((t) => ({ ...t, position: [...t.position] as [number, number, number] })),
    };
  }

  geometry(camera: string): Promise<CameraGeometryWire> {
    let pending = this.geometries.get(camera);
    if (!pending) {
      pending = this.pool.run<GeometryResult>({ kind: 'geometry', camera }).then(
        (r) => r.geometry,
        (err: unknown) => {
          this.geometries.delete(camera);
          throw new ApiError('not-found', err instanceof Error ? err.message : String(err));
        },
      );
      this.geometries.set(camera, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    clearInterval(this.statusTimer);
    await this.histograms.dispose();
    await this.lab.dispose();
    await this.files.dispose();
    await this.live.close();
    await this.simulation.close();
    await this.pool.close();
  }
}
