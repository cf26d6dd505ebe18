import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../../../src-worker/instrument/camera-geometry-json.js';
import { computePixelNeighbors, neighborsFromLists } from '../../../../src-worker/instrument/neighbors.js';
import { createTailcutsWorkspace, tailcutsClean, tailcutsCleanInto } from '../../../../src-worker/image/tailcuts.js';
import { readRefValues, toFloat32Array } from '../../../../src-main/tools/ctapipe-refvalues.js';

const root = join(__dirname, '../../../..');
const ref = readRefValues(join(root, 'test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz'));

describe('tailcutsClean (ctapipe 0.26 tailcuts_clean)', () => {
  it('reproduces every reference mask (13 cameras x 3 settings)', () => {
    const nbByCamera = new Map<string, ReturnType<typeof computePixelNeighbors>>();
    for (const name of ref.cameras.keys()) {
      const g = cameraGeometryFromJson(JSON.parse(readFileSync(join(root, 'assets/cameras', `${name}.camgeom.json`), 'utf8')) as CameraGeometryJson);
      nbByCamera.set(name, computePixelNeighbors(g.pixX, g.pixY, g.pixType));
    }
    let identical = 0;
    const settings = new Set<string>();
    for (const r of ref.results) {
      settings.add(`${r.camera}/${r.setting}`);
      const nb = nbByCamera.get(r.camera)!;
      const image = toFloat32Array(ref.imageData.get(r.global_index)!.image);
      const ws = createTailcutsWorkspace(nb.nPixels);
      const mask = new Uint8Array(nb.nPixels);
      const nSel = tailcutsCleanInto(
        nb,
        image,
        {
          pictureThresh: r.picture_thresh,
          boundaryThresh: r.boundary_thresh,
          keepIsolatedPixels: r.keep_isolated_pixels,
          minNumberPictureNeighbors: r.min_number_picture_neighbors,
        },
        mask,
        ws,
      );
      const got = Array.from(ws.selected.subarray(0, nSel));
      const fromMask: number[] = [];
      mask.forEach((v, i) => {
        if (v) fromMask.push(i);
      });
      expect(fromMask).toEqual(got);
      if (JSON.stringify(got) === JSON.stringify(r.mask_pixel_indices)) identical++;
    }
    expect(settings.size).toBe(39);
    expect(identical).toBe(ref.results.length);
  });

  // a 1-d chain 0-1-2-3-4-5-6 plus an isolated pixel 7
  const chain = neighborsFromLists([[1], [0, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5], []]);
  const img = Float32Array.from([0, 6, 10, 6, 0, 10, 0, 12]);

  it('keeps boundary pixels next to picture pixels and drops isolated picture pixels', () => {
    const m = tailcutsClean(chain, img, { pictureThresh: 7, boundaryThresh: 5, keepIsolatedPixels: false, minNumberPictureNeighbors: 0 });
    expect(Array.from(m)).toEqual([0, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('keep_isolated_pixels keeps every picture pixel', () => {
    const m = tailcutsClean(chain, img, { pictureThresh: 7, boundaryThresh: 5, keepIsolatedPixels: true, minNumberPictureNeighbors: 0 });
    expect(Array.from(m)).toEqual([0, 1, 1, 1, 0, 1, 0, 1]);
  });

  it('min_number_picture_neighbors removes picture pixels with too few picture neighbours', () => {
    const img2 = Float32Array.from([0, 8, 10, 6, 0, 10, 0, 12]);
    const m1 = tailcutsClean(chain, img2, { pictureThresh: 7, boundaryThresh: 5, keepIsolatedPixels: false, minNumberPictureNeighbors: 1 });
    expect(Array.from(m1)).toEqual([0, 1, 1, 1, 0, 0, 0, 0]);
    const m2 = tailcutsClean(chain, img2, { pictureThresh: 7, boundaryThresh: 5, keepIsolatedPixels: false, minNumberPictureNeighbors: 2 });
    expect(Array.from(m2)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('compares float32 images with float32-rounded thresholds', () => {
    const nb = neighborsFromLists([[1], [0]]);
    const v = Math.fround(0.1); // 0.100000001490116...
    const t = 0.1000000015; // above v as a double, but rounds to v as a float32
    expect(t > v && Math.fround(t) === v).toBe(true);
    const opts = { pictureThresh: t, boundaryThresh: t, keepIsolatedPixels: false, minNumberPictureNeighbors: 0 };
    expect(Array.from(tailcutsClean(nb, Float32Array.from([v, v]), opts))).toEqual([1, 1]);
    expect(Array.from(tailcutsClean(nb, Float64Array.from([v, v]), opts))).toEqual([0, 0]);
  });
});

describe("tailcutsClean against a direct transcription of ctapipe's formula", () => {
  /** ctapipe's tailcuts_clean written literally with the row neighbour lists */
  function naive(
    rows: number[][],
    image: Float32Array,
    o: { pictureThresh: number; boundaryThresh: number; keepIsolatedPixels: boolean; minNumberPictureNeighbors: number },
  ): number[] {
    const n = rows.length;
    const pt = Math.fround(o.pictureThresh),
      bt = Math.fround(o.boundaryThresh);
    const pic = Array.from(image, (v) => v >= pt);
    const inPic =
      o.keepIsolatedPixels || o.minNumberPictureNeighbors === 0
        ? pic
        : pic.map((p, i) => p && rows[i].filter((j) => pic[j]).length >= o.minNumberPictureNeighbors);
    const bnd = Array.from(image, (v) => v >= bt);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const nextToPic = rows[i].some((j) => inPic[j]);
      const nextToBnd = rows[i].some((j) => bnd[j]);
      const keep = o.keepIsolatedPixels ? (bnd[i] && nextToPic) || inPic[i] : (bnd[i] && nextToPic) || (inPic[i] && nextToBnd);
      if (keep) out.push(i);
    }
    return out;
  }
  // deterministic pseudo-random numbers
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

  it('random images on real cameras and on an asymmetric neighbour matrix, all option combinations', () => {
    const cams = ['LSTCam', 'CHEC'].map((name) => {
      const g = cameraGeometryFromJson(JSON.parse(readFileSync(join(root, 'assets/cameras', `${name}.camgeom.json`), 'utf8')) as CameraGeometryJson);
      const nb = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
      return { nb, rows: Array.from({ length: nb.nPixels }, (_, i) => Array.from(nb.indices.subarray(nb.offsets[i], nb.offsets[i + 1]))) };
    });
    // asymmetric: pixel i lists i+1 and i+2, nothing lists backwards
    const m = 300;
    const asymRows = Array.from({ length: m }, (_, i) => [i + 1, i + 2].filter((j) => j < m));
    cams.push({ nb: neighborsFromLists(asymRows), rows: asymRows });
    let checked = 0;
    for (const { nb, rows } of cams) {
      const ws = createTailcutsWorkspace(nb.nPixels);
      const mask = new Uint8Array(nb.nPixels);
      for (let t = 0; t < 12; t++) {
        const image = Float32Array.from({ length: nb.nPixels }, () => (rnd() < 0.15 ? 12 * rnd() : 3 * rnd() - 0.5));
        for (const keepIsolatedPixels of [false, true]) {
          for (const minNumberPictureNeighbors of [0, 1, 2, 3]) {
            const o = { pictureThresh: 6, boundaryThresh: 3, keepIsolatedPixels, minNumberPictureNeighbors };
            const nSel = tailcutsCleanInto(nb, image, o, mask, ws);
            expect(Array.from(ws.selected.subarray(0, nSel))).toEqual(naive(rows, image, o));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(3 * 12 * 8);
  });
});
