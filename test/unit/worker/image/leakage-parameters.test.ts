import { describe, expect, it } from 'vitest';
import { computePixelNeighbors } from '../../../../src-worker/instrument/neighbors.js';
import { borderPixelMask, leakageParameters } from '../../../../src-worker/image/leakage-parameters.js';

describe('leakage (ctapipe leakage_parameters, get_border_pixel_mask)', () => {
  // 6 x 6 square grid
  const xs: number[] = [],
    ys: number[] = [];
  for (let r = 0; r < 6; r++)
    for (let c = 0; c < 6; c++) {
      xs.push(c * 0.01);
      ys.push(r * 0.01);
    }
  const nb = computePixelNeighbors(xs, ys, 'square');
  const b1 = borderPixelMask(nb, 1),
    b2 = borderPixelMask(nb, 2);
  it('border width 1 = outer ring, width 2 = outer two rings', () => {
    const ring = (i: number) => Math.min(i % 6, Math.floor(i / 6), 5 - (i % 6), 5 - Math.floor(i / 6));
    for (let i = 0; i < 36; i++) {
      expect(b1[i], `pixel ${i}`).toBe(ring(i) === 0 ? 1 : 0);
      expect(b2[i], `pixel ${i}`).toBe(ring(i) <= 1 ? 1 : 0);
    }
  });
  it('fractions of pixels and of intensity in the borders', () => {
    const image = new Float32Array(36);
    const sel = Int32Array.from([0, 7, 14, 15]); // ring 0, ring 1, ring 2, ring 2
    image[0] = 10;
    image[7] = 20;
    image[14] = 30;
    image[15] = 40;
    const l = leakageParameters(b1, b2, image, sel, 4);
    expect(l.pixelsWidth1).toBe(0.25);
    expect(l.pixelsWidth2).toBe(0.5);
    expect(l.intensityWidth1).toBe(Math.fround(0.1));
    expect(l.intensityWidth2).toBe(Math.fround(0.3));
  });
});
