/**
 * The live pipeline's worker-pool tasks: simulate-and-process a batch of
 * array events, or process a batch of received raw images. Both return the
 * same LiveBatchResult: the events packed (live-batch-codec.ts), their
 * pixel arrays in a few slabs, all buffers transferred.
 */
import { loadCameraGeometry } from '../io/assets/load-camera-geometry.js';
import type { CameraGeometry } from '../containers/camera-geometry.js';
import { ArraySimulation } from '../simulation/array-simulation.js';
import { liveCamera, type LiveCamera } from './live-camera.js';
import { liveStereo } from './live-stereo.js';
import type { LiveBatchResult, LiveImage, LiveProcessedEvent, LiveProcessTask, LiveSimulateTask } from './live-types.js';
import { packLiveEvents } from './live-batch-codec.js';
import { BatchSlab, recycleSlabChunks } from './batch-slab.js';
import { PixelSumsAccumulator } from './pixel-sums.js';
import type { ImageProcessingConfig } from '../image/image-processor.js';
import { LIVE_IMAGE_PROCESSING } from './live-image-processing.js';

export { pixelSumsOf } from './pixel-sums.js';

function batch(
  events: LiveProcessedEvent[],
  sums: PixelSumsAccumulator,
  slab: BatchSlab,
  rejected: LiveBatchResult['rejected'],
  start: number,
): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const pixelSums = sums.result();
  const { packed, transfer } = packLiveEvents(events);
  for (const s of pixelSums) transfer.push(s.sum.buffer as ArrayBuffer, s.sumSq.buffer as ArrayBuffer, s.survived.buffer as ArrayBuffer);
  // chunks without events (none so far) are not in the packed buffers: transfer them too
  for (const c of slab.buffers) if (!packed.buffers.includes(c)) transfer.push(c);
  return { result: { kind: 'live-batch', events: packed, slabChunks: slab.buffers, pixelSums, rejected, elapsedMs: performance.now() - start }, transfer };
}

/** cleans and parameterises one image, its mask from the batch's slab, and adds it to the batch's pixel sums */
function processImage(
  cam: LiveCamera,
  telId: number,
  image: Float32Array,
  peakTime: Float32Array,
  slab: BatchSlab,
  sums: PixelSumsAccumulator,
  config: ImageProcessingConfig,
): LiveImage {
  const img = cam.process(telId, image, peakTime, slab.u8(cam.nPixels), config);
  sums.add(telId, img.camera, image, cam.survivors, cam.nSurvivors);
  return img;
}

/** A fresh simulation per batch (seeded by the task); event ids restart at 1 and are renumbered by the source. */
export function runLiveSimulate(task: LiveSimulateTask): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  recycleSlabChunks(task.recycle);
  const { subarray } = task;
  const config = task.processing ?? LIVE_IMAGE_PROCESSING;
  const geometries = new Map<string, CameraGeometry>();
  for (const t of subarray.telescopes) if (!geometries.has(t.camera)) geometries.set(t.camera, loadCameraGeometry(t.camera));
  const sim = new ArraySimulation(subarray.telescopes, geometries, subarray.pointing, task.seed);
  // at most every telescope in every event: image and peak time (float32) and mask (bytes), 8-byte aligned
  let perEvent = 0;
  for (const t of subarray.telescopes) {
    const n = geometries.get(t.camera)!.nPixels;
    perEvent += 2 * ((4 * n + 7) & ~7) + ((n + 7) & ~7);
  }
  const slab = new BatchSlab(task.count * perEvent);
  const sums = new PixelSumsAccumulator();
  sim.allocate = (n) => ({ image: slab.f32(n), peakTime: slab.f32(n) });
  const events: LiveProcessedEvent[] = [];
  for (let i = 0; i < task.count; i++) {
    const s = sim.nextTriggeredEvent();
    const cams: LiveCamera[] = [];
    const images: LiveImage[] = s.telescopes.map((t) => {
      const tel = subarray.telescopes.find((x) => x.telId === t.telId)!;
      const cam = liveCamera(t.camera, tel.focalLength);
      cams.push(cam);
      const img = processImage(cam, t.telId, t.image, t.peakTime, slab, sums, config);
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
  return batch(events, sums, slab, [], start);
}

export function runLiveProcess(task: LiveProcessTask): { result: LiveBatchResult; transfer: ArrayBuffer[] } {
  const start = performance.now();
  const { subarray } = task;
  const config = task.processing ?? LIVE_IMAGE_PROCESSING;
  const byTel = new Map(subarray.telescopes.map((t) => [t.telId, t]));
  let maskBytes = 0;
  for (const e of task.events) for (const raw of e.images) maskBytes += (raw.image.length + 7) & ~7;
  const slab = new BatchSlab(maskBytes);
  const sums = new PixelSumsAccumulator();
  const events: LiveProcessedEvent[] = [];
  const rejected: LiveBatchResult['rejected'] = [];
  outer: for (const e of task.events) {
    // every image checked before any is processed: a rejected event adds nothing to the pixel maps
    const cams: LiveCamera[] = [];
    for (const raw of e.images) {
      const tel = byTel.get(raw.telId);
      if (!tel) {
        rejected.push({ eventId: e.eventId, reason: 'unknown-telescope', message: `telescope ${raw.telId} is not in the subarray "${subarray.name}"` });
        continue outer;
      }
      const cam = liveCamera(tel.camera, tel.focalLength, subarray.cameraGeometries?.[tel.camera]);
      if (raw.image.length !== cam.nPixels || raw.peakTime.length !== cam.nPixels) {
        rejected.push({
          eventId: e.eventId,
          reason: 'bad-frame',
          message: `telescope ${raw.telId} sent ${raw.image.length} pixels, its camera ${tel.camera} has ${cam.nPixels}`,
        });
        continue outer;
      }
      cams.push(cam);
    }
    const images = e.images.map((raw, k) => processImage(cams[k], raw.telId, raw.image, raw.peakTime, slab, sums, config));
    events.push({ obsId: e.obsId, eventId: e.eventId, time: e.time, images, stereo: liveStereo(subarray, images, cams) });
  }
  return batch(events, sums, slab, rejected, start);
}
