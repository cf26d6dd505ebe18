/**
 * Worker thread that writes a live recording (rotating-recorder.ts), so disk
 * writes never block the backend's main thread. Messages in: start, events,
 * stop; out: status (every 100 ms, and when stopped).
 */
import { parentPort } from 'node:worker_threads';
import { RotatingRecorder, type RotatingRecorderOptions, type RotatingRecorderStatus } from './rotating-recorder.js';
import type { RawArrayEvent } from './live-types.js';

export type RecordWorkerRequest =
  | { type: 'start'; options: RotatingRecorderOptions }
  | { type: 'events'; events: RawArrayEvent[]; bytes: number }
  | { type: 'stop' };

export interface RecordWorkerStatus {
  type: 'status';
  active: boolean;
  status: RotatingRecorderStatus;
  /** bytes of events acknowledged (written or failed) so far */
  bytesAcknowledged: number;
  stopped?: boolean;
}

const port = parentPort;
if (!port) throw new Error('record-worker must run as a worker thread');

let recorder: RotatingRecorder | undefined;
let acknowledged = 0;
let lastStatus: RotatingRecorderStatus = { filesCompleted: [], eventsWritten: 0, imagesWritten: 0, bytesWritten: 0 };
let timer: NodeJS.Timeout | undefined;

function report(stopped = false): void {
  const msg: RecordWorkerStatus = { type: 'status', active: !!recorder, status: structuredClone(recorder?.status ?? lastStatus), bytesAcknowledged: acknowledged, stopped };
  port!.postMessage(msg);
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (recorder) {
    recorder.abort();
    recorder.status.error = `recording stopped: ${message}`;
    lastStatus = recorder.status;
  }
  recorder = undefined;
  clearInterval(timer);
  report(true);
}

port.on('message', (m: RecordWorkerRequest) => {
  try {
    if (m.type === 'start') {
      recorder = new RotatingRecorder(m.options);
      acknowledged = 0;
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
      recorder?.append(m.events);
    } else if (m.type === 'stop') {
      recorder?.stop();
      if (recorder) lastStatus = recorder.status;
      recorder = undefined;
      clearInterval(timer);
      report(true);
    }
  } catch (err) {
    fail(err);
  }
});
