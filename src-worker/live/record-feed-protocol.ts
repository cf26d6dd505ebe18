/**
 * Messages on a record feed: a MessagePort from a thread that receives
 * events (the DAQ reading thread, src-main/daq/client/daq-io-thread.ts) straight
 * to the record worker (record-worker.ts), so recorded events do not pass
 * through the backend's main thread. Image buffers are moved, not copied.
 *
 *   feeder -> record worker: subarray (before the events it applies to),
 *                            events (a batch), end (the feeder's last message)
 *   record worker -> feeder: ack (bytes of a batch written), end-request (recording stops:
 *                            send what you hold, then end)
 *
 * Counts are exact: `end.offered` is every event the feeder took for
 * recording, and the record worker checks it against the events that arrived.
 */
import type { RawArrayEvent } from './live-types.js';
import type { SubarrayDescription } from '../containers/subarray.js';

export type RecordFeedMessage =
  | { type: 'subarray'; subarray: SubarrayDescription }
  | { type: 'events'; events: RawArrayEvent[]; bytes: number }
  /** error: why the feeder stopped early (e.g. the record worker fell too far behind) */
  | { type: 'end'; offered: number; error?: string };

export type RecordFeedReply = { type: 'ack'; bytes: number } | { type: 'end-request' };

/** image + peak-time bytes of an event (what the bounded-memory rule counts) */
/** A copy of an event for the recorder: each image and its peak time in one buffer of their own. */
export function copyRawEvent(e: RawArrayEvent): RawArrayEvent {
  return {
    obsId: e.obsId,
    eventId: e.eventId,
    time: e.time,
    images: e.images.map((i) => {
      const n = i.image.length;
      const both = new Float32Array(n + i.peakTime.length);
      both.set(i.image);
      both.set(i.peakTime, n);
      return { telId: i.telId, image: both.subarray(0, n), peakTime: both.subarray(n) };
    }),
  };
}

export function eventBytes(e: RawArrayEvent): number {
  let n = 0;
  for (const i of e.images) n += i.image.byteLength + i.peakTime.byteLength;
  return n;
}
