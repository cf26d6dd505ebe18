/**
 * Worker-thread entry that owns a DAQ connection (daq-client.ts): socket
 * reads, frame decoding and event assembly happen here, so the stream is
 * read at full speed even when the backend's main thread is busy. Complete
 * events go to the main thread in batches (every 10 ms, buffers moved, not
 * copied). At most MAX_UNACKED events may wait for the main thread; beyond
 * that events are dropped here and reported (counted under 'queue-full' by
 * the DAQ source, never silently).
 */
import { parentPort } from 'node:worker_threads';
import { DaqClient } from './daq-client.js';
import type { RawArrayEvent } from '../../src-worker/live/live-types.js';
import type { DaqSubarray } from './daq-protocol.js';

export type DaqIoRequest = { type: 'connect'; url: string } | { type: 'close' } | { type: 'ack'; events: number };

export type DaqIoMessage =
  | { type: 'state'; state: DaqClient['state']; message?: string; attempt: number; delaySeconds: number; downSince?: number }
  | { type: 'subarray'; subarray: DaqSubarray }
  | { type: 'events'; events: RawArrayEvent[]; bytes: number[]; missedUpstream: number }
  | { type: 'incomplete'; reason: 'bad-frame' | 'connection-lost'; message: string }
  | { type: 'dropped'; events: number; telIds: number[][]; missedUpstream: number };

/** events posted to the main thread and not yet acknowledged, at most */
export const MAX_UNACKED = 1000;
const FLUSH_MS = 10;

const port = parentPort;
if (!port) throw new Error('daq-io-thread must run as a worker thread');

let client: DaqClient | undefined;
let batch: RawArrayEvent[] = [];
let bytes: number[] = [];
let unacked = 0;
let dropped = 0;
let droppedTels: number[][] = [];

function post(m: DaqIoMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

setInterval(() => {
  if (batch.length) {
    const transfer = new Set<ArrayBuffer>();
    for (const e of batch) for (const i of e.images) transfer.add(i.image.buffer as ArrayBuffer).add(i.peakTime.buffer as ArrayBuffer);
    unacked += batch.length;
    post({ type: 'events', events: batch, bytes, missedUpstream: client?.missedUpstream ?? 0 }, [...transfer]);
    batch = [];
    bytes = [];
  }
  if (dropped) {
    post({ type: 'dropped', events: dropped, telIds: droppedTels, missedUpstream: client?.missedUpstream ?? 0 });
    dropped = 0;
    droppedTels = [];
  }
}, FLUSH_MS).unref();

port.on('message', (m: DaqIoRequest) => {
  if (m.type === 'ack') {
    unacked -= m.events;
    return;
  }
  if (m.type === 'close') {
    client?.close();
    client = undefined;
    return;
  }
  client?.close();
  const c = new DaqClient(m.url);
  client = c;
  c.on('state', (state, message) => post({ type: 'state', state, message, attempt: c.attempt, delaySeconds: c.delaySeconds, downSince: c.downSince }));
  c.on('subarray', (subarray) => post({ type: 'subarray', subarray }));
  c.on('incomplete', (reason, message) => post({ type: 'incomplete', reason, message }));
  c.on('event', (e, n) => {
    if (unacked + batch.length >= MAX_UNACKED) {
      dropped++;
      droppedTels.push(e.images.map((i) => i.telId));
      return;
    }
    batch.push(e);
    bytes.push(n);
  });
  c.start();
});
