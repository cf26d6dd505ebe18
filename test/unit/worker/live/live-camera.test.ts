/**
 * Live image processing in the telescope frame: the camera-frame ellipse
 * derived for the overlays equals the Hillas parameters computed directly in
 * the camera frame for simulated images (cleaning and parameters run there), the
 * masks are the same, and the timing slope maps with the focal length.
 */
import { describe, expect, it } from 'vitest';
import { liveCamera } from '../../../../src-worker/live/live-camera.js';
import { createTailcutsWorkspace, tailcutsCleanInto } from '../../../../src-worker/image/tailcuts.js';
import { stage1Cleaning } from '../../../../src-worker/image/stage1-cleaning.js';
import { computeImageParameters, createImageParametersWorkspace, prepareImageGeometry } from '../../../../src-worker/image/image-parameters.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { ArraySimulation } from '../../../../src-worker/simulation/array-simulation.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import type { CameraGeometry } from '../../../../src-worker/containers/camera-geometry.js';

/** Stage-1 cleaning and image parameters computed in the camera frame (m, deg): the reference. */
function cameraFrameReference(geometry: CameraGeometry, image: Float32Array, peakTime: Float32Array) {
  const g = prepareImageGeometry(geometry, { frame: 'CameraFrame' });
  const tw = createTailcutsWorkspace(geometry.nPixels);
  const mask = new Uint8Array(geometry.nPixels);
  const n = tailcutsCleanInto(g.neighbors, image, stage1Cleaning(geometry.name), mask, tw);
  return { mask, parameters: computeImageParameters(g, image, peakTime, tw.selected, n, createImageParametersWorkspace(geometry.nPixels)) };
}

describe('LiveCamera', () => {
  it('telescope-frame parameters map back to the camera-frame Hillas ellipse', () => {
    const geoms = new Map<string, CameraGeometry>();
    for (const t of defaultSubarray.telescopes) if (!geoms.has(t.camera)) geoms.set(t.camera, loadCameraGeometry(t.camera));
    const sim = new ArraySimulation(defaultSubarray.telescopes, geoms, defaultSubarray.pointing, 5);
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      for (const t of sim.nextTriggeredEvent().telescopes) {
        const tel = defaultSubarray.telescopes.find((x) => x.telId === t.telId)!;
        const cam = cameraFrameReference(geoms.get(t.camera)!, t.image, t.peakTime);
        const live = liveCamera(t.camera, tel.focalLength).process(t.telId, t.image.slice(), t.peakTime.slice());
        expect(live.mask).toEqual(cam.mask);
        const h = cam.parameters.hillas;
        if (!live.params.ok) continue;
        const c = live.cameraHillas!;
        const tol = (v: number) => 1e-6 * Math.max(1, Math.abs(v));
        expect(Math.abs(c.x - h.x)).toBeLessThan(tol(h.x));
        expect(Math.abs(c.y - h.y)).toBeLessThan(tol(h.y));
        expect(Math.abs(c.length - h.length)).toBeLessThan(tol(h.length));
        expect(Math.abs(c.width - h.width)).toBeLessThan(tol(h.width));
        const dPsi = Math.abs(((((c.psi - h.psi + 90) % 180) + 180) % 180) - 90);
        expect(dPsi).toBeLessThan(1e-4);
        // timing: a weighted line fit in float32 peak times; compare where it is well determined
        if (Number.isFinite(cam.parameters.timing.slope) && Math.abs(c.psi - h.psi) < 1e-4 && live.params.nPixels >= 10) {
          const slope = cam.parameters.timing.slope;
          if (Math.abs(live.cameraTimingSlope! - slope) > 1e-3 * Math.max(1, Math.abs(slope))) {
            throw new Error(
              `timing slope ${live.cameraTimingSlope} vs ${slope} (n=${live.params.nPixels}, tel ${t.telId}, deviation ${cam.parameters.timing.deviation})`,
            );
          }
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
