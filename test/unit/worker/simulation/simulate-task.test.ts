import { describe, expect, test } from 'vitest';
import { runSimulateTask } from '../../../../src-worker/simulation/simulate-task.js';
import { defaultSubarray } from '../../../../src-worker/simulation/default-subarray.js';

describe('simulation task in the worker', () => {
  test('every image is cleaned and parameterised; bright images recover the true ellipse', () => {
    const { result, transfer } = runSimulateTask({ kind: 'simulate', count: 40, seed: 99, telescopes: defaultSubarray.telescopes, pointing: defaultSubarray.pointing });
    expect(result.events).toHaveLength(40);
    let bright = 0;
    result.events.forEach((event, i) => {
      const recos = result.reconstructions[i];
      expect(recos).toHaveLength(event.telescopes.length);
      event.telescopes.forEach((tel, k) => {
        const reco = recos[k];
        expect(reco.mask).toHaveLength(tel.image.length);
        let masked = 0;
        for (const m of reco.mask) masked += m;
        expect(reco.nPixels).toBe(masked);
        if (masked === 0) expect(reco.status).toMatch(/HillasParameterizationError: size=0/);
        const h = reco.hillas;
        const truth = tel.truth;
        // a bright, well-contained, elongated image: centroid and orientation follow the light distribution
        const r = Math.hypot(truth.x, truth.y);
        if (h && h.intensity > 1000 && r < 0.6 && truth.length / truth.width > 2) {
          bright++;
          expect(Math.hypot(h.x - truth.x, h.y - truth.y)).toBeLessThan(0.5 * truth.length + 0.02);
          const dpsi = Math.abs(((h.psi - truth.psi + 90) % 180 + 180) % 180 - 90);
          expect(dpsi).toBeLessThan(12);
        }
      });
    });
    expect(bright).toBeGreaterThan(3);
    // images, peak times and masks are handed over as transferables
    const nImages = result.events.reduce((s, e) => s + e.telescopes.length, 0);
    expect(transfer).toHaveLength(3 * nImages);
  });
});
