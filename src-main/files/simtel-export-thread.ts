/**
 * Worker-thread entry (bundled to dist/worker/simtel-export-thread.js) that
 * writes selected events of a sim_telarray file to ctapipe's DL1 layout for
 * the app's Export dialog, with the code `lightpool export FILE.simtel.zst
 * --events ...` runs (runProcessSimtel: temporary name, renamed when
 * complete), so the backend's main thread only coordinates. The camera
 * frame's focal length is the one the app shows the file with: the
 * effective one when the file has it (ctapipe's default), else the
 * equivalent one. Messages: progress, then one `done`; a `cancel` message
 * from the parent stops it between events, nothing written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runProcessSimtel } from '../process/process-simtel.js';
import { loadProcessConfig, type FocalLengthChoice } from '../process/process-config.js';
import { ProcessCancelled, type ProcessProgress, type ProcessSummary } from '../process/run-process.js';
import { openSimtelFile } from '../../src-worker/io/simtel/index.js';

export interface SimtelExportJob {
  input: string;
  output: string;
  events: { obsId: number; eventId: number }[];
  writeWaveforms: boolean;
  overwrite: boolean;
  command: string;
}

export type SimtelExportMessage =
  | { type: 'progress'; progress: ProcessProgress }
  | { type: 'done'; ok: true; summary: ProcessSummary; focalLengthChoice: FocalLengthChoice }
  | { type: 'done'; ok: false; message: string; cancelled: boolean };

/** the focal length the app's reader uses for the file (SimtelReader: 'AUTO') */
function focalLengthOf(input: string): FocalLengthChoice {
  try {
    openSimtelFile(input, { index: 'lazy', focalLengthChoice: 'EFFECTIVE' }).close();
    return 'EFFECTIVE';
  } catch {
    return 'EQUIVALENT';
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('simtel-export-thread must run as a worker thread');
  const job = workerData as SimtelExportJob;
  const abort = new AbortController();
  port.on('message', (m: { type?: string }) => {
    if (m?.type === 'cancel') abort.abort();
  });
  const post = (m: SimtelExportMessage) => port.postMessage(m);
  try {
    const focalLengthChoice = focalLengthOf(job.input);
    const summary = await runProcessSimtel({
      input: job.input,
      output: job.output,
      settings: loadProcessConfig([], { focalLengthChoice }),
      events: job.events,
      writeWaveforms: job.writeWaveforms,
      overwrite: job.overwrite,
      command: job.command,
      signal: abort.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', ok: true, summary, focalLengthChoice });
  } catch (err) {
    const cancelled = err instanceof ProcessCancelled || abort.signal.aborted;
    post({ type: 'done', ok: false, message: err instanceof Error ? err.message : String(err), cancelled });
  } finally {
    port.close();
  }
}

void main();
