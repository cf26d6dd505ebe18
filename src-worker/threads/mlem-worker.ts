/**
 * The MLEM worker thread: loads a system matrix from HDF5 (h5wasm in this
 * thread), builds the reconstruction and runs iterations on request,
 * posting the image as it goes (protocol: mlem-protocol.ts). Requests are
 * handled one at a time in order; a stop raised on the shared flag ends a
 * run after the current iteration.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { H5File } from '../io/hdf5/h5-file.js';
import { MlemReconstruction } from '../lab/compton/mlem.js';
import { readSystemMatrix } from '../lab/compton/system-matrix-input.js';
import type { MlemReply, MlemRequest, MlemWorkerData } from '../lab/compton/mlem-protocol.js';

const port = parentPort;
if (!port) throw new Error('mlem-worker must run as a worker thread');
const stop = new Int32Array((workerData as MlemWorkerData).stop);
let mlem: MlemReconstruction | null = null;

function post(m: MlemReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

async function handle(req: MlemRequest): Promise<void> {
  switch (req.type) {
    case 'load': {
      const t0 = performance.now();
      const f = await H5File.open(req.file);
      try {
        const dataset = req.dataset ?? '/sysmat';
        const src = readSystemMatrix(f, { path: dataset, imageShape: req.imageShape, sensitivity: req.sensitivity });
        mlem = new MlemReconstruction(src.matrix, src.sensitivity, req.engine ?? 'auto');
        const bp = mlem.backprojection.slice();
        post(
          {
            type: 'loaded',
            file: req.file,
            dataset,
            format: src.format,
            dtype: src.dtype,
            nCones: src.matrix.nCones,
            nPixels: src.matrix.nPixels,
            nnz: src.matrix.nnz,
            nRuns: src.matrix.nRuns,
            imageShape: src.imageShape,
            shapeFrom: src.shapeFrom,
            axes: src.axes,
            engine: mlem.engine,
            hasSensitivity: !!src.sensitivity,
            backprojection: bp,
            seconds: (performance.now() - t0) / 1000,
          },
          [bp.buffer],
        );
      } finally {
        f.close();
      }
      return;
    }
    case 'run': {
      if (!mlem) throw new Error('no system matrix loaded');
      if (!(Number.isInteger(req.iterations) && req.iterations >= 0)) throw new Error(`iterations must be a whole number ≥ 0, got ${req.iterations}`);
      const every = Math.max(1, Math.floor(req.emitEvery ?? 1));
      Atomics.store(stop, 0, 0);
      const t0 = performance.now();
      let tLast = t0;
      let done = 0;
      let stopped = false;
      for (let i = 0; i < req.iterations; i++) {
        if (Atomics.load(stop, 0) !== 0) {
          stopped = true;
          break;
        }
        mlem.iterate();
        done++;
        const now = performance.now();
        if (done % every === 0 || i === req.iterations - 1 || (req.emitSeconds !== undefined && now - tLast >= 1000 * req.emitSeconds)) {
          const image = mlem.image();
          post({ type: 'iteration', iteration: mlem.iteration, image, emptyCones: mlem.emptyCones, seconds: (now - tLast) / 1000 }, [image.buffer]);
          tLast = now;
        }
      }
      const s = (performance.now() - t0) / 1000;
      post({ type: 'done', iteration: mlem.iteration, stopped, rate: s > 0 ? done / s : 0 });
      return;
    }
    case 'reset': {
      if (!mlem) throw new Error('no system matrix loaded');
      mlem.reset();
      post({ type: 'reset', iteration: 0 });
      return;
    }
  }
}

let queue = Promise.resolve();
port.on('message', (req: MlemRequest) => {
  queue = queue.then(() =>
    handle(req).catch((err: unknown) => {
      const e = err as { message?: string; code?: string };
      post({ type: 'error', message: e?.message ?? String(err), code: e?.code });
    }),
  );
});
