/**
 * Main-side client of the HDF5 worker thread: the main thread never blocks on
 * HDF5. One worker holds the set of open files; each request gets an id, a
 * timeout and optional progress / cancel; typed arrays come back as
 * transferables. If the worker dies or hangs (a request times out) it is
 * terminated, the pending requests fail with a clear error, and the next
 * request starts a new worker that re-opens the files that were open.
 */
import { Worker } from 'node:worker_threads';
import { Hdf5Error, type Hdf5ErrorCode } from '../../src-worker/io/hdf5/h5-errors.js';
import type { Hdf5Reply, Hdf5Request, Hdf5RequestType, Hdf5Results, FileSummary, RequestOf } from '../../src-worker/io/service/hdf5-protocol.js';
import type { ExportProgress } from '../../src-worker/io/export/export-types.js';
import { workerScript } from '../util/dist-paths.js';

export interface Hdf5ClientOptions {
  /** path of the bundled worker script (default: dist/worker/hdf5-worker.js) */
  workerPath?: string;
  /** default per-request time limit, ms (default 60 s; exports have none unless given) */
  timeoutMs?: number;
  /** allow the worker's debug requests (tests) */
  debug?: boolean;
  /** environment of the worker (default: this process's) */
  env?: NodeJS.ProcessEnv;
}

export interface RequestOptions {
  timeoutMs?: number;
  onProgress?: (p: ExportProgress) => void;
  /** aborting cancels an export between datasets, and rejects any request */
  signal?: AbortSignal;
}

interface Pending {
  type: Hdf5RequestType;
  label: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  onProgress?: (p: ExportProgress) => void;
  cleanup: () => void;
}

type RequestInput<T extends Hdf5RequestType> = { type: T } & Omit<RequestOf<T>, 'cancel' | 'type'>;

export class Hdf5Client {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private nextFile = 1;
  private files = new Map<string, string>();
  private disposed = false;
  /** how many times a worker was started after the first */
  restarts = 0;
  private started = 0;

  constructor(private readonly opts: Hdf5ClientOptions = {}) {}

  private spawn(): Worker {
    const path = this.opts.workerPath ?? workerScript('hdf5-worker');
    const w = new Worker(path, { workerData: { debug: !!this.opts.debug }, env: this.opts.env ?? process.env });
    if (this.started++ > 0) this.restarts++;
    w.on('message', (msg: Hdf5Reply) => this.onMessage(msg));
    w.on('error', (err) => this.onDeath(w, `failed: ${err.message}`));
    w.on('exit', (code) => this.onDeath(w, `stopped (exit code ${code})`));
    w.unref();
    this.worker = w;
    // re-open the files that were open in the previous worker
    for (const [fileId, path] of this.files) {
      this.send({ type: 'open', fileId, path }, { timeoutMs: this.opts.timeoutMs }).catch(() => this.files.delete(fileId));
    }
    return w;
  }

  private onDeath(w: Worker, why: string): void {
    if (this.worker !== w) return;
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      p.cleanup();
      p.reject(new Hdf5Error('worker-died', `the HDF5 reader ${why} while doing ${p.label}; it will be restarted for the next request`));
    }
  }

  private onMessage(msg: Hdf5Reply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if ('progress' in msg) {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    p.cleanup();
    if (this.pending.size === 0) this.worker?.unref();
    if (msg.ok) p.resolve(msg.result);
    else {
      p.reject(new Hdf5Error(msg.error.code as Hdf5ErrorCode, msg.error.message, msg.error.file));
      // the wasm library trapped: its state cannot be trusted, start afresh
      if (msg.error.fatal) this.kill();
    }
  }

  private send(req: Hdf5Request, opts: RequestOptions = {}): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Hdf5Error('not-open', 'the HDF5 client was closed'));
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    const label = describe(req, (id) => this.files.get(id));
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? (req.type === 'export' ? undefined : (this.opts.timeoutMs ?? 60_000));
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (req.type === 'export' && req.cancel) Atomics.store(new Int32Array(req.cancel), 0, 1);
        else {
          this.pending.delete(id);
          cleanup();
          reject(new Hdf5Error('cancelled', `${label}: cancelled`));
        }
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          cleanup();
          reject(new Hdf5Error('timeout', `${label}: no answer within ${timeoutMs} ms; the HDF5 reader was restarted`));
          this.kill();
        }, timeoutMs);
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { type: req.type, label, resolve, reject, timer, onProgress: opts.onProgress, cleanup });
      worker.ref();
      worker.postMessage({ id, request: req });
      if (opts.signal?.aborted) onAbort();
    });
  }

  /** Sends one request and resolves with its typed result. */
  request<T extends Hdf5RequestType>(req: RequestInput<T>, opts: RequestOptions = {}): Promise<Hdf5Results[T]> {
    const full = { ...req } as Hdf5Request;
    if (full.type === 'export' && opts.signal) full.cancel = new SharedArrayBuffer(4);
    return this.send(full, opts) as Promise<Hdf5Results[T]>;
  }

  /** Opens a file; the returned id names it in later requests. */
  async open(path: string, opts: RequestOptions = {}): Promise<{ fileId: string; summary: FileSummary }> {
    const fileId = `f${this.nextFile++}`;
    const summary = await this.request({ type: 'open', fileId, path }, opts);
    this.files.set(fileId, path);
    return { fileId, summary };
  }

  async close(fileId: string): Promise<void> {
    this.files.delete(fileId);
    if (this.worker) await this.request({ type: 'close', fileId });
  }

  /** Terminates the worker (e.g. when stuck); the next request starts a new one. */
  kill(): void {
    const w = this.worker;
    if (!w) return;
    this.onDeath(w, 'was stopped');
    void w.terminate();
  }

  /** Stops the worker for good. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    if (w) {
      this.onDeath(w, 'was closed');
      await w.terminate();
    }
  }

  get workerThreadId(): number | null {
    return this.worker?.threadId ?? null;
  }
}

function describe(req: Hdf5Request, pathOf: (fileId: string) => string | undefined): string {
  const file = 'fileId' in req && req.fileId ? (pathOf(req.fileId) ?? req.fileId) : undefined;
  switch (req.type) {
    case 'open':
      return `opening ${req.path}`;
    case 'export':
      return `exporting ${req.input}`;
    case 'readSlice':
    case 'readTableRows':
      return `${req.type} of ${req.path} in ${file}`;
    default:
      return file ? `${req.type} in ${file}` : req.type;
  }
}
