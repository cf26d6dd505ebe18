/**
 * Worker thread that writes a live recording (rotating-recorder.ts), so disk
 * writes never block the backend's main thread. Messages in: start, events
 * (from the main thread), feeder (a record feed's port: a thread that sends
 * its events here directly, see record-feed-protocol.ts), stop; out: status
 * (every 100 ms, and when stopped).
 *
 * Stopping asks every feeder for its last events and closes the files once
 * all have ended (or after 5 s, with an error naming the silent ones). A
 * feeder that ends with an error (its bound on unwritten bytes was reached)
 * stops the recording with that error; the files keep what was written.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { RotatingRecorder, type RotatingRecorderOptions } from '../io/dl1/rotating-recorder.js';
import type { RawArrayEvent } from '../live/live-types.js';
import type { RecordFeedMessage, RecordFeedReply } from '../live/record-feed-protocol.js';
import type { RotatingRecorderStatus } from '../io/dl1/recording-status.js';

export type RecordWorkerRequest =
  | { type: 'start'; options: RotatingRecorderOptions }
  | { type: 'events'; events: RawArrayEvent[]; bytes: number }
  | { type: 'feeder'; port: MessagePort }
  | { type: 'stop' };

export interface RecordWorkerStatus {
  type: 'status';
  active: boolean;
  status: RotatingRecorderStatus;
  /** bytes of events from the main thread acknowledged (written or failed) so far */
  bytesAcknowledged: number;
  /** events that arrived through record feeds in this recording */
  feedEvents: number;
  stopped?: boolean;
}

const port = parentPort;
if (!port) throw new Error('record-worker must run as a worker thread');

/** how long stop waits for the feeders' last events, ms */
const FEEDER_END_TIMEOUT_MS = 5000;

let recorder: RotatingRecorder | undefined;
let acknowledged = 0;
let feedEvents = 0;
let lastStatus: RotatingRecorderStatus = { filesCompleted: [], filesCompletedCount: 0, eventsWritten: 0, imagesWritten: 0, bytesWritten: 0 };
let timer: NodeJS.Timeout | undefined;
const feeders = new Set<MessagePort>();
let stopping: { error?: string } | undefined;
let stopTimer: NodeJS.Timeout | undefined;

function report(stopped = false): void {
  const msg: RecordWorkerStatus = {
    type: 'status',
    active: !!recorder,
    status: recorder?.status ?? lastStatus,
    bytesAcknowledged: acknowledged,
    feedEvents,
    stopped,
  };
  port!.postMessage(msg);
}

function closeFeeders(): void {
  for (const p of feeders) p.close();
  feeders.clear();
}

function reset(): void {
  recorder = undefined;
  stopping = undefined;
  clearTimeout(stopTimer);
  stopTimer = undefined;
  clearInterval(timer);
  closeFeeders();
}

/** a write failed: the open file is dropped (complete files stay) */
function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (recorder) {
    recorder.abort();
    recorder.status.error = `recording stopped: ${message}`;
    lastStatus = recorder.status;
  } else {
    lastStatus = { ...lastStatus, error: `recording: ${message}` };
  }
  reset();
  report(true);
}

/** closes the last file and reports the end */
function finish(): void {
  const r = recorder;
  if (!r) return;
  const error = stopping?.error;
  try {
    r.stop();
  } catch (err) {
    fail(err);
    return;
  }
  if (error) r.status.error ??= error;
  lastStatus = r.status;
  reset();
  report(true);
}

function requestStop(error?: string): void {
  if (!recorder) return;
  stopping ??= {};
  if (error) stopping.error ??= error;
  for (const p of feeders) p.postMessage({ type: 'end-request' } satisfies RecordFeedReply);
  stopTimer ??= setTimeout(() => {
    stopping!.error ??= `recording stopped without the last events of ${feeders.size} DAQ reading thread(s) that did not answer within ${FEEDER_END_TIMEOUT_MS / 1000} s`;
    finish();
  }, FEEDER_END_TIMEOUT_MS);
  if (feeders.size === 0) finish();
}

function addFeeder(p: MessagePort): void {
  if (!recorder) {
    p.close();
    return;
  }
  feeders.add(p);
  let arrived = 0;
  p.on('message', (m: RecordFeedMessage) => {
    try {
      if (m.type === 'subarray') {
        recorder?.setSubarray(m.subarray);
        if (recorder?.refused) requestStop(`recording stopped: ${recorder.refused}`);
      } else if (m.type === 'events') {
        arrived += m.events.length;
        feedEvents += m.events.length;
        if (!recorder) throw new Error(`${m.events.length} events arrived after the recording ended`);
        recorder.append(m.events);
        p.postMessage({ type: 'ack', bytes: m.bytes } satisfies RecordFeedReply);
      } else if (m.type === 'end') {
        feeders.delete(p);
        p.close();
        if (m.offered !== arrived) requestStop(`recording incomplete: a DAQ reading thread offered ${m.offered} events, ${arrived} arrived`);
        else if (m.error) requestStop(m.error);
        else if (stopping && feeders.size === 0) finish();
      }
    } catch (err) {
      fail(err);
    }
  });
  p.on('close', () => {
    if (!feeders.delete(p)) return; // ended properly, or closed here
    // its thread went away without ending the feed (it crashed or was terminated): what it held is lost
    if (!stopping)
      requestStop(
        `recording stopped: a DAQ reading thread went away without ending its record feed, after ${arrived} events; events it had not yet sent are missing`,
      );
    else if (feeders.size === 0) finish();
  });
  if (stopping) p.postMessage({ type: 'end-request' } satisfies RecordFeedReply);
}

port.on('message', (m: RecordWorkerRequest) => {
  try {
    if (m.type === 'start') {
      reset();
      recorder = new RotatingRecorder(m.options);
      acknowledged = 0;
      feedEvents = 0;
      timer = setInterval(() => {
        try {
          recorder?.tick();
          report();
        } catch (err) {
          fail(err);
        }
      }, 100);
      report();
    } else if (m.type === 'events') {
      acknowledged += m.bytes;
      if (!recorder) throw new Error(`${m.events.length} events arrived after the recording ended`);
      recorder.append(m.events);
    } else if (m.type === 'feeder') {
      addFeeder(m.port);
    } else if (m.type === 'stop') {
      if (recorder) requestStop();
      else report(true);
    }
  } catch (err) {
    fail(err);
  }
});
