/**
 * The live pipeline's worker-pool tasks: simulate-and-process a batch of
 * array events, or process a batch of received raw images. Both return the
 * same LiveBatchResult; image, peak-time and mask buffers are transferred.
 */
import { loadCameraGeometry } from '../geometry/load-camera-geometry.js';
import type { CameraGeometry } from '../geometry/camera-geometry.js';
import { ArraySimulation } from '../simulation/array-simulation.js';
import { liveCamera, type LiveCamera } from './live-camera.js';
import { liveStereo } from './live-stereo.js';
import type { LiveBatchResult, LiveImage, LiveProcessedEvent, LiveProcessTask, LiveSimulateTask, PixelSums } from './live-types.js';

function transferOf(events: LiveProcessedEvent[], sums: PixelSums[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const e of events) for (const i of e.images) out.add(i.image.buffer as ArrayBuffer).add(i.peakTime.buffer as ArrayBuffer).add(i.mask.buffer as ArrayBuffer);
  for (const s of sums) out.add(s.sum.buffer as ArrayBuffer).add(s.sumSq.buffer as ArrayBuffer).add(s.survived.buffer as ArrayBuffer);
  return [...out];
}

/** Pixel-map sums per telescope over a batch (so the backend merges one array per telescope, not one per image). */
export function pixelSumsOf(events: LiveProcessedEvent[]): PixelSums[] {
  const byTel = new Map<number, PixelSums>();
  for (const e of events) {
    for (const img of e.images) {
      const n = img.image.length;
      let s = byTel.get(img.telId);
      if (!s || s.sum.length !== n) {
        s = { telId: img.telId, camera: img.camera, images: 0, sum: new Float64Array(n), sumSq: new Float64Array(n), survived: new Uint32Array(n) };
        byTel.set(img.telId, s);
      }
      s.images++;
      const { sum, sumSq, survived } = s;
      const image = img.image;
      const mask = img.mask;
      for (let i = 0; i < n; i++) {
        const v = image[i];
        sum[i] += v;
        sumSq[i] += v * v;
        survived[i] += mask[i];
      }
    }
  }
  return [...byTel.values()];
}

function batch(events: LiveProcessedEvent[], rejected: LiveBatchResult['rejected'], start: number): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const pixelSums = pixelSumsOf(events);
  return { result: { kind: 'live-batch', events, pixelSums, rejected, elapsedMs: performance.now() - start }, transfer: transferOf(events, pixelSums) };
}

/** A fresh simulation per batch (seeded by the task); event ids restart at 1 and are renumbered by the source. */
export function runLiveSimulate(task: LiveSimulateTask): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const { subarray } = task;
  const geometries = new Map<string, CameraGeometry>();
  for (const t of subarray.telescopes) if (!geometries.has(t.camera)) geometries.set(t.camera, loadCameraGeometry(t.camera));
  const sim = new ArraySimulation(subarray.telescopes, geometries, subarray.pointing, task.seed);
  const events: LiveProcessedEvent[] = [];
  for (let i = 0; i < task.count; i++) {
    const s = sim.nextTriggeredEvent();
    const cams: LiveCamera[] = [];
    const images: LiveImage[] = s.telescopes.map((t) => {
      const tel = subarray.telescopes.find((x) => x.telId === t.telId)!;
      const cam = liveCamera(t.camera, tel.focalLength);
      cams.push(cam);
      const img = cam.process(t.telId, t.image, t.peakTime);
      img.trueEllipse = t.truth;
      return img;
    });
    events.push({
      obsId: 1,
      eventId: s.eventId,
      time: 0,
      images,
      stereo: liveStereo(subarray, images, cams),
      trueShower: { energy: s.energy, alt: s.alt, az: s.az, coreX: s.coreX, coreY: s.coreY },
    });
  }
  return batch(events, [], start);
}

export function runLiveProcess(task: LiveProcessTask): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const { subarray } = task;
  const byTel = new Map(subarray.telescopes.map((t) => [t.telId, t]));
  const events: LiveProcessedEvent[] = [];
  const rejected: LiveBatchResult['rejected'] = [];
  outer: for (const e of task.events) {
    const cams: LiveCamera[] = [];
    const images: LiveImage[] = [];
    for (const raw of e.images) {
      const tel = byTel.get(raw.telId);
      if (!tel) {
        rejected.push({ eventId: e.eventId, reason: 'unknown-telescope', message: `telescope ${raw.telId} is not in the subarray "${subarray.name}"` });
        continue outer;
      }
      const cam = liveCamera(tel.camera, tel.focalLength);
      if (raw.image.length !== cam.nPixels || raw.peakTime.length !== cam.nPixels) {
        rejected.push({ eventId: e.eventId, reason: 'bad-frame', message: `telescope ${raw.telId} sent ${raw.image.length} pixels, its camera ${tel.camera} has ${cam.nPixels}` });
        continue outer;
      }
      cams.push(cam);
      images.push(cam.process(raw.telId, raw.image, raw.peakTime));
    }
    events.push({ obsId: e.obsId, eventId: e.eventId, time: e.time, images, stereo: liveStereo(subarray, images, cams) });
  }
  return batch(events, rejected, start);
}
