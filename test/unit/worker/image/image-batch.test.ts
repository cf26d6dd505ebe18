import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readRefValues, toFloat32Array } from '../../../../src-main/tools/ctapipe-refvalues.js';
import { loadCameraGeometry } from '../../../../src-worker/io/assets/load-camera-geometry.js';
import { createTailcutsWorkspace, tailcutsCleanInto } from '../../../../src-worker/image/tailcuts.js';
import { stage1Cleaning } from '../../../../src-worker/image/stage1-cleaning.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  imageParametersRecord,
  prepareImageGeometry,
} from '../../../../src-worker/image/image-parameters.js';
import { runReconstructImages, type ReconstructImagesResult } from '../../../../src-worker/image/image-batch.js';
import { WorkerPool } from '../../../../src-main/pool/worker-pool.js';
import { IMAGE_STATUS } from '../../../../src-worker/image/image-processor.js';
import { CTAPIPE_PROCESS_IMAGE_QUALITY, passesImageQuality } from '../../../../src-worker/image/image-quality-query.js';
import { N_PARAMETER_COLUMNS, packedParameterColumns } from '../../../../src-worker/image/parameter-columns.js';

/**
 * The pool task of `lightpool process` gives, per image of a batch, the same
 * mask and parameters as cleaning + computeImageParameters one image at a
 * time (the parity-checked path), packed in ctapipe's column order, and
 * ctapipe's default row for images failing the quality query.
 */
const refFile = join(__dirname, '../../../../test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz');
const ref = readRefValues(refFile);

function batchOf(camera: string) {
  const images: Float32Array[] = [],
    peaks: Float32Array[] = [];
  for (const d of ref.imageData.values()) {
    if (d.camera !== camera) continue;
    images.push(toFloat32Array(d.image));
    peaks.push(toFloat32Array(d.peak_time));
  }
  return { images, peaks };
}

