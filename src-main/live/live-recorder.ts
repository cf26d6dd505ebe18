/**
 * The backend's side of live recording: events are batched (every 50 ms) and
 * copied to the record worker (src-worker/live/record-worker.ts), which
 * writes rotating DL1 files. The recording status comes back from the worker.
 * If the disk cannot keep up and more than `maxPendingBytes` wait, recording
 * stops with an error saying so (rather than losing events silently).
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import type { RecordingStatus } from '../api/live-contract.js';
import type { LiveSubarray, RawArrayEvent } from '../../src-worker/live/live-types.js';
import type { RecordWorkerRequest, RecordWorkerStatus } from '../../src-worker/live/record-worker.js';
import { workerScript } from '../util/dist-paths.js';

export interface RecordStartOptions {
  dir: string;
  prefix?: string;
  rotateMB?: number;
  rotateSeconds?: number;
  flushSeconds?: number;
}

const BATCH_MS = 50;

export class LiveRecorder extends EventEmitter<{ status: [RecordingStatus] }> {
  private worker: Worker | undefined;
  private batch: RawArrayEvent[] = [];
  private batchBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private bytesSent = 0;
  private bytesAcknowledged = 0;
  private current: RecordingStatus = { active: false, filesCompleted: [], eventsWritten: 0, imagesWritten: 0, bytesWritten: 0, rotateMB: 500, rotateSeconds: 600, flushSeconds: 1 };
  private stopping: ((s: RecordingStatus) => void) | undefined;
  /** events offered while recording */
  eventsOffered = 0;

  constructor(private readonly maxPendingBytes = 256 * 1024 * 1024) {
    super();
  }

  get active(): boolean {
    return this.current.active;
  }

  status(): RecordingStatus {
    return structuredClone(this.current);
  }

  start(opts: RecordStartOptions, subarray: LiveSubarray): Promise<RecordingStatus> {
    if (this.current.active) throw new Error(`already recording to ${this.current.dir}; stop first`);
    const dir = resolve(opts.dir);
    const rotateMB = opts.rotateMB ?? 500;
    const rotateSeconds = opts.rotateSeconds ?? 600;
    const flushSeconds = opts.flushSeconds ?? 1;
    this.worker ??= this.spawn();
    this.bytesSent = this.bytesAcknowledged = 0;
    this.eventsOffered = 0;
    this.current = { active: true, dir, filesCompleted: [], eventsWritten: 0, imagesWritten: 0, bytesWritten: 0, rotateMB, rotateSeconds, flushSeconds };
    return new Promise((resolveStart) => {
      const w = this.worker!;
      const onFirst = (m: RecordWorkerStatus) => {
        w.off('message', onFirst);
        resolveStart(this.status());
        void m;
      };
      w.on('message', onFirst);
      this.post({
        type: 'start',
        options: { dir, prefix: opts.prefix ?? 'lightpool_live', rotateBytes: rotateMB * 1e6, rotateSeconds, flushSeconds, subarray },
      });
      this.timer = setInterval(() => this.flush(), BATCH_MS);
    });
  }

  private spawn(): Worker {
    const w = new Worker(workerScript('record-worker'));
    w.on('message', (m: RecordWorkerStatus) => this.onStatus(m));
    w.on('error', (err) => this.onStatus({ type: 'status', active: false, status: { ...this.current, error: `recording worker failed: ${err.message}` }, bytesAcknowledged: this.bytesSent, stopped: true }));
    w.unref();
    return w;
  }

  private post(m: RecordWorkerRequest): void {
    this.worker?.postMessage(m);
  }

  private onStatus(m: RecordWorkerStatus): void {
    this.bytesAcknowledged = m.bytesAcknowledged;
    const s = m.status;
    this.current = {
      ...this.current,
      active: m.active && this.current.active,
      currentFile: s.currentFile,
      filesCompleted: s.filesCompleted,
      eventsWritten: s.eventsWritten,
      imagesWritten: s.imagesWritten,
      bytesWritten: s.bytesWritten,
      lastFlushTime: s.lastFlushTime,
      error: s.error ?? this.current.error,
    };
    if (m.stopped) {
      this.current.active = false;
      clearInterval(this.timer);
      this.timer = undefined;
      const done = this.stopping;
      this.stopping = undefined;
      done?.(this.status());
    }
    this.emit('status', this.status());
  }

  /**
   * offers one received event; its images are copied at once (the source
   * moves its buffers to the worker pool right after) and the copies are
   * moved to the record worker with the next batch
   */
  record(e: RawArrayEvent): void {
    if (!this.current.active || this.stopping) return;
    this.eventsOffered++;
    this.batch.push({ obsId: e.obsId, eventId: e.eventId, time: e.time, images: e.images.map((i) => ({ telId: i.telId, image: i.image.slice(), peakTime: i.peakTime.slice() })) });
    for (const i of e.images) this.batchBytes += i.image.byteLength + i.peakTime.byteLength;
  }

  private flush(): void {
    if (!this.batch.length) return;
    if (this.bytesSent - this.bytesAcknowledged > this.maxPendingBytes) {
      this.current.error = `recording stopped: the disk does not keep up (${((this.bytesSent - this.bytesAcknowledged) / 1e6).toFixed(0)} MB waiting); record to a faster disk or lower the rate`;
      this.batch = [];
      this.batchBytes = 0;
      void this.stop();
      return;
    }
    const events = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.bytesSent += bytes;
    const transfer: ArrayBuffer[] = [];
    for (const e of events) for (const i of e.images) transfer.push(i.image.buffer as ArrayBuffer, i.peakTime.buffer as ArrayBuffer);
    this.worker?.postMessage({ type: 'events', events, bytes } satisfies RecordWorkerRequest, transfer);
  }

  /** writes what is pending, closes the last file, resolves with the final status */
  stop(): Promise<RecordingStatus> {
    if (!this.current.active) return Promise.resolve(this.status());
    if (this.stopping) return new Promise((r) => this.once('status', () => r(this.status())));
    this.flush();
    return new Promise((r) => {
      this.stopping = r;
      this.post({ type: 'stop' });
    });
  }

  async close(): Promise<void> {
    await this.stop();
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
