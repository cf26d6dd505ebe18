/**
 * Entry point of the fit worker (a piscina pool of its own, so a fit never
 * waits behind the reconstruction queue and never blocks the main thread).
 */
import { runFitTask, type FitTask, type FitTaskResult } from '../fit/fit-task.js';

export default function runFit(task: FitTask): FitTaskResult {
  return runFitTask(task);
}
