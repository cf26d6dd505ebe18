/**
 * The sending end of a record feed (src-worker/live/record-feed-protocol.ts),
 * used by the DAQ reading thread: every event offered is batched and posted
 * straight to the record worker. An event the caller gives up (one dropped
 * before processing) is moved with its buffers; an event that also goes on
 * to processing is copied once here, in the reading thread, not on the main
 * thread.
 *
 * Bounded memory: at most `maxPendingBytes` of image data may be posted and
 * not yet acknowledged (written) by the record worker. Beyond that the disk
 * cannot keep up: the feed ends with an error saying so (the recording stops
 * with it) instead of queueing without bound or losing events silently.
 */
import type { MessagePort } from 'node:worker_threads';
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import { copyRawEvent, eventBytes, type RecordFeedMessage, type RecordFeedReply } from '../../../src-worker/live/record-feed-protocol.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';

export interface RecordFeedOptions {
  /** image bytes posted and not yet written, at most (default 256 MB) */
  maxPendingBytes?: number;
  /** end the feed after this many events (e.g. `lightpool record --events N`) */
  limit?: number;
}

export const DEFAULT_MAX_PENDING_BYTES = 256 * 1024 * 1024;

export class RecordFeed {
  /** events taken for recording */
  offered = 0;
  private batch: RawArrayEvent[] = [];
  private transfer = new Set<ArrayBuffer>();
  private batchBytes = 0;
  private sent = 0;
  private acknowledged = 0;
  private ended = false;
  private readonly maxPendingBytes: number;

  constructor(
    private readonly port: MessagePort,
    private readonly opts: RecordFeedOptions,
    private readonly onEnd: (offered: number, error?: string) => void,
  ) {
    this.maxPendingBytes = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    port.on('message', (m: RecordFeedReply) => {
      if (m.type === 'ack') this.acknowledged += m.bytes;
      else if (m.type === 'end-request') this.end();
    });
    // the record worker went away (terminated): nothing more can be recorded
    port.on('close', () => this.finish('the recording worker is gone'));
  }

  get active(): boolean {
    return !this.ended;
  }

  /** the subarray of the events that follow */
  subarray(s: SubarrayDescription): void {
    if (this.ended) return;
    this.flush();
    this.post({ type: 'subarray', subarray: s });
  }

  /**
   * takes one event for recording; `owned`: the caller gives up the event's
   * buffers (they are moved to the recorder), otherwise it is copied.
   * false when the feed has ended (limit reached, recording stopped or failed)
   */
  offer(e: RawArrayEvent, owned: boolean): boolean {
    if (this.ended) return false;
    const bytes = eventBytes(e);
    const pending = this.sent - this.acknowledged + this.batchBytes;
    if (pending + bytes > this.maxPendingBytes) {
      this.end(
        `recording stopped after ${this.offered} events: the disk does not keep up (${(pending / 1e6).toFixed(0)} MB waiting to be written); record to a faster disk or lower the rate`,
      );
      return false;
    }
    const ev = owned ? e : copyRawEvent(e);
    this.batch.push(ev);
    for (const i of ev.images) this.transfer.add(i.image.buffer as ArrayBuffer).add(i.peakTime.buffer as ArrayBuffer);
    this.batchBytes += bytes;
    this.offered++;
    if (this.opts.limit !== undefined && this.offered >= this.opts.limit) this.end();
    return true;
  }

  /** posts the batch (call every few ms) */
  flush(): void {
    if (!this.batch.length || this.ended) return;
    const events = this.batch;
    const bytes = this.batchBytes;
    const transfer = [...this.transfer];
    this.batch = [];
    this.transfer = new Set();
    this.batchBytes = 0;
    this.sent += bytes;
    this.post({ type: 'events', events, bytes }, transfer);
  }

  /** posts what is held and the end message; the record worker closes the channel */
  end(error?: string): void {
    if (this.ended) return;
    this.flush();
    this.post({ type: 'end', offered: this.offered, error });
    this.finish(error);
  }

  private finish(error?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.batch = [];
    this.transfer.clear();
    this.onEnd(this.offered, error);
  }

  private post(m: RecordFeedMessage, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }
}
