/**
 * The tasks the worker pool runs, as typed messages. The main process sends a
 * task and receives its result; typed arrays in results are transferred.
 */
import type { SimulatedEvent } from './simulation/array-simulation.js';
import type { SimTelescope } from './simulation/default-subarray.js';
import type { CameraGeometry } from './geometry/camera-geometry.js';

export interface SimulateTask {
  kind: 'simulate';
  /** events to produce */
  count: number;
  seed: number;
  telescopes: SimTelescope[];
  pointing: { alt: number; az: number };
}

export interface SimulateResult {
  kind: 'simulate';
  events: SimulatedEvent[];
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

export type PoolTask = SimulateTask | GeometryTask;
export type PoolResult = SimulateResult | GeometryResult;
