/**
 * Entry point of the HDF5 worker thread (bundled to dist/worker/hdf5-worker.js).
 * One stateful reader per set of open files: it validates each request,
 * runs it, and posts back the result with its typed arrays transferred, an
 * error naming the file and the problem, or progress reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Hdf5Error, type Hdf5ErrorJson } from '../io/hdf5/h5-errors.js';
import { collectTransferables, requestSchema, type Hdf5Reply, type Hdf5RequestType } from '../io/service/hdf5-protocol.js';
import { handleRequest, WorkerState } from '../io/service/hdf5-handlers.js';
import { ExportCancelled } from '../io/export/export-types.js';

/** Results that hold only freshly made arrays, safe to transfer (others are copied). */
const TRANSFER: ReadonlySet<Hdf5RequestType> = new Set([
  'readSlice',
  'readTableRows',
  'dl1Event',
  'watchmalEvent',
  'waveforms',
  'waveformSums',
  'simtelParameters',
]);

/** A trap or abort inside the wasm HDF5 library leaves its state unusable. */
function isFatal(err: unknown): boolean {
  if (err instanceof WebAssembly.RuntimeError) return true;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return /RuntimeError|Aborted\(|unreachable|memory access out of bounds/.test(text);
}

function errorJson(err: unknown, file?: string): Hdf5ErrorJson {
  if (isFatal(err)) {
    const what = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { code: 'corrupt', message: `${file ?? 'the file'}: the HDF5 library failed on damaged data (${what.slice(0, 200)})`, file, fatal: true };
  }
  if (err instanceof Hdf5Error) return err.toJSON();
  if (err instanceof ExportCancelled) return { code: 'cancelled', message: 'export cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message.split('\n')[0].slice(0, 500) };
}

if (!parentPort) throw new Error('hdf5-worker must run as a worker thread');
const port = parentPort;
const state = new WorkerState(Boolean((workerData as { debug?: boolean } | null)?.debug));

// Requests run one after the other, in arrival order (an open finishes before the reads that follow it).
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: { id: number; request: unknown }) => {
  queue = queue.then(() => handle(msg));
});

async function handle(msg: { id: number; request: unknown }): Promise<void> {
  const id = msg?.id;
  const post = (reply: Hdf5Reply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  const parsed = requestSchema.safeParse(msg?.request);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
    post({ id, ok: false, error: { code: 'bad-request', message: `invalid request: ${issues.join('; ')}` } });
    return;
  }
  const req = parsed.data;
  try {
    const result = await handleRequest(req, state, (progress) => post({ id, progress }));
    post({ id, ok: true, result }, TRANSFER.has(req.type) ? collectTransferables(result) : []);
  } catch (err) {
    const file =
      req.type === 'open' ? req.path : req.type === 'export' ? req.input : 'fileId' in req && req.fileId ? state.sessions.get(req.fileId)?.path : undefined;
    post({ id, ok: false, error: errorJson(err, file) });
  }
}
