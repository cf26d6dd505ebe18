import { describe, expect, test } from 'vitest';
import { builtInLayouts, defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import { ctaSouthLikeSubarray } from '../../../../src-worker/instrument/cta-south-like-subarray.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { ArraySimulation, coreOptionsFor } from '../../../../src-worker/simulation/array-simulation.js';

describe('the CTA-South-like built-in layout', () => {
  const tels = ctaSouthLikeSubarray.telescopes;

  test('is a built-in layout of 55 telescopes (4 LST, 14 MST, 37 SST) with unique ids and positions', () => {
    expect(builtInLayouts['cta-south']).toBe(ctaSouthLikeSubarray);
    expect(tels).toHaveLength(55);
    expect(new Set(tels.map((t) => t.telId)).size).toBe(55);
    expect(new Set(tels.map((t) => `${t.position[0]},${t.position[1]}`)).size).toBe(55);
    const count = (camera: string) => tels.filter((t) => t.camera === camera).length;
    expect([count('LSTCam'), count('FlashCam'), count('CHEC')]).toEqual([4, 14, 37]);
  });

  test('its cameras are geometries Lightpool ships', () => {
    for (const camera of new Set(tels.map((t) => t.camera))) expect(loadCameraGeometry(camera).nPixels).toBeGreaterThan(1000);
  });

  test('cores are thrown over the whole array; the default array keeps the 300 m disc', () => {
    expect(coreOptionsFor(defaultSubarray.telescopes).coreRadius).toBe(300);
    const farthest = Math.max(...tels.map((t) => Math.hypot(t.position[0], t.position[1])));
    expect(coreOptionsFor(tels).coreRadius).toBeGreaterThanOrEqual(farthest + 100);
  });

  test('the simulation triggers events on it, each seen by a subset of the array', () => {
    const geometries = new Map([...new Set(tels.map((t) => t.camera))].map((n) => [n, loadCameraGeometry(n)]));
    const sim = new ArraySimulation(tels, geometries, ctaSouthLikeSubarray.pointing, 5);
    const sizes: number[] = [];
    for (let k = 0; k < 20; k++) {
      const e = sim.nextTriggeredEvent();
      expect(e.telescopes.length).toBeGreaterThanOrEqual(2);
      sizes.push(e.telescopes.length);
    }
    expect(Math.max(...sizes)).toBeLessThan(55);
  });
});
