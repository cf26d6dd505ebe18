/**
 * The DL1 reader on the two real sample files (Blosc/zstd and zlib): every
 * table reads to identical bytes from both, and event 0 equals what PyTables
 * (/usr/bin/python3 + tables) reads from each file in the same run.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../src-worker/io/hdf5/table-reader.js';
import { Dl1Reader } from '../../../../../src-worker/io/dl1/dl1-reader.js';
import type { ScalarRecord } from '../../../../../src-worker/io/dl1/dl1-types.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const SAMPLES = fileURLToPath(new URL('../../../../../test/fixtures/samples/', import.meta.url));
const BLOSC = `${SAMPLES}dl1_sample_120.blosc.h5`;
const ZLIB = `${SAMPLES}dl1_sample_120.zlib.h5`;
const PY = fileURLToPath(new URL('./dl1-event0.py', import.meta.url));

interface PyEvent0 {
  obs_id: number;
  event_id: number;
  time: number[];
  event_type: number;
  tel_ids: number[];
  telescopes: Record<
    string,
    {
      image: (number | null)[];
      peak_time: (number | null)[];
      image_mask: boolean[];
      is_valid: boolean;
      parameters: Record<string, number | boolean | string | null>;
      true_image: number[];
    }
  >;
  layout: { tel_id: number[]; pos_x: number[]; camera_name: string[] };
  optics: { name: string[]; effective_focal_length: number[]; equivalent_focal_length: number[] };
  geometries: Record<string, { pix_x: number[]; pix_y: number[]; pix_area: number[]; pix_type: string; pix_rot: number }>;
  shower: Record<string, number | null>;
  geometry: Record<string, number | boolean | null>;
}

function python(file: string): PyEvent0 {
  return JSON.parse(execFileSync(REF_PY.path, [PY, file], { maxBuffer: 64 << 20, encoding: 'utf8' })) as PyEvent0;
}

/** null in the Python JSON is NaN. */
function same(a: ArrayLike<number> | undefined, b: (number | null)[]) {
  expect(a).toBeDefined();
  expect(a!.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    const x = a![i];
    const y = b[i];
    if (y === null) expect(Number.isNaN(x), `element ${i}`).toBe(true);
    else if (x !== y) expect(x, `element ${i}`).toBe(y);
  }
}

function sameRecord(ours: ScalarRecord | undefined, theirs: Record<string, number | boolean | string | null>) {
  expect(ours).toBeDefined();
  for (const [k, v] of Object.entries(theirs)) {
    const x = ours![k];
    if (v === null) expect(Number.isNaN(x as number), k).toBe(true);
    else expect(x, k).toEqual(v);
  }
  expect(Object.keys(ours!).sort()).toEqual(Object.keys(theirs).sort());
}

function allDatasets(f: H5File, path = '/'): string[] {
  const out: string[] = [];
  for (const k of f.keys(path)) {
    const p = path === '/' ? `/${k}` : `${path}/${k}`;
    const kind = f.kindOf(p);
    if (kind === 'group') out.push(...allDatasets(f, p));
    else if (kind === 'dataset') out.push(p);
  }
  return out;
}

