/**
 * The DAQ client running in its own thread (daq-io-thread.ts), with the same
 * events as DaqClient plus 'busy' for events the thread dropped because the
 * main thread was too far behind.
 *
 * close() lets the thread hand over what it holds (to the main thread and
 * the recorder) and terminates it once it says 'closed'. The thread never
 * loads zeromq itself (a ZeroMQ connection lives in a process of its own,
 * daq-zmq-client.ts), so ending it at any moment, also at process exit, is
 * safe.
 */
import { EventEmitter } from 'node:events';
import { Worker, type MessagePort } from 'node:worker_threads';
import { parseDaqUrl, type DaqClientEvents, type DaqClientState } from './daq-client.js';
import type { DaqIoMessage, DaqIoRequest } from './daq-io-thread.js';
import { workerScript } from '../../util/dist-paths.js';

export interface DaqClientThreadEvents extends DaqClientEvents {
  /** events received but dropped in the reading thread (the main thread was behind); their telescopes, for the trigger rate */
  busy: [telIds: number[][]];
  /** the record feed (recordTo) ended: its events offered, and why when it ended early */
  recordEnded: [offered: number, error: string | undefined];
}

/** how long close() waits for the thread to say 'closed' before terminating it all the same, ms */
const CLOSE_WAIT_MS = 3000;
/** and at least this long, ms */
const MIN_CLOSE_MS = 200;

export class DaqClientThread extends EventEmitter<DaqClientThreadEvents> {
  private worker: Worker | undefined;
  state: DaqClientState = 'connecting';
  attempt = 0;
  delaySeconds = 0;
  downSince: number | undefined;
  bytes = 0;
  missedUpstream = 0;

  constructor(readonly url: string) {
    super();
    parseDaqUrl(url); // a clear error for a bad address, here and now
  }

  start(): void {
    const w = new Worker(workerScript('daq-io-thread'));
    this.worker = w;
    w.on('message', (m: DaqIoMessage) => this.onMessage(m));
    w.on('error', (err) => {
      this.state = 'error';
      this.emit('state', 'error', `the DAQ reading thread failed: ${err.message}`);
    });
    this.send({ type: 'connect', url: this.url });
  }

  /**
   * records every event received from now on through `port`, a record feed
   * (LiveRecorder.openFeed): the reading thread sends them to the record
   * worker itself, also those it drops for the main thread; `only`: events
   * go to the recorder alone, not to this thread
   */
  recordTo(port: MessagePort, opts: { maxPendingBytes?: number; limit?: number; only?: boolean } = {}): void {
    if (!this.worker) throw new Error('recordTo: start the DAQ client first');
    this.worker.postMessage({ type: 'record', port, ...opts } satisfies DaqIoRequest, [port]);
  }

  private send(m: DaqIoRequest): void {
    this.worker?.postMessage(m);
  }

  private onMessage(m: DaqIoMessage): void {
    switch (m.type) {
      case 'state':
        // after close() the thread's own 'closed' is not news (close() said so already)
        if (!this.worker) return;
        this.state = m.state;
        this.attempt = m.attempt;
        this.delaySeconds = m.delaySeconds;
        this.downSince = m.downSince;
        this.emit('state', m.state, m.message);
        return;
      case 'subarray':
        this.emit('subarray', m.subarray);
        return;
      case 'incomplete':
        this.emit('incomplete', m.reason, m.message);
        return;
      case 'dropped':
        this.setMissed(m.missedUpstream);
        this.emit('busy', m.telIds);
        return;
      case 'record-ended':
        this.setMissed(m.missedUpstream);
        this.emit('recordEnded', m.offered, m.error);
        return;
      case 'closed':
        return;
      case 'events':
        this.setMissed(m.missedUpstream);
        m.events.forEach((e, i) => {
          this.bytes += m.bytes[i];
          this.emit('event', e, m.bytes[i]);
        });
        this.send({ type: 'ack', events: m.events.length });
        return;
    }
  }

  /** the thread's count of skipped event ids; what is new is announced as 'missed' */
  private setMissed(total: number): void {
    const n = total - this.missedUpstream;
    this.missedUpstream = total;
    if (n > 0) this.emit('missed', n);
  }

  /**
   * Closes the connection; resolves once the thread has exited. Await it
   * before the process exits: Node 20 can abort (a native assertion in its
   * platform code) when the process exits while a worker thread still runs
   * background compile tasks.
   */
  close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    const exited = w ? new Promise<void>((resolve) => w.once('exit', () => resolve())) : Promise.resolve();
    if (w) {
      const t0 = performance.now();
      const fallback = setTimeout(() => void w.terminate(), CLOSE_WAIT_MS).unref();
      w.on('message', (m: DaqIoMessage) => {
        if (m.type !== 'closed') return;
        clearTimeout(fallback);
        // not before MIN_CLOSE_MS, as before: what the thread posted last (to the recorder too) is on its way
        setTimeout(() => void w.terminate(), Math.max(0, MIN_CLOSE_MS - (performance.now() - t0))).unref();
      });
      w.postMessage({ type: 'close' } satisfies DaqIoRequest);
    }
    if (this.state !== 'error') {
      this.state = 'closed';
      this.emit('state', 'closed', `disconnected from ${this.url}`);
    }
    return exited;
  }
}
