import { describe, expect, test } from 'vitest';
import { loadCameraGeometry, shippedCameraNames } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { pixelPolygons, pixelRadius } from '../../../../src-worker/instrument/pixel-polygons.js';

describe('pixel polygons follow ctapipe CameraDisplay', () => {
  test('all 21 shipped geometries load with one polygon per pixel', () => {
    const names = shippedCameraNames();
    expect(names).toHaveLength(21);
    for (const name of names) {
      const g = loadCameraGeometry(name);
      const p = pixelPolygons(g);
      expect(p.nVertices).toBe(g.pixType === 'hexagon' ? 6 : 4);
      expect(p.vertices.length).toBe(g.nPixels * p.nVertices * 2);
    }
  });

  test('hexagon: radius w/sqrt(3) with w the in-circle diameter from the area; first vertex at 90° + pix_rotation', () => {
    const g = loadCameraGeometry('LSTCam');
    const p = pixelPolygons(g);
    const area = g.pixArea[0];
    const w = 2 * Math.sqrt(area / (2 * Math.sqrt(3)));
    expect(pixelRadius('hexagon', area)).toBeCloseTo(w / Math.sqrt(3), 15);
    // the hexagon's area from its circumradius must equal the pixel area
    const r = w / Math.sqrt(3);
    expect(((3 * Math.sqrt(3)) / 2) * r * r).toBeCloseTo(area, 12);
    const angle = (Math.atan2(p.vertices[1] - g.pixY[0], p.vertices[0] - g.pixX[0]) * 180) / Math.PI;
    const expected = 90 + g.pixRotation;
    expect((((angle - expected) % 360) + 360) % 360).toBeCloseTo(0, 9);
  });

  test('square: radius w/sqrt(2) with w = sqrt(area), oriented pix_rotation + 45° (edges axis-aligned for CHEC)', () => {
    const g = loadCameraGeometry('CHEC');
    const p = pixelPolygons(g);
    const w = Math.sqrt(g.pixArea[10]);
    const base = 10 * 4 * 2;
    const xs = [0, 1, 2, 3].map((k) => p.vertices[base + 2 * k] - g.pixX[10]);
    const ys = [0, 1, 2, 3].map((k) => p.vertices[base + 2 * k + 1] - g.pixY[10]);
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(xs[k])).toBeCloseTo(w / 2, 12);
      expect(Math.abs(ys[k])).toBeCloseTo(w / 2, 12);
    }
  });
});
