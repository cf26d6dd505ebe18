/**
 * Entry point of the reconstruction/simulation worker pool (piscina). The main
 * thread only coordinates: every CPU-heavy task runs here, and typed arrays
 * of the compute tasks come back copied (see `copied`).
 */
import { Piscina } from 'piscina';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PoolResult, PoolTask } from './pool-tasks.js';
import { loadCameraGeometry } from '../io/assets/load-camera-geometry.js';
import { runReconstructImages } from '../image/image-batch.js';
import { runProcessChunks } from '../io/dl1/process-chunks.js';
import { runLiveProcess, runLiveSimulate } from '../live/live-tasks.js';
import { runSimtelDl1Batch, startSimtelReader, type SimtelReaderData } from '../io/simtel/simtel-dl1-batch.js';

/**
 * The same script, started as a plain worker thread with
 * `workerData.lightpoolSimtelReader`, is the sim_telarray reader thread of
 * `lightpool process` (simtel-dl1-batch.ts): one bundle for both, so that
 * wherever the pool's worker is, the reader is too.
 */
const readerData = (workerData as { lightpoolSimtelReader?: SimtelReaderData } | null | undefined)?.lightpoolSimtelReader;
if (!isMainThread && parentPort && readerData) startSimtelReader(parentPort, readerData);

/**
 * The lab tasks (src-worker/threads/lab-tasks.ts) load h5wasm and the image
 * decoders: a bundle of their own beside this one, imported on the first
 * lab task, so the workers of the live pipeline do not pay for them.
 */
type LabTasks = typeof import('./lab-tasks.js');
let labTasks: Promise<LabTasks> | undefined;
function lab(): Promise<LabTasks> {
  // a computed specifier: esbuild leaves the import to run time instead of inlining it
  const url = new URL('./lab-tasks.js', import.meta.url).href;
  labTasks ??= import(url) as Promise<LabTasks>;
  return labTasks;
}

/**
 * The results of the compute tasks go back as copies (structured clone), not
 * transferred. Transferring detaches this thread's ArrayBuffers, and V8
 * answers the first detach in an isolate by dropping an assumption for the
 * life of the thread (its "array buffer detaching" protector): from then on
 * every typed-array loop here checks for detached buffers. Measured with
 * `npm run bench reconstruction`'s pool path: SCTCam cleaning + all
 * parameters ran ~15 % slower in a worker that had transferred its results
 * (and a plain loop over a Float32Array 1.7× slower after one detach).
 * Copying the few kilobytes of masks and parameters costs far less.
 */
function copied(result: PoolResult): PoolResult {
  return result;
}

/**
 * Wraps a result so piscina transfers all of its buffers instead of copying
 * them: for the tasks whose results are megabytes, and the lab tasks, whose
 * h5wasm and image decoders grow their WebAssembly memory (which detaches
 * the old buffer) anyway.
 */
function movable(result: PoolResult, transfer: ArrayBuffer[]): PoolResult {
  const wrapper = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: result };
  return Piscina.move(wrapper as never) as unknown as PoolResult;
}

export default function runTask(task: PoolTask): PoolResult | Promise<PoolResult> {
  switch (task.kind) {
    case 'geometry': {
      // copied back (structured clone): the cached geometry stays usable in this worker
      return copied({ kind: 'geometry', geometry: loadCameraGeometry(task.camera) });
    }
    case 'live-simulate': {
      // simulated array events, cleaned, parameterised (telescope frame) and stereo-reconstructed
      const { result, transfer } = runLiveSimulate(task);
      return movable(result, transfer);
    }
    case 'live-process': {
      // received raw images: cleaning, telescope-frame parameters, stereo
      const { result, transfer } = runLiveProcess(task);
      return movable(result, transfer);
    }
    case 'reconstruct-images': {
      // cleaning + image parameters of a batch of images; cleaned pixels and packed parameters back
      // copied back when the reply is posted, so the worker's result arrays serve the next batch
      return copied(runReconstructImages(task, { reuseBuffers: true }).result);
    }
    case 'process-chunks': {
      // whole stored chunks of an image table: decoded, cleaned, parameterised, re-encoded with the new masks
      // transferred: its results are the re-encoded chunks (megabytes), and copying them raised the
      // peak RSS of `npm run bench process` from ~375 to 408 MB; its Blosc decoder grows its
      // WebAssembly memory, which detaches a buffer here anyway
      const { result, transfer } = runProcessChunks(task);
      return movable(result, transfer);
    }
    case 'simtel-dl1': {
      // a batch of sim_telarray events: R0 → DL1 → cleaning → parameters; results and the given samples back
      // transferred: the events' samples (megabytes) go back with the results
      const { result, transfer } = runSimtelDl1Batch(task);
      return movable(result, transfer);
    }
    case 'lab-shape-signals':
      // a batch of signals read from its HDF5 file here, shaped, amplitudes back
      return lab()
        .then((m) => m.runShapeSignals(task))
        .then(({ result, transfer }) => movable(result, transfer));
    case 'lab-signal-traces':
      return lab()
        .then((m) => m.runSignalTraces(task))
        .then(({ result, transfer }) => movable(result, transfer));
    case 'lab-stack-image':
      // one PNG/TIFF decoded, windowed and cropped
      return lab()
        .then((m) => m.runStackImage(task))
        .then(({ result, transfer }) => movable(result, transfer));
    case 'lab-spectrum':
      // a spectrum view's analysis: histogram, peaks, photopeak fits, calibration
      return lab()
        .then((m) => m.runSpectrumTask(task))
        .then(({ result, transfer }) => movable(result, transfer));
    case 'lab-image-channels':
      // one image decoded, each channel with its histogram
      return lab()
        .then((m) => m.runImageChannels(task))
        .then(({ result, transfer }) => movable(result, transfer));
    default: {
      const unknown: never = task;
      throw new Error(`unknown pool task ${JSON.stringify(unknown)}`);
    }
  }
}