describe('reconstruct-images pool task', () => {
  for (const camera of ['LSTCam', 'NectarCam', 'CHEC']) {
    it(`${camera}: masks and packed telescope-frame parameters equal the one-image path`, () => {
      const g = loadCameraGeometry(camera);
      const f = g.focalLength!;
      const { images, peaks } = batchOf(camera);
      const n = g.nPixels;
      const flat = new Float32Array(images.length * n);
      const flatPeaks = new Float32Array(images.length * n);
      images.forEach((im, k) => flat.set(im, k * n));
      peaks.forEach((pk, k) => flatPeaks.set(pk, k * n));
      const cleaning = stage1Cleaning(camera);
      const { result, transfer } = runReconstructImages({
        kind: 'reconstruct-images',
        camera: { key: `${camera}|test`, geometry: g, frame: 'TelescopeFrame', focalLength: f },
        cleaning,
        quality: CTAPIPE_PROCESS_IMAGE_QUALITY,
        parameters: 'all',
        nImages: images.length,
        images: flat,
        peakTimes: flatPeaks,
      });
      const q = result.qualityCounts!;
      expect(transfer).toEqual([
        result.pixels.buffer,
        result.pixelOffsets.buffer,
        result.parameters.buffer,
        result.status.buffer,
        q.counts.buffer,
        q.cumulative.buffer,
      ]);
      // ctapipe's bookkeeping: TOTAL, then per criterion (all evaluated), cumulative in order
      expect(q.counts[0]).toBe(images.length);
      expect(q.cumulative[2]).toBe(Array.from(result.status).filter((s) => s === IMAGE_STATUS.ok).length);
      expect(result.parameters.length).toBe(images.length * N_PARAMETER_COLUMNS);

      const cam = prepareImageGeometry(g, { frame: 'CameraFrame' });
      const tel = prepareImageGeometry(g, { frame: 'TelescopeFrame', focalLength: f });
      const tw = createTailcutsWorkspace(n);
      const ws = createImageParametersWorkspace(n);
      const columns = packedParameterColumns('TelescopeFrame');
      let failed = 0,
        ok = 0;
      images.forEach((im, k) => {
        const mask = new Uint8Array(n);
        const nSel = tailcutsCleanInto(cam.neighbors, im, cleaning, mask, tw);
        expect(result.pixels.subarray(result.pixelOffsets[k], result.pixelOffsets[k + 1])).toEqual(tw.selected.slice(0, nSel));
        expect(nSel).toBe(mask.reduce((a, b) => a + b, 0));
        const row = result.parameters.subarray(k * N_PARAMETER_COLUMNS, (k + 1) * N_PARAMETER_COLUMNS);
        if (!passesImageQuality(im, tw.selected, nSel, new Float32Array(n), CTAPIPE_PROCESS_IMAGE_QUALITY)) {
          failed++;
          expect(result.status[k]).toBe(IMAGE_STATUS.qualityFailed);
          columns.forEach((c, j) => expect(row[j], c).toBe(c.startsWith('morphology_') ? -1 : NaN));
          return;
        }
        ok++;
        const rec = imageParametersRecord(computeImageParameters(tel, im, peaks[k], tw.selected, nSel, ws), 'TelescopeFrame');
        expect(result.status[k]).toBe(IMAGE_STATUS.ok);
        columns.forEach((c, j) => expect(row[j], c).toBe(rec[c]));
      });
      expect(ok).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(0);
    });
  }

  it("through the worker pool: a batch in a SharedArrayBuffer gives the results of the calling thread, copied back; the buffer stays the caller's to refill", async () => {
    const camera = 'LSTCam';
    const g = loadCameraGeometry(camera);
    const { images, peaks } = batchOf(camera);
    const n = g.nPixels;
    const shared = () => new Float32Array(new SharedArrayBuffer(4 * images.length * n));
    const flat = shared(),
      flatPeaks = shared();
    images.forEach((im, k) => flat.set(im, k * n));
    peaks.forEach((pk, k) => flatPeaks.set(pk, k * n));
    const task = {
      kind: 'reconstruct-images' as const,
      camera: { key: `${camera}|shared`, geometry: g, frame: 'TelescopeFrame' as const, focalLength: g.focalLength },
      cleaning: stage1Cleaning(camera),
      quality: null,
      parameters: 'all' as const,
      nImages: images.length,
      images: flat,
      peakTimes: flatPeaks,
    };
    const here = runReconstructImages(task).result;
    const pool = new WorkerPool(1);
    try {
      const there = await pool.run<ReconstructImagesResult>(task);
      expect(there.nImages).toBe(images.length);
      expect(there.parameters).toEqual(here.parameters);
      expect(there.pixels).toEqual(here.pixels);
      expect(there.pixelOffsets).toEqual(here.pixelOffsets);
      expect(there.status).toEqual(here.status);
      // nothing was transferred: the batch is still readable and refillable here
      expect(flat.length).toBe(images.length * n);
      images.forEach((im, k) => expect(flat.subarray(k * n, (k + 1) * n)).toEqual(im));
      flat.fill(0);
      const empty = await pool.run<ReconstructImagesResult>(task);
      expect(empty.pixelOffsets[images.length]).toBe(0);
      expect(empty.status.every((st) => st !== IMAGE_STATUS.ok)).toBe(true);
      // the worker reuses its result arrays for the next batch; what came back before is a copy and stays
      expect(there.parameters).toEqual(here.parameters);
      expect(there.pixels).toEqual(here.pixels);
    } finally {
      await pool.close();
    }
  });

  it('reuseBuffers: the same results as fresh arrays, with nothing left over from the batch before', () => {
    const camera = 'LSTCam';
    const g = loadCameraGeometry(camera);
    const { images, peaks } = batchOf(camera);
    const n = g.nPixels;
    const batch = (order: number[]) => {
      const flat = new Float32Array(order.length * n),
        flatPeaks = new Float32Array(order.length * n);
      order.forEach((k, i) => {
        flat.set(images[k], i * n);
        flatPeaks.set(peaks[k], i * n);
      });
      return {
        kind: 'reconstruct-images' as const,
        camera: { key: `${camera}|reuse`, geometry: g, frame: 'TelescopeFrame' as const, focalLength: g.focalLength },
        cleaning: stage1Cleaning(camera),
        quality: null,
        parameters: 'all' as const,
        nImages: order.length,
        images: flat,
        peakTimes: flatPeaks,
      };
    };
    const forward = images.map((_, k) => k);
    const backward = [...forward].reverse();
    const fresh = runReconstructImages(batch(backward)).result;
    const first = runReconstructImages(batch(forward), { reuseBuffers: true });
    expect(first.transfer).toEqual([]);
    // a second batch of the same size into the same arrays: every value its own
    const second = runReconstructImages(batch(backward), { reuseBuffers: true }).result;
    expect(second.parameters).toBe(first.result.parameters);
    expect(second.parameters).toEqual(fresh.parameters);
    expect(second.pixels).toEqual(fresh.pixels);
    expect(second.pixelOffsets).toEqual(fresh.pixelOffsets);
    expect(second.status).toEqual(fresh.status);
    expect(second.pixels.length).toBe(fresh.pixelOffsets[backward.length]);
  });

  it("parameters 'hillas': the Hillas columns of the full computation, every other column NaN", () => {
    const camera = 'NectarCam';
    const g = loadCameraGeometry(camera);
    const { images, peaks } = batchOf(camera);
    const n = g.nPixels;
    const flat = new Float32Array(images.length * n);
    images.forEach((im, k) => flat.set(im, k * n));
    const run = (parameters: 'all' | 'hillas') =>
      runReconstructImages({
        kind: 'reconstruct-images',
        camera: { key: `${camera}|hillas`, geometry: g, frame: 'TelescopeFrame', focalLength: g.focalLength },
        cleaning: stage1Cleaning(camera),
        quality: null,
        parameters,
        nImages: images.length,
        images: flat.slice(),
        peakTimes:
          parameters === 'all'
            ? (() => {
                const p = new Float32Array(images.length * n);
                peaks.forEach((pk, k) => p.set(pk, k * n));
                return p;
              })()
            : null,
      }).result;
    // Hillas-only after a full batch, and again after it: the processor keeps the other groups NaN between images
    run('hillas');
    const all = run('all');
    const hillas = run('hillas');
    const columns = packedParameterColumns('TelescopeFrame');
    let compared = 0,
      failed = 0;
    for (let k = 0; k < images.length; k++) {
      if (hillas.status[k] !== IMAGE_STATUS.ok) {
        // no Hillas parameters (e.g. an empty mask): every column NaN, none left from the image before
        failed++;
        for (let j = 0; j < columns.length; j++) expect(hillas.parameters[k * N_PARAMETER_COLUMNS + j], columns[j]).toBeNaN();
      }
      if (all.status[k] !== IMAGE_STATUS.ok) continue;
      compared++;
      columns.forEach((c, j) => {
        const v = hillas.parameters[k * N_PARAMETER_COLUMNS + j];
        if (c.startsWith('hillas_')) expect(v, c).toBe(all.parameters[k * N_PARAMETER_COLUMNS + j]);
        else expect(v, c).toBeNaN();
      });
    }
    expect(compared).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });

  it('quality query: more than 2 non-zero pixels and a float32 sum above 50 p.e.', () => {
    const image = new Float32Array([30, 30, 0, 0.5, 100]);
    const scratch = new Float32Array(5);
    const q = CTAPIPE_PROCESS_IMAGE_QUALITY;
    expect(passesImageQuality(image, Int32Array.from([0, 1, 2]), 3, scratch, q)).toBe(false); // 2 non-zero
    expect(passesImageQuality(image, Int32Array.from([0, 1, 3]), 3, scratch, q)).toBe(true); // 60.5 p.e.
    expect(passesImageQuality(image, Int32Array.from([0, 2, 3]), 3, scratch, q)).toBe(false); // 30.5 p.e., 2 non-zero
    expect(passesImageQuality(new Float32Array([20, 20, 10]), Int32Array.from([0, 1, 2]), 3, scratch, q)).toBe(false); // exactly 50
  });
});
