/**
 * Camera geometries as a DAQ's subarray frame announces them: a shipped
 * geometry through the wire form and back is the same geometry (pixel
 * columns in shared memory), the fingerprint tells different pixels apart,
 * and a pixel type ctapipe does not know is refused naming the camera.
 */
import { describe, expect, it } from 'vitest';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { announcedGeometries, fromAnnouncement, toAnnouncement } from '../../../../src-worker/instrument/announced-geometry.js';

describe('announced camera geometries', () => {
  it('round-trip a shipped geometry through the JSON of a subarray frame', () => {
    const g = loadCameraGeometry('FlashCam');
    const wire = JSON.parse(JSON.stringify(toAnnouncement(g))) as ReturnType<typeof toAnnouncement>;
    const a = fromAnnouncement('FlashCam', wire);
    expect(a.nPixels).toBe(g.nPixels);
    expect(Array.from(a.pixX)).toEqual(Array.from(g.pixX));
    expect(Array.from(a.pixY)).toEqual(Array.from(g.pixY));
    expect(Array.from(a.pixArea)).toEqual(Array.from(g.pixArea));
    expect(Array.from(a.pixId)).toEqual(Array.from({ length: g.nPixels }, (_, i) => i));
    expect([a.pixType, a.pixRotation, a.camRotation]).toEqual([g.pixType, g.pixRotation, g.camRotation]);
    expect(a.pixX.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('fingerprints by the pixels, not the name', () => {
    const wire = toAnnouncement(loadCameraGeometry('LSTCam'));
    const a = fromAnnouncement('LSTCam', wire);
    expect(fromAnnouncement('LSTCam', wire).fingerprint).toBe(a.fingerprint);
    const moved = { ...wire, pix_x: wire.pix_x.map((x, i) => (i === 7 ? x + 1e-6 : x)) };
    expect(fromAnnouncement('LSTCam', moved).fingerprint).not.toBe(a.fingerprint);
    expect(fromAnnouncement('LSTCam', { ...wire, pix_rotation_deg: 10 }).fingerprint).not.toBe(a.fingerprint);
  });

  it('none announced is none; an unknown pixel type names the camera', () => {
    expect(announcedGeometries(undefined)).toBeUndefined();
    expect(announcedGeometries({})).toBeUndefined();
    const wire = { ...toAnnouncement(loadCameraGeometry('FACT')), pix_type: 'triangle' };
    expect(() => announcedGeometries({ FACT: wire })).toThrow(/camera FACT: unknown pixel type "triangle"/);
  });
});
