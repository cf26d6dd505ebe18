/**
 * The tasks the worker pool runs, as typed messages. The main process sends a
 * task and receives its result; typed arrays in results are transferred.
 */
import type { SimulatedEvent } from './simulation/array-simulation.js';
import type { SimTelescope } from './simulation/default-subarray.js';
import type { CameraGeometry } from './geometry/camera-geometry.js';
import type { ReconstructImagesResult, ReconstructImagesTask } from './reconstruction/image-batch.js';
import type { LiveBatchResult, LiveProcessTask, LiveSimulateTask } from './live/live-types.js';

export type { ReconstructImagesResult, ReconstructImagesTask } from './reconstruction/image-batch.js';

export interface SimulateTask {
  kind: 'simulate';
  /** events to produce */
  count: number;
  seed: number;
  telescopes: SimTelescope[];
  pointing: { alt: number; az: number };
}

/** Cleaning (ctapipe stage-1 tailcuts) and camera-frame Hillas of one simulated image. */
export interface SimulatedImageReconstruction {
  mask: Uint8Array;
  /** "ok" or why there are no parameters (ctapipe's error text) */
  status: string;
  /** m, deg; absent when the mask is empty */
  hillas?: { intensity: number; x: number; y: number; length: number; width: number; psi: number };
  /** ns/m; NaN when not computable */
  timingSlope: number;
  /** pixels surviving cleaning */
  nPixels: number;
}

export interface SimulateResult {
  kind: 'simulate';
  events: SimulatedEvent[];
  /** per event, per telescope (same order as events[i].telescopes) */
  reconstructions: SimulatedImageReconstruction[][];
  /** worker time spent, ms */
  elapsedMs: number;
}

/** Loads a shipped camera geometry (JSON parsing kept off the main thread). */
export interface GeometryTask {
  kind: 'geometry';
  camera: string;
}

export interface GeometryResult {
  kind: 'geometry';
  geometry: CameraGeometry;
}

export type PoolTask = SimulateTask | GeometryTask | ReconstructImagesTask | LiveSimulateTask | LiveProcessTask;
export type PoolResult = SimulateResult | GeometryResult | ReconstructImagesResult | LiveBatchResult;
