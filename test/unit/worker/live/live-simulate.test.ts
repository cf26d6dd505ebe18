import { describe, expect, test } from 'vitest';
import { runLiveSimulate } from '../../../../src-worker/live/live-tasks.js';
import { defaultSubarray } from '../../../../src-worker/simulation/default-subarray.js';

describe('live simulation task in the worker', () => {
  test('every image is cleaned and parameterised; bright images recover the true ellipse in the camera frame', () => {
    const { result, transfer } = runLiveSimulate({ kind: 'live-simulate', count: 40, seed: 99, subarray: defaultSubarray });
    expect(result.events).toHaveLength(40);
    let bright = 0;
    for (const event of result.events) {
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
          const dpsi = Math.abs(((h.psi - truth.psi + 90) % 180 + 180) % 180 - 90);
          expect(dpsi).toBeLessThan(12);
        }
      }
    }
    expect(bright).toBeGreaterThan(3);
    // images, peak times and masks (and the batch's pixel sums) are handed over as transferables
    const nImages = result.events.reduce((s, e) => s + e.images.length, 0);
    expect(transfer.length).toBe(3 * nImages + 3 * result.pixelSums.length);
  });
});
