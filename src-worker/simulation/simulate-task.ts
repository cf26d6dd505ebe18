/** Runs a simulation task inside a worker: a batch of triggered array events. */
import { loadCameraGeometry } from '../geometry/load-camera-geometry.js';
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import type { SimulateResult, SimulateTask } from '../tasks.js';
import { ArraySimulation } from './array-simulation.js';
import { cameraReconstructor } from '../reconstruction/camera-reconstructor.js';
import type { SimulatedImageReconstruction } from '../tasks.js';

export function runSimulateTask(task: SimulateTask): { result: SimulateResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const geometries = new Map<string, CameraGeometry>();
  for (const tel of task.telescopes) {
    if (!geometries.has(tel.camera)) geometries.set(tel.camera, loadCameraGeometry(tel.camera));
  }
  const sim = new ArraySimulation(task.telescopes, geometries, task.pointing, task.seed);
  const events = [];
  const reconstructions: SimulatedImageReconstruction[][] = [];
  const transfer: ArrayBuffer[] = [];
  for (let i = 0; i < task.count; i++) {
    const event = sim.nextTriggeredEvent();
    const recos: SimulatedImageReconstruction[] = [];
    for (const t of event.telescopes) {
      // every image is cleaned and parameterised as ctapipe's stage 1 would (camera frame)
      const { mask, parameters: p } = cameraReconstructor(geometries.get(t.camera)!).reconstruct(t.image, t.peakTime);
      const h = p.hillas;
      recos.push({
        mask,
        status: p.status,
        hillas: p.status === 'ok' || Number.isFinite(h.intensity)
          ? { intensity: h.intensity, x: h.x, y: h.y, length: h.length, width: h.width, psi: h.psi }
          : undefined,
        timingSlope: p.timing.slope,
        nPixels: p.morphology.nPixels,
      });
      transfer.push(t.image.buffer as ArrayBuffer, t.peakTime.buffer as ArrayBuffer, mask.buffer as ArrayBuffer);
    }
    events.push(event);
    reconstructions.push(recos);
  }
  return { result: { kind: 'simulate', events, reconstructions, elapsedMs: performance.now() - start }, transfer };
}
