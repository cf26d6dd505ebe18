import { describe, expect, test } from 'vitest';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { pixelPolygons, polygonBounds } from '../../../../src-worker/instrument/pixel-polygons.js';
import { colorPixels, fitTransform, paintIndexMap, rasterizeIndexMap, toScreen } from '../../../../src-renderer/camera/camera-raster.js';

describe('camera index map', () => {
  for (const name of ['LSTCam', 'CHEC', 'FlashCam']) {
    test(`${name}: every pixel centre maps to its own pixel at 600×600`, () => {
      const g = loadCameraGeometry(name);
      const p = pixelPolygons(g);
      const t = fitTransform(polygonBounds(p), 600, 600);
      const map = rasterizeIndexMap(p, t, 600, 600);
      let hits = 0;
      for (let i = 0; i < g.nPixels; i++) {
        const [sx, sy] = toScreen(t, p.centerX[i], p.centerY[i]);
        if (map[Math.floor(sy) * 600 + Math.floor(sx)] === i) hits++;
      }
      expect(hits).toBe(g.nPixels);
      // corners of the canvas are outside the camera
      expect(map[0]).toBe(-1);
      expect(map[600 * 600 - 1]).toBe(-1);
    });
  }

  test('CHEC module gaps stay background', () => {
    const g = loadCameraGeometry('CHEC');
    const p = pixelPolygons(g);
    const t = fitTransform(polygonBounds(p), 800, 800);
    const map = rasterizeIndexMap(p, t, 800, 800);
    // the camera centre of CHEC is a gap between modules
    const [cx, cy] = toScreen(t, 0, 0);
    expect(map[Math.floor(cy) * 800 + Math.floor(cx)]).toBe(-1);
  });

  test('painting colours each screen pixel from its camera pixel', () => {
    const map = Int32Array.from([-1, 0, 1, 1]);
    const lut = Uint32Array.from([10, 20, 30]);
    const colors = new Uint32Array(2);
    colorPixels(Float32Array.from([0, 1]), (v) => v, lut, 99, colors);
    const out = new Uint32Array(4);
    paintIndexMap(map, colors, 7, out);
    expect(Array.from(out)).toEqual([7, 10, 30, 30]);
  });
});
