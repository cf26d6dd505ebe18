/**
 * The live pixel-map sums: the WebAssembly SIMD kernel gives bit for bit the
 * sums of the plain loop (float32 charges widened to float64, added in the
 * same order per pixel), for pixel counts with and without a remainder of 4,
 * and the survival counts follow the masks.
 */
import { describe, expect, test } from 'vitest';
import { PixelSumsAccumulator, pixelSumsOf } from '../../../../src-worker/live/pixel-sums.js';
import { simdSumsKernel } from '../../../../src-worker/live/pixel-sums-simd.js';
import { Random } from '../../../../src-worker/util/random.js';

function images(n: number, count: number, seed: number): Float32Array[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: n }, () => 20 * rng.normal() + (rng.uniform() < 0.01 ? 1e4 * rng.uniform() : 0)));
}

describe('pixel-map sums', () => {
  test('the SIMD kernel is available here (Node 20)', () => {
    expect(simdSumsKernel()).not.toBeNull();
  });

  for (const n of [1855, 1039, 7, 2]) {
    test(`SIMD and scalar sums agree bit for bit, ${n} pixels`, () => {
      const list = images(n, 25, n);
      const survivors = Int32Array.from({ length: Math.min(n, 5) }, (_, k) => (k * 3) % n);
      const simd = new PixelSumsAccumulator();
      for (const img of list) simd.add(4, 'Cam', img, survivors, survivors.length);
      const a = simd.result()[0];
      const plain = new PixelSumsAccumulator({ simd: false });
      for (const img of list) plain.add(4, 'Cam', img, survivors, survivors.length);
      const b = plain.result()[0];
      expect(a.images).toBe(25);
      expect(Array.from(a.sum)).toEqual(Array.from(b.sum));
      expect(Array.from(a.sumSq)).toEqual(Array.from(b.sumSq));
      expect(Array.from(a.survived)).toEqual(Array.from(b.survived));
      // and both equal a direct float64 sum
      for (let i = 0; i < n; i++) {
        let s = 0,
          q = 0;
        for (const img of list) {
          s += img[i];
          q += img[i] * img[i];
        }
        expect(a.sum[i]).toBe(s);
        expect(a.sumSq[i]).toBe(q);
      }
    });
  }

  test('several telescopes in one batch, and survival counts from masks', () => {
    const a = images(1855, 3, 1),
      b = images(1039, 2, 2);
    const mask = (n: number, every: number) => Uint8Array.from({ length: n }, (_, i) => (i % every === 0 ? 1 : 0));
    const ev = (telId: number, camera: string, image: Float32Array, every: number) => ({
      telId,
      camera,
      image,
      peakTime: new Float32Array(image.length),
      mask: mask(image.length, every),
      params: {} as never,
    });
    const stereo = { isValid: false, alt: NaN, az: NaN, coreX: NaN, coreY: NaN, hMax: NaN, telIds: [] };
    const events = [
      { obsId: 1, eventId: 1, time: 0, stereo, images: [ev(1, 'LSTCam', a[0], 3), ev(5, 'NectarCam', b[0], 2)] },
      { obsId: 1, eventId: 2, time: 0, stereo, images: [ev(1, 'LSTCam', a[1], 3)] },
      { obsId: 1, eventId: 3, time: 0, stereo, images: [ev(1, 'LSTCam', a[2], 5), ev(5, 'NectarCam', b[1], 2)] },
    ];
    const sums = pixelSumsOf(events);
    const lst = sums.find((s) => s.telId === 1)!;
    const nectar = sums.find((s) => s.telId === 5)!;
    expect(lst.images).toBe(3);
    expect(nectar.images).toBe(2);
    expect(lst.survived[15]).toBe(3); // multiple of 3 and of 5
    expect(lst.survived[3]).toBe(2);
    expect(lst.survived[5]).toBe(1);
    expect(nectar.survived[2]).toBe(2);
    expect(lst.sum[10]).toBe(a[0][10] + a[1][10] + a[2][10]);
  });
});
