import { describe, expect, it } from 'vitest';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { cameraToTelescopeFrame } from '../../../../src-worker/instrument/telescope-frame.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  imageParameterColumns,
  imageParametersRecord,
  passesImageQualityQuery,
  prepareImageGeometry,
  STATUS_SIZE_ZERO,
} from '../../../../src-worker/image/image-parameters.js';
import { createTailcutsWorkspace, tailcutsCleanInto } from '../../../../src-worker/image/tailcuts.js';

const lst = loadCameraGeometry('LSTCam');

describe('telescope frame geometry (ctapipe CameraGeometry.transform_to(TelescopeFrame()))', () => {
  it('fov_lon = y / f and fov_lat = x / f in degrees, areas scaled by (deg per m)^2', () => {
    const t = cameraToTelescopeFrame(lst, 28);
    const k = 180 / Math.PI / 28;
    for (const i of [0, 100, 1854]) {
      expect(t.pixX[i]).toBeCloseTo(lst.pixY[i] * k, 12);
      expect(t.pixY[i]).toBeCloseTo(lst.pixX[i] * k, 12);
      expect(t.pixArea[i] / lst.pixArea[i]).toBeCloseTo(k * k, 10);
    }
    expect(() => cameraToTelescopeFrame({ ...lst, focalLength: undefined })).toThrow(/focal length/);
  });
});

describe('computeImageParameters', () => {
  const geomCam = prepareImageGeometry(lst, { frame: 'CameraFrame' });
  const geomTel = prepareImageGeometry(lst, { frame: 'TelescopeFrame', focalLength: 28, neighbors: geomCam.neighbors });
  const ws = createImageParametersWorkspace(lst.nPixels);

  it('a toy shower: all parameter groups filled, ctapipe column names in both frames', () => {
    const image = new Float32Array(lst.nPixels),
      peak = new Float32Array(lst.nPixels);
    for (let i = 0; i < lst.nPixels; i++) {
      const l = lst.pixX[i] - 0.3,
        t = lst.pixY[i] - 0.2;
      image[i] = 200 * Math.exp(-0.5 * ((l / 0.15) ** 2 + (t / 0.05) ** 2));
      peak[i] = 15 + 10 * l;
    }
    const tw = createTailcutsWorkspace(lst.nPixels);
    const n = tailcutsCleanInto(
      geomCam.neighbors,
      image,
      { pictureThresh: 8, boundaryThresh: 4, keepIsolatedPixels: false, minNumberPictureNeighbors: 2 },
      new Uint8Array(lst.nPixels),
      tw,
    );
    expect(n).toBeGreaterThan(20);
    expect(passesImageQualityQuery(image, tw.selected, n, ws.scratch32)).toBe(true);
    const cam = computeImageParameters(geomCam, image, peak, tw.selected, n, ws);
    expect(cam.status).toBe('ok');
    expect(cam.hillas.x).toBeCloseTo(0.3, 2);
    expect(Math.abs(cam.hillas.psi)).toBeLessThan(1);
    expect(cam.timing.slope).toBeCloseTo(10, 3); // ns per m
    expect(cam.morphology.nIslands).toBe(1);
    const recCam = imageParametersRecord(cam, 'CameraFrame');
    expect(Object.keys(recCam).sort()).toEqual(imageParameterColumns('CameraFrame').sort());
    const camSlope = cam.timing.slope,
      camLength = cam.hillas.length;
    const tel = computeImageParameters(geomTel, image, peak, tw.selected, n, ws);
    expect(tel.hillas.length).toBeCloseTo((camLength * 180) / Math.PI / 28, 8);
    expect(Math.abs(tel.hillas.psi)).toBeGreaterThan(89); // axes swap in the telescope frame
    expect(Math.abs(tel.timing.slope)).toBeCloseTo(camSlope * 28 * (Math.PI / 180), 4); // ns per deg
    expect(Object.keys(imageParametersRecord(tel, 'TelescopeFrame'))).toContain('hillas_fov_lon');
  });

  it('an empty mask gives ctapipe\'s "no parameters" status, morphology only', () => {
    const p = computeImageParameters(geomCam, new Float32Array(lst.nPixels), null, new Int32Array(0), 0, ws);
    expect(p.status).toBe(STATUS_SIZE_ZERO);
    expect(p.hillas.intensity).toBeNaN();
    expect(p.leakage.pixelsWidth1).toBeNaN();
    expect(p.morphology.nPixels).toBe(0);
  });

  it("a single pixel: parameters filled, timing fails with numpy's ValueError as in ctapipe", () => {
    const image = new Float32Array(lst.nPixels);
    image[10] = 12;
    const p = computeImageParameters(geomCam, image, new Float32Array(lst.nPixels), Int32Array.from([10]), 1, ws);
    expect(p.status).toBe("ValueError: Cannot take a larger sample than population when 'replace=False'");
    expect(p.hillas.intensity).toBe(12);
    expect(p.concentration.pixel).toBe(1);
    expect(p.timing.slope).toBeNaN();
    expect(passesImageQualityQuery(image, Int32Array.from([10]), 1, ws.scratch32)).toBe(false);
  });
});
