/**
 * The backend session: the services it composes (files, live sources,
 * histograms, point clouds), the worker pool, and the handlers behind every
 * API method. One session serves every connected renderer, over IPC and
 * WebSocket alike; it has no branches on what a file or a live source is.
 */
import { EventEmitter } from 'node:events';
import type { AppInfo, Method, Params, Replies, Role, Streams } from '../api/contract.js';
import type { CameraGeometry, SubarrayDescription } from '../api/instrument-types.js';
import type { TreeNode } from '../api/file-contract.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import type { GeometryResult } from '../../src-worker/threads/pool-tasks.js';
import { builtInLayouts, type BuiltInLayout } from '../../src-worker/instrument/default-subarray.js';
import { SimulationSource } from '../live/sources/simulation-source.js';
import { WorkerPool } from '../pool/worker-pool.js';
import { FileService } from '../files/file-service.js';
import { PointCloudService } from '../files/point-cloud-service.js';
import { HistogramService } from '../files/histogram-service.js';
import { fileStreamNames } from '../api/file-contract.js';
import { histogramStreamNames } from '../api/histogram-contract.js';
import { LiveService } from '../live/live-service.js';
import { liveStreamNames } from '../api/live-contract.js';
import { labStreamNames } from '../api/lab-contract.js';
import { LabService } from '../lab/lab-service.js';
import { ApiError } from '../util/errors.js';
import { fullAccess, type FileAccess } from '../files/file-access.js';
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
  private readonly geometries = new Map<string, Promise<CameraGeometry>>();
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
      filePath: (fileId) => this.files.file(fileId).path,
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
    this.live.attach(this.pool, this.simulation);
    this.live.on('array-event', (event) => this.emit('array-event', event));
    for (const name of liveStreamNames) this.live.on(name, ((data: Streams[typeof name]) => this.emit(name, data as never)) as never);
    for (const name of fileStreamNames) this.files.on(name, ((data: Streams[typeof name]) => this.emit(name, data as never)) as never);
    for (const name of histogramStreamNames) this.histograms.on(name, (data) => this.emit(name, data));
    if (options.autoStart ?? true) this.simulation.start();
  }

  /** events already counted as displayed: with two windows open, each is sent twice but displayed once */
  private readonly displayedEvents = new WeakSet<object>();

  /**
   * called by connections when an event was actually sent to a renderer; each event counts once,
   * however many renderers got it, and only in the run it came from (`run`: the live run when the
   * connection took it; a previous source's event still waiting in a connection is not this run's)
   */
  countDisplayed(event: object, run = this.live.run): void {
    if (run !== this.live.run || this.displayedEvents.has(event)) return;
    this.displayedEvents.add(event);
    this.displayed++;
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

  geometry(camera: string): Promise<CameraGeometry> {
    // a geometry the live source announced stands for the shipped one of that name (copied: its columns are shared memory)
    const a = this.live.subarray().cameraGeometries?.[camera];
    if (a) {
      const { fingerprint: _, ...g } = a;
      return Promise.resolve({ ...g, pixId: g.pixId.slice(), pixX: g.pixX.slice(), pixY: g.pixY.slice(), pixArea: g.pixArea.slice() });
    }
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
    await this.histograms.dispose();
    await this.lab.dispose();
    await this.files.dispose();
    await this.live.close();
    await this.simulation.close();
    await this.pool.close();
  }
}
