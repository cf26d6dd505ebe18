/**
 * Image stacks against the seed's numpy preprocessing (Pillow + numpy, run
 * in the same test): the 24 TPC frames of test/fixtures/lab/export globbed,
 * sorted, windowed to [60, 130] → [0, 1] (clipped, float32) and
 * centre-cropped to 128 × 128, labels and energies from the path; and
 * decoding of 8/16-bit grey, RGB, RGBA and palette PNGs and TIFFs (plain,
 * LZW, Deflate, both byte orders) against np.array(Image.open(...)).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImageStack, readImage } from '../../../../src-worker/lab/image-stack/image-stack.js';
import { processPixels, channelValues } from '../../../../src-worker/lab/image-stack/image-pixels.js';
import { decodeImageFile, ImageDecodeError } from '../../../../src-worker/lab/image-stack/decode-image.js';
import { StackStatistics, imageChannels } from '../../../../src-worker/lab/image-stack/stack-statistics.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { runPython } from './lab-python.js';

const EXPORT = fileURLToPath(new URL('../../../fixtures/lab/export', import.meta.url));
const PY = python('numpy', 'PIL');

const SEED = String.raw`
import sys, json, glob, re, os, numpy as np
from PIL import Image
paths = sorted(os.path.abspath(p) for p in glob.glob(sys.argv[1]))
imgs, labels, energies = [], [], []
for p in paths:
    img = np.array(Image.open(p)).astype(np.float32)
    img = np.clip((img - 60) / (130 - 60), 0, 1)
    h, w = img.shape
    imgs.append(img[h // 2 - 64:h // 2 + 64, w // 2 - 64:w // 2 + 64])
    labels.append(1 if re.search(r'/([NE]R)/', p).group(1) == 'NR' else 0)
    energies.append(float(re.search(r'/([0-9]+)_keV', p).group(1)))
x = np.stack(imgs)
print(json.dumps({'paths': paths, 'images': x.ravel().tolist(), 'labels': labels, 'energies': energies,
                  'means': {l: x[np.array(labels) == (l == 'NR')].mean(axis=0).ravel().tolist() for l in ('ER', 'NR')}}))
`;

const DECODE = String.raw`
import sys, json, numpy as np
from PIL import Image
d = sys.argv[1]
rng = np.random.default_rng(7)
g8 = rng.integers(0, 256, (9, 13), dtype=np.uint8)
g16 = rng.integers(0, 65536, (9, 13)).astype(np.uint16)
rgb = rng.integers(0, 256, (9, 13, 3), dtype=np.uint8)
rgba = rng.integers(0, 256, (9, 13, 4), dtype=np.uint8)
files = {}
def save(name, img, **kw):
    img.save(f'{d}/{name}', **kw)
    back = Image.open(f'{d}/{name}')
    if back.mode == 'P': back = back.convert('RGB')    # palette images are expanded, as convert('RGB')
    files[name] = np.array(back).astype(np.int64)
save('g8.png', Image.fromarray(g8, 'L'))
save('g16.png', Image.fromarray(g16))
save('rgb.png', Image.fromarray(rgb, 'RGB'))
save('rgba.png', Image.fromarray(rgba, 'RGBA'))
save('pal.png', Image.fromarray(rgb, 'RGB').convert('P'))
save('g8.tif', Image.fromarray(g8, 'L'))
save('g8lzw.tif', Image.fromarray(g8, 'L'), compression='tiff_lzw')
save('g8deflate.tif', Image.fromarray(g8, 'L'), compression='tiff_adobe_deflate')
save('g16.tif', Image.fromarray(g16))
save('g16be.tif', Image.fromarray(g16.astype('>u2'), 'I;16B'))
save('rgb.tif', Image.fromarray(rgb, 'RGB'))
save('rgba.tif', Image.fromarray(rgba, 'RGBA'))
luma = np.array(Image.fromarray(rgb, 'RGB').convert('L')).astype(np.int64)
print(json.dumps({'files': {k: {'shape': list(v.shape), 'values': v.ravel().tolist()} for k, v in files.items()}, 'luma': luma.ravel().tolist()}))
`;

interface SeedRef {
  paths: string[];
  images: number[];
  labels: number[];
  energies: number[];
  means: Record<string, number[]>;
}

describeWith([PY], "lab image stacks: the seed's numpy preprocessing", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lightpool-stack-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itWith(
    [PY],
    "the 24 TPC frames: paths, images, labels, energies and per-label means equal numpy's",
    async () => {
      const pattern = `${EXPORT}/*/*/*/*.png`;
      const ref = runPython<SeedRef>(PY, SEED, [pattern]);
      const stack = await openImageStack(pattern);
      expect(stack.paths).toEqual(ref.paths);
      expect(stack.paths.length).toBe(24);
      expect(Array.from(stack.classIndex)).toEqual(ref.labels);
      expect(stack.classes).toEqual(['ER', 'NR']);
      expect(Array.from(stack.energies)).toEqual(ref.energies);
      const stats = new StackStatistics(100, 0, 1);
      const all = new Float32Array(24 * 128 * 128);
      for (let i = 0; i < stack.paths.length; i++) {
        const p = processPixels(readImage(stack, i), { window: [60, 130], crop: 64 });
        expect([p.width, p.height]).toEqual([128, 128]);
        all.set(p.pixels, i * 128 * 128);
        stats.add(stack.labels[i], 128, 128, p.pixels);
      }
      let differ = 0;
      for (let i = 0; i < all.length; i++) if (all[i] !== ref.images[i]) differ++;
      expect(differ).toBe(0);
      // the window clips the tracks at 1; the pedestal (~96) lies inside it
      expect(all.some((v) => v === 1) && all.some((v) => v > 0 && v < 1)).toBe(true);
      const res = stats.result();
      expect(res.map((r) => [r.label, r.count])).toEqual([
        ['ER', 12],
        ['NR', 12],
      ]);
      for (const r of res) {
        let worst = 0;
        r.mean.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref.means[r.label][i]))));
        expect(worst).toBeLessThan(1e-6); // numpy's float32 mean vs our float64 sums
        expect(r.histogram.reduce((a, b) => a + b, 0)).toBe(12 * 128 * 128);
      }
    },
    300_000,
  );

  itWith(
    [PY],
    'PNG and TIFF decoding: 8/16 bit, grey, RGB, RGBA, palette, LZW/Deflate, both byte orders',
    () => {
      const ref = runPython<{ files: Record<string, { shape: number[]; values: number[] }>; luma: number[] }>(PY, DECODE, [dir]);
      for (const [name, want] of Object.entries(ref.files)) {
        const img = decodeImageFile(join(dir, name));
        const channels = want.shape[2] ?? 1;
        expect([img.height, img.width, img.channels], name).toEqual([want.shape[0], want.shape[1], channels]);
        expect(Array.from(img.data), name).toEqual(want.values);
      }
      expect(decodeImageFile(join(dir, 'g16.tif')).bitDepth).toBe(16);
      // luma like PIL's convert('L')
      expect(Array.from(channelValues(decodeImageFile(join(dir, 'rgb.png'))))).toEqual(ref.luma);
      const ch = imageChannels(decodeImageFile(join(dir, 'rgba.png')));
      expect(ch.map((c) => c.name)).toEqual(['red', 'green', 'blue', 'alpha']);
      expect(ch.every((c) => c.histogram.reduce((a, b) => a + b, 0) === 9 * 13)).toBe(true);
    },
    300_000,
  );

  itWith(
    [PY],
    'clear errors: not an image, a truncated PNG, a crop larger than the image, no match',
    async () => {
      writeFileSync(join(dir, 'text.png'), 'not an image');
      expect(() => decodeImageFile(join(dir, 'text.png'))).toThrow(/not a PNG or TIFF image/);
      const { readFileSync } = await import('node:fs');
      const png = readFileSync(join(dir, 'g8.png'));
      writeFileSync(join(dir, 'cut.png'), png.subarray(0, 40));
      expect(() => decodeImageFile(join(dir, 'cut.png'))).toThrow(ImageDecodeError);
      expect(() => decodeImageFile(join(dir, 'missing.png'))).toThrow(/cannot be read/);
      expect(() => processPixels(decodeImageFile(join(dir, 'g8.png')), { crop: 64 })).toThrow(/does not fit in the 13 × 9 image/);
      await expect(openImageStack(join(dir, 'nothing/*.png'))).rejects.toThrow(/no PNG or TIFF files match/);
      await expect(openImageStack(join(dir, '*.png'))).rejects.toThrow(/label expression .* does not match/);
    },
    300_000,
  );
});
