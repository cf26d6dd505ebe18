/** Runs a simulation task inside a worker: a batch of triggered array events. */
import { loadCameraGeometry } from '../geometry/load-camera-geometry.js';
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import type { SimulateResult, SimulateTask } from '../tasks.js';
import { ArraySimulation } from './array-simulation.js';

export function runSimulateTask(task: SimulateTask): { result: SimulateResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const geometries = new Map<string, CameraGeometry>();
  for (const tel of task.telescopes) {
    if (!geometries.has(tel.camera)) geometries.set(tel.camera, loadCameraGeometry(tel.camera));
  }
  const sim = new ArraySimulation(task.telescopes, geometries, task.pointing, task.seed);
  const events = [];
  const transfer: ArrayBuffer[] = [];
  for (let i = 0; i < task.count; i++) {
    const event = sim.nextTriggeredEvent();
    for (const t of event.telescopes) transfer.push(t.image.buffer as ArrayBuffer, t.peakTime.buffer as ArrayBuffer);
    events.push(event);
  }
  return { result: { kind: 'simulate', events, elapsedMs: performance.now() - start }, transfer };
}
