/**
 * The tasks the worker pool runs, as typed messages. The main process sends a
 * task and receives its result; typed arrays in results are transferred.
 */
import type { CameraGeometry } from '../containers/camera-geometry.js';
import type { ReconstructImagesResult, ReconstructImagesTask } from '../image/image-batch.js';
import type { ProcessChunksResult, ProcessChunksTask } from '../io/dl1/process-chunks.js';
import type { LiveBatchResult, LiveProcessTask, LiveSimulateTask } from '../live/live-types.js';
import type { ShapeSignalsResult, ShapeSignalsTask, SignalTracesResult, SignalTracesTask } from '../lab/spectroscopy/shape-signals-task.js';
import type { StackImageResult, StackImageTask } from '../lab/image-stack/stack-image-task.js';
import type { SpectrumTask, SpectrumTaskResult } from '../lab/spectroscopy/spectrum-task.js';
import type { ImageChannelsResult, ImageChannelsTask } from '../lab/image-stack/image-channels-task.js';
import type { SimtelDl1Result, SimtelDl1Task } from '../io/simtel/simtel-dl1-batch.js';

export type { ReconstructImagesResult, ReconstructImagesTask } from '../image/image-batch.js';
export type { ProcessChunksResult, ProcessChunksTask } from '../io/dl1/process-chunks.js';
export type { SimtelDl1Result, SimtelDl1Task } from '../io/simtel/simtel-dl1-batch.js';

/** Loads a shipped camera geometry (JSON parsing kept off the main thread). */
export interface GeometryTask {
  kind: 'geometry';
  camera: string;
}

export interface GeometryResult {
  kind: 'geometry';
  geometry: CameraGeometry;
}

export type PoolTask =
  | GeometryTask
  | ReconstructImagesTask
  | ProcessChunksTask
  | SimtelDl1Task
  | LiveSimulateTask
  | LiveProcessTask
  | ShapeSignalsTask
  | SignalTracesTask
  | StackImageTask
  | SpectrumTask
  | ImageChannelsTask;
export type PoolResult =
  | GeometryResult
  | ReconstructImagesResult
  | ProcessChunksResult
  | SimtelDl1Result
  | LiveBatchResult
  | ShapeSignalsResult
  | SignalTracesResult
  | StackImageResult
  | SpectrumTaskResult
  | ImageChannelsResult;
