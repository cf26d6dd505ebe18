/**
 * Parity against ctapipe 0.26 itself, in the same run: ctapipe cleans and
 * parameterises the same images (test/helpers/ctapipe-parity.py) and
 * Lightpool must give identical masks and every parameter within 1e-6
 * relative (timing 1e-5; the parity checker's rules), in the camera and the
 * telescope frame, on hexagonal (LSTCam, NectarCam, FlashCam, DigiCam) and
 * square (CHEC, ASTRICam, SCTCam) cameras — for the reference sample's
 * shower images with its three cleaning settings, and for the cases where
 * floating point decides: pixels on one straight line (lattice rows, rows
 * through the camera centre; ctapipe's width is then exactly 0), 2- and
 * 3-pixel masks, and masks of several islands.
 */
import { beforeAll, expect } from 'vitest';
import { join } from 'node:path';
import { ctapipe } from '../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../helpers/vitest-tools.js';
import { ctapipeReferenceValues, type CleaningSetting, type ParityImage } from '../../helpers/ctapipe-parity.js';
import { readRefValues, type RefValues } from '../../../src-main/tools/ctapipe-refvalues.js';
import { formatParityReport, runParity, type ParityReport } from '../../../src-main/tools/parity-check.js';
import { loadCameraGeometry } from '../../../src-worker/io/assets/load-camera-geometry.js';
import { computePixelNeighbors } from '../../../src-worker/instrument/neighbors.js';
import { Random } from '../../../src-worker/util/random.js';

const FOCAL: Record<string, number> = { LSTCam: 28, NectarCam: 16, FlashCam: 16, DigiCam: 5.6, CHEC: 2.283, ASTRICam: 2.15, SCTCam: 5.59 };

/** every pixel above 10 p.e. is kept, nothing else: the mask is the pixels the case lights */
const EXACT: CleaningSetting = { setting: 'lit_pixels', picture_thresh: 10, boundary_thresh: 5, keep_isolated_pixels: true, min_number_picture_neighbors: 0 };
const WITH_NEIGHBOURS: CleaningSetting = {
  setting: 'lit_with_neighbours',
  picture_thresh: 10,
  boundary_thresh: 5,
  keep_isolated_pixels: false,
  min_number_picture_neighbors: 1,
};

interface Case {
  camera: string;
  kind: string;
  pixels: number[];
}

/** Pixels on straight lattice lines: from a pixel along a neighbour direction, every pixel at p + k·d. */
function lines(camera: string, rng: Random, count: number, lengths: number[]): Case[] {
  const g = loadCameraGeometry(camera);
  const nb = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
  const spacing = Math.hypot(g.pixX[nb.indices[nb.offsets[0]]] - g.pixX[0], g.pixY[nb.indices[nb.offsets[0]]] - g.pixY[0]);
  const nearest = (x: number, y: number) => {
    let best = -1,
      d = Infinity;
    for (let i = 0; i < g.nPixels; i++) {
      const e = Math.hypot(g.pixX[i] - x, g.pixY[i] - y);
      if (e < d) {
        d = e;
        best = i;
      }
    }
    return d < 0.02 * spacing ? best : -1;
  };
  const out: Case[] = [];
  // the pixel nearest the centre first: its lines go through the camera centre (radial: straight in the telescope frame too)
  let centre = 0;
  for (let i = 1; i < g.nPixels; i++) if (Math.hypot(g.pixX[i], g.pixY[i]) < Math.hypot(g.pixX[centre], g.pixY[centre])) centre = i;
  const starts = [centre, ...Array.from({ length: count * 3 }, () => Math.floor(rng.uniform() * g.nPixels))];
  for (const p of starts) {
    if (out.length >= count) break;
    for (let k = nb.offsets[p]; k < nb.offsets[p + 1] && out.length < count; k++) {
      const q = nb.indices[k];
      const dx = g.pixX[q] - g.pixX[p],
        dy = g.pixY[q] - g.pixY[p];
      const len = lengths[out.length % lengths.length];
      const line = [p];
      for (let s = 1; s < len; s++) {
        const r = nearest(g.pixX[p] + s * dx, g.pixY[p] + s * dy);
        if (r < 0) break;
        line.push(r);
      }
      if (line.length === len) out.push({ camera, kind: p === centre ? `line of ${len} through the centre` : `line of ${len}`, pixels: line });
    }
  }
  return out;
}

