/**
 * The backend's side of live recording: the record worker
 * (src-worker/threads/record-worker.ts) writes rotating DL1 files. Events reach
 * it two ways:
 *  - record(): events of this thread (the simulation) are batched (every
 *    50 ms) and copied to the worker;
 *  - openFeed(): a MessagePort for a thread that receives events (the DAQ
 *    reading thread) to send every event to the worker itself, so those
 *    dropped before processing are recorded too and this thread is not on
 *    the recording path (src-main/daq/client/record-feed.ts).
 * The recording status comes back from the worker. If the disk cannot keep
 * up and more than `maxPendingBytes` wait (on either path), recording stops
 * with an error saying so (rather than losing events silently).
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import type { RecordingStatus } from '../api/live-contract.js';
import type { RawArrayEvent } from '../../src-worker/live/live-types.js';
import type { RecordWorkerRequest, RecordWorkerStatus } from '../../src-worker/threads/record-worker.js';
import { workerScript } from '../util/dist-paths.js';
import { copyRawEvent, eventBytes } from '../../src-worker/live/record-feed-protocol.js';
import type { SubarrayDescription } from '../../src-worker/containers/subarray.js';

export interface RecordStartOptions {
  dir: string;
  prefix?: string;
  rotateMB?: number;
  rotateSeconds?: number;
  flushSeconds?: number;
  /** one file at this path instead of rotating files in `dir` (no rotation) */
  file?: string;
}

const BATCH_MS = 50;

export class LiveRecorder extends EventEmitter<{ status: [RecordingStatus] }> {
  private worker: Worker | undefined;
  private batch: RawArrayEvent[] = [];
  private batchBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private bytesSent = 0;
  private bytesAcknowledged = 0;
  private current: RecordingStatus = {
    active: false,
    filesCompleted: [],
    filesCompletedCount: 0,
    eventsOffered: 0,
    eventsWritten: 0,
    imagesWritten: 0,
    bytesWritten: 0,
    rotateMB: 500,
    rotateSeconds: 600,
    flushSeconds: 1,
  };
  /** resolvers of stop() while the worker finishes */
  private stopping: ((s: RecordingStatus) => void)[] | undefined;
  /** events offered by record() */
  private localOffered = 0;
  /** events that arrived through feeds (reported by the worker) */
  private feedEvents = 0;

  constructor(readonly maxPendingBytes = 256 * 1024 * 1024) {
    super();
  }

  /** events offered while recording: record() and the feeds (equal to eventsWritten once stopped without error) */
  get eventsOffered(): number {
    return this.localOffered + this.feedEvents;
  }

  get active(): boolean {
    return this.current.active;
  }

  status(): RecordingStatus {
    return structuredClone({ ...this.current, eventsOffered: this.eventsOffered });
  }

  /** `simulated`: the events come from the simulated array (the files' metadata says so) */
  start(opts: RecordStartOptions, subarray: SubarrayDescription, simulated = false): Promise<RecordingStatus> {
    if (this.current.active) throw new Error(`already recording to ${this.current.dir}; stop first`);
    const file = opts.file ? resolve(opts.file) : undefined;
    const dir = file ? dirname(file) : resolve(opts.dir);
    const rotateMB = opts.rotateMB ?? 500;
    const rotateSeconds = opts.rotateSeconds ?? 600;
    const flushSeconds = opts.flushSeconds ?? 1;
    this.worker ??= this.spawn();
    this.bytesSent = this.bytesAcknowledged = 0;
    this.localOffered = 0;
    this.feedEvents = 0;
    this.current = {
      active: true,
      dir,
      filesCompleted: [],
      filesCompletedCount: 0,
      eventsOffered: 0,
      eventsWritten: 0,
      imagesWritten: 0,
      bytesWritten: 0,
      rotateMB,
      rotateSeconds,
      flushSeconds,
    };
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
        options: { dir, file, prefix: opts.prefix ?? 'lightpool_live', rotateBytes: rotateMB * 1e6, rotateSeconds, flushSeconds, subarray, simulated },
      });
      this.timer = setInterval(() => this.flush(), BATCH_MS);
    });
  }

  private spawn(): Worker {
    const w = new Worker(workerScript('record-worker'));
    w.on('message', (m: RecordWorkerStatus) => this.onStatus(m));
    w.on('error', (err) => {
      // a new worker for the next recording: this one is gone
      if (this.worker === w) this.worker = undefined;
      this.onStatus({
        type: 'status',
        active: false,
        status: { ...this.current, error: `recording worker failed: ${err.message}` },
        bytesAcknowledged: this.bytesSent,
        feedEvents: this.feedEvents,
        stopped: true,
      });
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
    });
    w.unref();
    return w;
  }

  private post(m: RecordWorkerRequest): void {
    this.worker?.postMessage(m);
  }

  /**
   * a record feed for another thread (hand it over with the thread's own
   * request, e.g. DaqClientThread.recordTo); undefined when not recording
   */
  openFeed(): MessagePort | undefined {
    if (!this.current.active || this.stopping || !this.worker) return undefined;
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ type: 'feeder', port: port1 } satisfies RecordWorkerRequest, [port1]);
    return port2;
  }

  private onStatus(m: RecordWorkerStatus): void {
    this.bytesAcknowledged = m.bytesAcknowledged;
    this.feedEvents = m.feedEvents;
    const s = m.status;
    this.current = {
      ...this.current,
      active: m.active && this.current.active,
      currentFile: s.currentFile,
      filesCompleted: s.filesCompleted,
      filesCompletedCount: s.filesCompletedCount,
      firstFileCompleted: s.firstFileCompleted,
      eventsWritten: s.eventsWritten,
      imagesWritten: s.imagesWritten,
      bytesWritten: s.bytesWritten,
      lastFlushTime: s.lastFlushTime,
      camerasWithoutGeometry: s.camerasWithoutGeometry,
      error: s.error ?? this.current.error,
    };
    if (m.stopped) {
      this.current.active = false;
      clearInterval(this.timer);
      this.timer = undefined;
      const done = this.stopping ?? [];
      this.stopping = undefined;
      this.emit('status', this.status());
      for (const r of done) r(this.status());
      return;
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
    this.localOffered++;
    this.batch.push(copyRawEvent(e));
    this.batchBytes += eventBytes(e);
  }

  /** stops recording with an error saying why (the files written so far are closed complete) */
  fail(message: string): Promise<RecordingStatus> {
    if (!this.current.active) return Promise.resolve(this.status());
    this.current.error = message;
    return this.stop();
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
    // an image and its peak time share one buffer (copyRawEvent): a transfer list names each buffer once
    const transfer = new Set<ArrayBuffer>();
    for (const e of events) for (const i of e.images) transfer.add(i.image.buffer as ArrayBuffer).add(i.peakTime.buffer as ArrayBuffer);
    this.worker?.postMessage({ type: 'events', events, bytes } satisfies RecordWorkerRequest, [...transfer]);
  }

  /** writes what is pending, closes the last file, resolves with the final status */
  stop(): Promise<RecordingStatus> {
    if (!this.current.active) return Promise.resolve(this.status());
    if (this.stopping) return new Promise((r) => this.stopping!.push(r));
    this.flush();
    return new Promise((r) => {
      this.stopping = [r];
      this.post({ type: 'stop' });
    });
  }

  async close(): Promise<void> {
    await this.stop();
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
