import { describe, expect, test } from 'vitest';
import { runLiveSimulate } from '../../../../src-worker/live/live-tasks.js';
import { unpackLiveEvents } from '../../../../src-worker/live/live-batch-codec.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';

describe('live simulation task in the worker', () => {
  test('every image is cleaned and parameterised; bright images recover the true ellipse in the camera frame', () => {
    const { result, transfer } = runLiveSimulate({ kind: 'live-simulate', count: 40, seed: 99, subarray: defaultSubarray });
    const events = unpackLiveEvents(result.events);
    expect(events).toHaveLength(40);
    let bright = 0;
    for (const event of events) {
      for (const img of event.images) {
        expect(img.mask).toHaveLength(img.image.length);
        let masked = 0;
        for (const m of img.mask) masked += m;
        expect(img.params.nPixels).toBe(masked);
        if (masked === 0) {
          expect(img.params.ok).toBe(false);
          expect(img.cameraHillas).toBeUndefined();
        }
        const h = img.cameraHillas;
        const truth = img.trueEllipse!;
        // a bright, well-contained, elongated image: centroid and orientation follow the light distribution
        const r = Math.hypot(truth.x, truth.y);
        if (h && h.intensity > 1000 && r < 0.6 && truth.length / truth.width > 2) {
          bright++;
          expect(Math.hypot(h.x - truth.x, h.y - truth.y)).toBeLessThan(0.5 * truth.length + 0.02);
          const dpsi = Math.abs(((((h.psi - truth.psi + 90) % 180) + 180) % 180) - 90);
          expect(dpsi).toBeLessThan(12);
        }
      }
    }
    expect(bright).toBeGreaterThan(3);
    // images, peak times and masks (and the batch's pixel sums) are handed over as transferables,
    // the images in a few shared slabs rather than one buffer each
    const moved = new Set(transfer);
    const imageBuffers = new Set<ArrayBufferLike>();
    for (const e of events) for (const i of e.images) for (const a of [i.image, i.peakTime, i.mask]) imageBuffers.add(a.buffer);
    for (const b of imageBuffers) expect(moved.has(b as ArrayBuffer)).toBe(true);
    for (const s of result.pixelSums) for (const a of [s.sum, s.sumSq, s.survived]) expect(moved.has(a.buffer as ArrayBuffer)).toBe(true);
    const nImages = events.reduce((s, e) => s + e.images.length, 0);
    expect(imageBuffers.size).toBeLessThan(nImages / 4);
    // plus the three arrays of packed numbers
    expect(transfer.length).toBe(imageBuffers.size + 3 + 3 * result.pixelSums.length);
  });
});