/** Two neighbours, or three pixels not on a line: p, a neighbour q, and a neighbour of q off the line p-q. */
function small(camera: string, rng: Random, count: number): Case[] {
  const g = loadCameraGeometry(camera);
  const nb = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
  const neighbours = (i: number) => Array.from(nb.indices.subarray(nb.offsets[i], nb.offsets[i + 1]));
  const out: Case[] = [];
  for (let attempt = 0; out.length < count && attempt < 100 * count; attempt++) {
    const p = Math.floor(rng.uniform() * g.nPixels);
    const ns = neighbours(p);
    if (ns.length === 0) continue;
    const q = ns[Math.floor(rng.uniform() * ns.length)];
    if (out.length % 2 === 0) {
      out.push({ camera, kind: '2 pixels', pixels: [p, q] });
      continue;
    }
    const cross = (r: number) => (g.pixX[q] - g.pixX[p]) * (g.pixY[r] - g.pixY[p]) - (g.pixY[q] - g.pixY[p]) * (g.pixX[r] - g.pixX[p]);
    const r = neighbours(q).find((x) => x !== p && Math.abs(cross(x)) > 1e-9);
    if (r !== undefined) out.push({ camera, kind: '3 pixels, not on a line', pixels: [p, q, r] });
  }
  return out;
}

/** Two or three compact clusters far apart (several islands). */
function islands(camera: string, rng: Random, count: number): Case[] {
  const g = loadCameraGeometry(camera);
  const nb = computePixelNeighbors(g.pixX, g.pixY, g.pixType);
  const out: Case[] = [];
  for (let c = 0; c < count; c++) {
    const pixels = new Set<number>();
    const nIslands = 2 + (c % 2);
    for (let k = 0; k < nIslands; k++) {
      const seed = Math.floor(rng.uniform() * g.nPixels);
      const size = 1 + Math.floor(rng.uniform() * 7);
      const island = [seed];
      while (island.length < size) {
        const from = island[Math.floor(rng.uniform() * island.length)];
        const ns = nb.indices.subarray(nb.offsets[from], nb.offsets[from + 1]);
        island.push(ns[Math.floor(rng.uniform() * ns.length)]);
      }
      for (const p of island) pixels.add(p);
    }
    out.push({ camera, kind: `${nIslands} islands`, pixels: [...pixels].sort((a, b) => a - b) });
  }
  return out;
}

/** Two or three pixels far apart (isolated islands): always, or nearly, on one line, and long: where rounding decides a zero width. */
function farApart(camera: string, rng: Random, count: number): Case[] {
  const g = loadCameraGeometry(camera);
  const out: Case[] = [];
  while (out.length < count) {
    const a = Math.floor(rng.uniform() * g.nPixels);
    // the pixel opposite a through the centre, and a third one on that diameter for every other case
    let b = 0,
      bestB = Infinity;
    for (let i = 0; i < g.nPixels; i++) {
      const d = Math.hypot(g.pixX[i] + g.pixX[a], g.pixY[i] + g.pixY[a]);
      if (d < bestB && i !== a) {
        bestB = d;
        b = i;
      }
    }
    const pixels = [a, b];
    if (out.length % 2 === 1) {
      let c = -1,
        bestC = Infinity;
      for (let i = 0; i < g.nPixels; i++) {
        const d = Math.hypot(g.pixX[i] - 0.5 * g.pixX[a], g.pixY[i] - 0.5 * g.pixY[a]);
        if (d < bestC && i !== a && i !== b) {
          bestC = d;
          c = i;
        }
      }
      pixels.push(c);
    }
    if (new Set(pixels).size === pixels.length) out.push({ camera, kind: `${pixels.length} pixels far apart`, pixels: pixels.sort((x, y) => x - y) });
  }
  return out;
}

/** The case as an image: lit pixels 12-60 p.e., the rest below the boundary; peak times along a gradient with jitter. */
function toImage(c: Case, index: number, rng: Random): ParityImage {
  const g = loadCameraGeometry(c.camera);
  const image = new Float32Array(g.nPixels);
  const peak = new Float32Array(g.nPixels);
  for (let i = 0; i < g.nPixels; i++) {
    image[i] = -1 + 5 * rng.uniform(); // below the 5 p.e. boundary
    peak[i] = 20 + 4 * rng.normal();
  }
  const angle = rng.uniform() * Math.PI;
  for (const p of c.pixels) {
    image[p] = 12 + 48 * rng.uniform();
    peak[p] = 15 + 30 * (g.pixX[p] * Math.cos(angle) + g.pixY[p] * Math.sin(angle)) + 0.5 * rng.normal();
  }
  return { global_index: index, camera: c.camera, image, peak_time: peak, settings: [EXACT, WITH_NEIGHBOURS] };
}

function summary(report: ParityReport): string {
  return formatParityReport(report)
    .filter((l) => l.startsWith('MISMATCH') || l.startsWith('parity:'))
    .slice(-40)
    .join('\n');
}

