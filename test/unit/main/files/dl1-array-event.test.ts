/**
 * The telescope-frame → camera-frame conversion of stored Hillas parameters
 * and timing slopes: Hillas and timing computed in the telescope frame (on
 * the geometry ctapipe's transform gives, src-worker/instrument/telescope-frame.ts)
 * and converted back equal those computed directly in the camera frame, for
 * several orientations, with and without a camera rotation.
 */
import { describe, expect, it } from 'vitest';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { cameraToTelescopeFrame } from '../../../../src-worker/instrument/telescope-frame.js';
import { hillasParameters } from '../../../../src-worker/image/hillas-parameters.js';
import { timingParameters } from '../../../../src-worker/image/timing-parameters.js';
import { storedHillas, telescopeToCameraHillas, showerGeometryOf } from '../../../../src-main/files/dl1-array-event.js';
import type { CameraGeometry } from '../../../../src-worker/containers/camera-geometry.js';

function parameters(g: CameraGeometry, image: Float64Array, time: Float64Array, sel: number[]) {
  const px = Float64Array.from(sel, (i) => g.pixX[i]);
  const py = Float64Array.from(sel, (i) => g.pixY[i]);
  const img = Float64Array.from(sel, (i) => image[i]);
  const h = hillasParameters(
    px,
    py,
    Float64Array.from(sel, (i) => g.pixArea[i]),
    img,
    sel.length,
  );
  const t = timingParameters(
    px,
    py,
    img,
    Float64Array.from(sel, (i) => time[i]),
    sel.length,
    h,
  );
  return { h, slope: t.slope };
}

describe('stored Hillas parameters in the camera frame', () => {
  const base = loadCameraGeometry('LSTCam');
  const f = 29.30565;
  for (const camRotation of [0, 10.893]) {
    for (const [cx, cy, angle] of [
      [0.3, 0.1, 25],
      [-0.4, 0.35, -70],
      [0.05, -0.5, 95],
      [0.2, 0.2, 178],
    ]) {
      it(`equal the camera-frame ones: centre (${cx}, ${cy}) m, axis ${angle}°, camera rotation ${camRotation}°`, () => {
        const g: CameraGeometry = { ...base, camRotation, focalLength: f };
        const a = (angle * Math.PI) / 180;
        const image = new Float64Array(g.nPixels);
        const time = new Float64Array(g.nPixels);
        const sel: number[] = [];
        for (let i = 0; i < g.nPixels; i++) {
          const dx = g.pixX[i] - cx,
            dy = g.pixY[i] - cy;
          const l = dx * Math.cos(a) + dy * Math.sin(a);
          const w = -dx * Math.sin(a) + dy * Math.cos(a);
          image[i] = 800 * Math.exp(-0.5 * ((l / 0.12) ** 2 + (w / 0.04) ** 2)) * (1 + 0.3 * Math.tanh(l / 0.1));
          time[i] = 20 + 35 * l; // ns, 35 ns/m along the axis direction `angle`
          if (image[i] > 5) sel.push(i);
        }
        const cam = parameters(g, image, time, sel);
        const tf = cameraToTelescopeFrame(g, f);
        const tel = parameters(tf, image, time, sel);
        const c = telescopeToCameraHillas(
          { intensity: tel.h.intensity, fovLon: tel.h.x, fovLat: tel.h.y, length: tel.h.length, width: tel.h.width, psi: tel.h.psi, timingSlope: tel.slope },
          f,
          camRotation,
        );
        expect(c.hillas.x).toBeCloseTo(cam.h.x, 9);
        expect(c.hillas.y).toBeCloseTo(cam.h.y, 9);
        expect(c.hillas.length / cam.h.length).toBeCloseTo(1, 6);
        expect(c.hillas.width / cam.h.width).toBeCloseTo(1, 6);
        expect(c.hillas.psi).toBeCloseTo(cam.h.psi, 6);
        expect(c.hillas.psi).toBeGreaterThan(-90);
        expect(c.hillas.psi).toBeLessThanOrEqual(90);
        // the slope along the converted axis has the camera frame's sign and size
        expect(c.timingSlope! / cam.slope).toBeCloseTo(1, 5);
      });
    }
  }

  it('says why there is no ellipse: NaN parameters, no parameters, no focal length', () => {
    expect(storedHillas(undefined, 28)).toEqual({ status: 'no parameters stored for this telescope event' });
    const nan = { hillas_intensity: 12, hillas_fov_lon: NaN, hillas_fov_lat: NaN, hillas_length: NaN, hillas_width: NaN, hillas_psi: NaN };
    expect(storedHillas(nan, 28)).toMatchObject({ status: expect.stringMatching(/NaN in the file/) });
    const ok = { hillas_intensity: 12, hillas_fov_lon: 0.1, hillas_fov_lat: 0.2, hillas_length: 0.1, hillas_width: 0.05, hillas_psi: 30 };
    expect(storedHillas(ok, NaN)).toMatchObject({ status: expect.stringMatching(/focal length/) });
    // files written in the camera frame are taken as they are
    const camFrame = { hillas_intensity: 12, hillas_x: 0.1, hillas_y: -0.2, hillas_length: 0.05, hillas_width: 0.01, hillas_psi: 12, timing_slope: 3 };
    expect(storedHillas(camFrame, 28)).toEqual({ hillas: { intensity: 12, x: 0.1, y: -0.2, length: 0.05, width: 0.01, psi: 12 }, timingSlope: 3 });
  });

  it('reads the stored reconstructor geometry with its telescope mask', () => {
    const rec = {
      HillasReconstructor_alt: 70.1,
      HillasReconstructor_az: 359.5,
      HillasReconstructor_core_x: -12,
      HillasReconstructor_core_y: 40,
      HillasReconstructor_h_max: 9800,
      HillasReconstructor_is_valid: true,
      HillasReconstructor_telescopes: [true, false, true],
    };
    expect(showerGeometryOf('HillasReconstructor', rec, [1, 2, 5])).toEqual({
      reconstructor: 'HillasReconstructor',
      isValid: true,
      alt: 70.1,
      az: 359.5,
      coreX: -12,
      coreY: 40,
      hMax: 9800,
      telIds: [1, 5],
    });
  });
});
