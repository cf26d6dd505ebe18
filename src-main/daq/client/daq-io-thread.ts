/**
 * Worker-thread entry that owns a DAQ connection (daq-client.ts, TCP or ZeroMQ): socket
 * reads, frame decoding and event assembly happen here, so the stream is
 * read at full speed even when the backend's main thread is busy. Complete
 * events go to the main thread in batches (every 10 ms, buffers moved, not
 * copied). At most MAX_UNACKED events may wait for the main thread; beyond
 * that events are dropped here and reported (counted under 'queue-full' by
 * the DAQ source, never silently).
 *
 * While recording, every event received goes from here straight to the
 * record worker over a record feed (record-feed.ts): events dropped for the
 * main thread are moved there, the others copied; with `only`, events go to
 * the recorder alone (`lightpool record`).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { openDaqClient } from './daq-client.js';
import type { DaqStreamClient } from './daq-stream-client.js';
import type { RawArrayEvent } from '../../../src-worker/live/live-types.js';
import type { DaqSubarray } from '../protocol/daq-protocol.js';
import { RecordFeed } from './record-feed.js';
import type { SubarrayDescription } from '../../../src-worker/containers/subarray.js';
import { announcedGeometries } from '../../../src-worker/instrument/announced-geometry.js';

export type DaqIoRequest =
  | { type: 'connect'; url: string }
  | { type: 'close' }
  | { type: 'ack'; events: number }
  /** record every event received from now on through `port` (a record feed; see record-feed.ts) */
  | { type: 'record'; port: MessagePort; maxPendingBytes?: number; limit?: number; only?: boolean };

export type DaqIoMessage =
  | { type: 'state'; state: DaqStreamClient['state']; message?: string; attempt: number; delaySeconds: number; downSince?: number }
  | { type: 'subarray'; subarray: DaqSubarray }
  | { type: 'events'; events: RawArrayEvent[]; bytes: number[]; missedUpstream: number }
  | { type: 'incomplete'; reason: 'bad-frame' | 'connection-lost'; message: string }
  | { type: 'dropped'; events: number; telIds: number[][]; missedUpstream: number }
  | { type: 'record-ended'; offered: number; error?: string; missedUpstream: number }
  /** after 'close': the connection is closed and nothing is pending, the thread may be terminated */
  | { type: 'closed' };

/** events posted to the main thread and not yet acknowledged, at most */
export const MAX_UNACKED = 1000;
const FLUSH_MS = 10;

const port = parentPort;
if (!port) throw new Error('daq-io-thread must run as a worker thread');

let client: DaqStreamClient | undefined;
let batch: RawArrayEvent[] = [];
let bytes: number[] = [];
let unacked = 0;
let dropped = 0;
let droppedTels: number[][] = [];
let feed: RecordFeed | undefined;
let recordOnly = false;
let lastSubarray: DaqSubarray | undefined;
/** clients closed, letting go of their connections */
const settling: Promise<void>[] = [];

function post(m: DaqIoMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

/** posts the batch of events and the drop report to the main thread */
function flushToMain(): void {
  if (batch.length) {
    const transfer = new Set<ArrayBuffer>();
    for (const e of batch)
      for (const i of e.images) {
        transfer.add(i.image.buffer as ArrayBuffer).add(i.peakTime.buffer as ArrayBuffer);
        if (i.waveform) transfer.add(i.waveform.samples.buffer as ArrayBuffer);
      }
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
}

setInterval(() => {
  feed?.flush();
  flushToMain();
}, FLUSH_MS).unref();

port.on('message', (m: DaqIoRequest) => {
  if (m.type === 'ack') {
    unacked -= m.events;
    return;
  }
  if (m.type === 'record') {
    feed?.end();
    recordOnly = !!m.only;
    const f: RecordFeed = new RecordFeed(m.port, m, (offered, error) => {
      if (feed === f) {
        feed = undefined;
        recordOnly = false; // events go to the main thread again (counted there), not to a feed that is gone
      }
      post({ type: 'record-ended', offered, error, missedUpstream: client?.missedUpstream ?? 0 });
    });
    feed = f;
    if (lastSubarray) f.subarray(toLiveSubarray(lastSubarray));
    return;
  }
  if (m.type === 'close') {
    // what this thread holds still reaches the main thread and the recorder: counts stay exact
    const c = client;
    c?.close();
    flushToMain(); // (its missedUpstream still from the client)
    feed?.end();
    client = undefined;
    if (c) settling.push(c.settled());
    // every client closed so far (also one replaced by 'connect') must have let go, not only this one
    void Promise.all(settling).then(() => post({ type: 'closed' }));
    return;
  }
  closeClient();
  const c = openDaqClient(m.url);
  client = c;
  c.on('state', (state, message) => post({ type: 'state', state, message, attempt: c.attempt, delaySeconds: c.delaySeconds, downSince: c.downSince }));
  c.on('subarray', (subarray) => {
    lastSubarray = subarray;
    feed?.subarray(toLiveSubarray(subarray));
    post({ type: 'subarray', subarray });
  });
  c.on('incomplete', (reason, message) => post({ type: 'incomplete', reason, message }));
  c.on('event', (e, n) => {
    if (recordOnly) {
      feed?.offer(e, true);
      return;
    }
    if (unacked + batch.length >= MAX_UNACKED) {
      dropped++;
      droppedTels.push(e.images.map((i) => i.telId));
      feed?.offer(e, true); // recorded all the same, its buffers moved to the recorder
      return;
    }
    feed?.offer(e, false);
    batch.push(e);
    bytes.push(n);
  });
  c.start();
});

/** closes the client (replaced by a new one); its settling (DaqStreamClient.settled) is awaited before this thread says 'closed' */
function closeClient(): void {
  const c = client;
  client = undefined;
  if (!c) return;
  c.close();
  settling.push(c.settled());
}

function toLiveSubarray(s: DaqSubarray): SubarrayDescription {
  return { name: s.name, pointing: s.pointing, telescopes: s.telescopes.map((t) => ({ ...t })), cameraGeometries: announcedGeometries(s.cameras) };
}