describeWith([ctapipe()], 'parity with ctapipe 0.26 run in the same test', () => {
  let cases: Case[];
  let synthetic: RefValues;
  beforeAll(async () => {
    const rng = new Random(20260613);
    cases = [];
    for (const cam of ['LSTCam', 'NectarCam', 'FlashCam', 'DigiCam', 'CHEC', 'ASTRICam', 'SCTCam']) {
      cases.push(...lines(cam, rng, 12, [2, 3, 4, 5, 8, 12, 30]), ...small(cam, rng, 8), ...islands(cam, rng, 6), ...farApart(cam, rng, 10));
    }
    const images = cases.map((c, i) => toImage(c, i, rng));
    synthetic = await ctapipeReferenceValues(FOCAL, images);
  }, 900_000);

  itWith([ctapipe()], 'lines of pixels, 2- and 3-pixel masks, islands, on hexagonal and square cameras', () => {
    const lineCases = cases.filter((c) => c.kind.startsWith('line'));
    expect(lineCases.length).toBeGreaterThan(60);
    expect(lineCases.some((c) => c.kind.includes('through the centre') && c.camera === 'CHEC')).toBe(true);
    // the masks are the lit pixels, as designed
    for (const r of synthetic.results.filter((x) => x.setting === EXACT.setting)) {
      expect(r.mask_pixel_indices, `${cases[r.global_index].camera} ${cases[r.global_index].kind}`).toEqual(
        [...cases[r.global_index].pixels].sort((a, b) => a - b),
      );
    }
    // ctapipe's own degenerate case occurs: collinear pixels with width exactly 0
    const zeroWidth = synthetic.results.filter((r) => r.telescope_frame.hillas_width === 0 && (r.telescope_frame.hillas_length ?? 0) > 0);
    expect(zeroWidth.length).toBeGreaterThan(10);
    const report = runParity(synthetic, { loadGeometry: loadCameraGeometry, maxMismatches: 200 });
    console.log(
      `parity with ctapipe (same run), ${cases.length} designed images × 2 settings: ${report.summaryLine}; ${zeroWidth.length} with ctapipe's width exactly 0 ` +
        `(and ${synthetic.results.filter((r) => r.telescope_frame.hillas_width === null && r.telescope_frame.hillas_length !== null).length} with it NaN: noise below -eps); ` +
        `ill-posed timing fits of 2- or 3-pixel masks accepted: ${report.degenerateTiming.length}`,
    );
    expect(report.mismatches, summary(report)).toEqual([]);
    expect(report.allIdentical).toBe(true);
    // the only timing differences accepted are the ill-posed fits of 2 and 3 pixels (see parity-check.ts)
    for (const d of report.degenerateTiming) {
      const mask = synthetic.results.find((r) => r.global_index === d.globalIndex && r.setting === d.setting)!.mask_pixel_indices;
      expect([2, 3], `${d.camera} ${cases[d.globalIndex].kind} ${d.setting}`).toContain(mask.length);
    }
  });

  itWith(
    [ctapipe()],
    "the reference sample's 190 shower images with its 3 cleaning settings, recomputed by ctapipe now",
    async () => {
      const sample = readRefValues(join(__dirname, '../../fixtures/samples/ctapipe_refvalues_sample.jsonl.gz'));
      const settings = new Map<number, CleaningSetting[]>();
      for (const r of sample.results) {
        const s = {
          setting: r.setting,
          picture_thresh: r.picture_thresh,
          boundary_thresh: r.boundary_thresh,
          keep_isolated_pixels: r.keep_isolated_pixels,
          min_number_picture_neighbors: r.min_number_picture_neighbors,
        };
        settings.set(r.global_index, [...(settings.get(r.global_index) ?? []), s]);
      }
      const focal = Object.fromEntries([...sample.cameras.values()].map((c) => [c.camera, c.focal_length_m_used_for_telescope_frame]));
      const images: ParityImage[] = [...sample.imageData.values()].map((d) => ({
        global_index: d.global_index,
        camera: d.camera,
        image: d.image.map((v) => v ?? NaN),
        peak_time: d.peak_time.map((v) => v ?? NaN),
        settings: settings.get(d.global_index) ?? [],
      }));
      const now = await ctapipeReferenceValues(focal, images);
      expect(now.results.length).toBe(570);
      const report = runParity(now, { loadGeometry: loadCameraGeometry, maxMismatches: 200 });
      console.log(`parity with ctapipe (same run) on the sample's images: ${report.summaryLine}`);
      expect(report.mismatches, summary(report)).toEqual([]);
      expect(report.allIdentical).toBe(true);
    },
    900_000,
  );
});