describeWith([REF_PY], 'DL1 reader on the sample files', () => {
  let blosc: H5File;
  let zlib: H5File;
  beforeAll(async () => {
    blosc = await H5File.open(BLOSC);
    zlib = await H5File.open(ZLIB);
  });
  afterAll(() => {
    blosc?.close();
    zlib?.close();
  });

  it('reads the same bytes for every table of the Blosc and zlib files', () => {
    const paths = allDatasets(blosc);
    expect(paths.length).toBeGreaterThan(100);
    expect(allDatasets(zlib)).toEqual(paths);
    expect(blosc.dataset('/dl1/event/telescope/images/tel_001').filters.map((f) => f.id)).toContain(32001);
    expect(zlib.dataset('/dl1/event/telescope/images/tel_001').filters.map((f) => f.id)).toContain(1);
    let rows = 0;
    for (const p of paths) {
      const a = new TableReader(blosc, p, new ChunkCache());
      const b = new TableReader(zlib, p, new ChunkCache());
      expect(b.nRows, p).toBe(a.nRows);
      const ra = a.rawRows(0, a.nRows);
      const rb = b.rawRows(0, b.nRows);
      expect(Buffer.compare(Buffer.from(ra), Buffer.from(rb)), p).toBe(0);
      rows += a.nRows;
    }
    expect(rows).toBeGreaterThan(3000);
  });

  for (const [label, file] of [
    ['blosc', BLOSC],
    ['zlib', ZLIB],
  ] as const) {
    it(`event 0 of the ${label} file equals PyTables' reading`, async () => {
      const ref = python(file);
      const f = await H5File.open(file);
      try {
        const r = new Dl1Reader(f);
        expect(r.nEvents).toBe(120);
        // subarray, optics and camera geometries
        expect(r.subarray.telescopes.map((t) => t.telId)).toEqual(ref.layout.tel_id);
        expect(r.subarray.telescopes.map((t) => t.posX)).toEqual(ref.layout.pos_x);
        expect(r.subarray.telescopes.map((t) => t.cameraName)).toEqual(ref.layout.camera_name);
        expect(r.subarray.optics.map((o) => o.name)).toEqual(ref.optics.name);
        expect(r.subarray.optics.map((o) => o.effectiveFocalLength)).toEqual(ref.optics.effective_focal_length);
        expect(r.subarray.optics.map((o) => o.equivalentFocalLength)).toEqual(ref.optics.equivalent_focal_length);
        expect(Object.keys(r.subarray.cameras).sort()).toEqual(Object.keys(ref.geometries).sort());
        for (const [name, g] of Object.entries(ref.geometries)) {
          const ours = r.subarray.cameras[name];
          same(ours.pixX, g.pix_x);
          same(ours.pixY, g.pix_y);
          same(ours.pixArea, g.pix_area);
          expect(ours.pixType).toBe(g.pix_type);
          expect(ours.pixRotation).toBe(g.pix_rot);
        }
        const lst = r.subarray.cameras.LSTCam;
        expect(lst.effectiveFocalLength).toBe(ref.optics.effective_focal_length[ref.optics.name.indexOf('LST')]);

        // event 0
        const ev = r.event(0);
        expect(ev.obsId).toBe(ref.obs_id);
        expect(ev.eventId).toBe(ref.event_id);
        expect([ev.timeS, ev.timeQns]).toEqual(ref.time);
        expect(ev.eventType).toBe(ref.event_type);
        expect(ev.telIds).toEqual(ref.tel_ids);
        expect(ev.telescopes.map((t) => t.telId)).toEqual(ref.tel_ids);
        for (const te of ev.telescopes) {
          const rt = ref.telescopes[String(te.telId)];
          same(te.image, rt.image);
          same(te.peakTime, rt.peak_time);
          expect(Array.from(te.imageMask!, (v) => v === 1)).toEqual(rt.image_mask);
          expect(te.isValid).toBe(rt.is_valid);
          sameRecord(te.parameters, rt.parameters);
          same(te.trueImage, rt.true_image);
          expect(te.image!.length).toBe(r.subarray.cameras[te.cameraName].nPixels);
        }
        sameRecord(ev.shower, ref.shower);
        sameRecord(ev.geometry!.HillasReconstructor, ref.geometry);
        // random access by (obs_id, event_id) finds the same event
        expect(r.findEvent(ref.obs_id, ref.event_id)).toBe(0);
      } finally {
        f.close();
      }
    });
  }

  it('steps through every event, each telescope row matching its event', async () => {
    const r = new Dl1Reader(blosc, new ChunkCache());
    let images = 0;
    for (let i = 0; i < r.nEvents; i++) {
      const ev = r.event(i, { parameters: false, simulation: false, dl2: false });
      for (const te of ev.telescopes) {
        expect(te.image, `event ${i} tel ${te.telId}`).toBeDefined();
        images++;
      }
    }
    expect(images).toBe(498); // rows of /dl1/event/telescope/trigger
    // the cache made stepping decompress each chunk about once
    expect(r.cache.hits).toBeGreaterThan(r.cache.misses);
  });

  it('gives a clear error for an event index out of range', () => {
    const r = new Dl1Reader(blosc, new ChunkCache());
    expect(() => r.event(120)).toThrow(/event index 120 out of range \(the file has 120 events\)/);
  });
});
