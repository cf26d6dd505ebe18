/**
 * Messages between a Compton-imaging client (the backend, the CLI) and the
 * MLEM worker thread (mlem-worker.ts). One worker holds one loaded system
 * matrix and its reconstruction, so a view can run iterations, look at the
 * image after each, stop and continue, or start again from the
 * backprojection. Stop is a shared flag (the worker iterates without
 * returning to its message loop); images travel as transferred
 * Float64Arrays.
 */

export interface MlemLoadRequest {
  type: 'load';
  file: string;
  /** dense dataset or CSR group; default /sysmat */
  dataset?: string;
  /** [polar, azimuth] bins when the file has no image_shape attribute */
  imageShape?: [number, number];
  /** dataset of per-pixel sensitivities in the same file */
  sensitivity?: string;
  /** 'js' forces the plain-JS loops (tests, comparisons) */
  engine?: 'auto' | 'js';
}

export interface MlemRunRequest {
  type: 'run';
  /** iterations to run now (they add to those done) */
  iterations: number;
  /** post the image every n iterations (and after the last); default 1 */
  emitEvery?: number;
  /** also post it when this many seconds passed since the last one; default never */
  emitSeconds?: number;
}

export interface MlemResetRequest {
  type: 'reset';
}

export type MlemRequest = MlemLoadRequest | MlemRunRequest | MlemResetRequest;

export interface MlemLoaded {
  type: 'loaded';
  file: string;
  dataset: string;
  format: 'dense' | 'csr';
  dtype: string;
  nCones: number;
  nPixels: number;
  /** non-zero entries of the matrix and the runs it became */
  nnz: number;
  nRuns: number;
  imageShape: [number, number];
  shapeFrom: 'attribute' | 'user' | 'default';
  axes?: string;
  engine: 'wasm-simd' | 'js';
  hasSensitivity: boolean;
  /** sysmat.sum(axis=0), polar × azimuth row-major */
  backprojection: Float64Array;
  seconds: number;
}

export interface MlemIteration {
  type: 'iteration';
  /** iterations done since the backprojection */
  iteration: number;
  image: Float64Array;
  /** cones whose projection was 0 in this iteration */
  emptyCones: number;
  /** seconds of the iterations since the previous message */
  seconds: number;
}

export interface MlemDone {
  type: 'done';
  iteration: number;
  /** true when a stop ended the run early */
  stopped: boolean;
  /** iterations per second over this run */
  rate: number;
}

export interface MlemReset {
  type: 'reset';
  iteration: 0;
}

export interface MlemFailure {
  type: 'error';
  message: string;
  code?: string;
}

export type MlemReply = MlemLoaded | MlemIteration | MlemDone | MlemReset | MlemFailure;

/** workerData of the MLEM worker: the stop flag (Int32Array(1) over it). */
export interface MlemWorkerData {
  stop: SharedArrayBuffer;
}
