/**
 * The packed transport of processed live events gives back exactly the
 * events that went in: every parameter, ellipse, stereo field, truth and
 * pixel value, with optional fields absent where they were absent.
 */
import { describe, expect, test } from 'vitest';
import { packLiveEvents, unpackLiveEvents } from '../../../../src-worker/live/live-batch-codec.js';
import type { LiveProcessedEvent } from '../../../../src-worker/live/live-types.js';
import { liveCamera } from '../../../../src-worker/live/live-camera.js';
import { liveStereo } from '../../../../src-worker/live/live-stereo.js';
import { ArraySimulation } from '../../../../src-worker/simulation/array-simulation.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';

function processedEvents(n: number): LiveProcessedEvent[] {
  const geoms = new Map(['LSTCam', 'NectarCam'].map((c) => [c, loadCameraGeometry(c)]));
  const sim = new ArraySimulation(defaultSubarray.telescopes, geoms, defaultSubarray.pointing, 5);
  const focal = new Map(defaultSubarray.telescopes.map((t) => [t.telId, t.focalLength]));
  return Array.from({ length: n }, (_, k) => {
    const s = sim.nextTriggeredEvent();
    const cams = s.telescopes.map((t) => liveCamera(t.camera, focal.get(t.telId)!));
    const images = s.telescopes.map((t, j) => {
      const img = cams[j].process(t.telId, t.image, t.peakTime);
      // truth on every other event only, so absent optional fields are exercised too
      if (k % 2 === 0) img.trueEllipse = t.truth;
      return img;
    });
    const e: LiveProcessedEvent = { obsId: 7, eventId: 1000 + k, time: 1.7e9 + k / 10, images, stereo: liveStereo(defaultSubarray, images, cams) };
    if (k % 2 === 0) e.trueShower = { energy: s.energy, alt: s.alt, az: s.az, coreX: s.coreX, coreY: s.coreY };
    return e;
  });
}

describe('packed live events', () => {
  test('round-trip every field and pixel', () => {
    const events = processedEvents(40);
    // some images without parameters (empty masks) and some events without valid stereo are in the sample
    expect(events.some((e) => e.images.some((i) => !i.params.ok))).toBe(true);
    expect(events.some((e) => e.stereo.isValid)).toBe(true);
    const { packed, transfer } = packLiveEvents(events);
    const back = unpackLiveEvents(structuredClone(packed, { transfer }));
    expect(back).toHaveLength(events.length);
    back.forEach((b, k) => {
      const e = events[k];
      expect(Object.keys(b).sort()).toEqual(Object.keys(e).sort());
      expect({ ...b, images: [] }).toEqual({ ...e, images: [] });
      b.images.forEach((bi, j) => {
        const ei = e.images[j];
        expect(bi.params).toEqual(ei.params);
        expect(bi.cameraHillas).toEqual(ei.cameraHillas);
        expect(bi.cameraTimingSlope).toEqual(ei.cameraTimingSlope);
        expect(bi.trueEllipse).toEqual(ei.trueEllipse);
        expect(bi.telId).toBe(ei.telId);
        expect(bi.camera).toBe(ei.camera);
      });
    });
    // the original arrays moved with the transfer; compare the pixels with a fresh run
    const again = processedEvents(40);
    back.forEach((b, k) =>
      b.images.forEach((bi, j) => {
        expect(bi.image).toEqual(again[k].images[j].image);
        expect(bi.peakTime).toEqual(again[k].images[j].peakTime);
        expect(bi.mask).toEqual(again[k].images[j].mask);
      }),
    );
  });
});
