/** Worker-thread entry for worker-thread.test.ts: opens a sim_telarray file and sends event 0's R0 waveform back as a transferable. */
import { parentPort, workerData } from 'node:worker_threads';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/index.js';

const f = openSimtelFile(workerData.path as string);
const ev = f.event(0);
const t = ev.tel[0];
const waveform = t.r0.waveform.slice();
parentPort?.postMessage({ nEvents: f.nEvents, eventId: ev.eventId, telId: t.telId, shape: [t.r0.nGains, t.r0.nPixels, t.r0.nSamples], waveform }, [
  waveform.buffer,
]);
f.close();
