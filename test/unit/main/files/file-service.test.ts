/**
 * The file API's DL1 handlers on the real sample: file.event gives the
 * triggered telescopes' images, peak times and masks exactly as PyTables
 * reads them, the stored Hillas parameters converted to the camera frame
 * (checked against Hillas parameters recomputed in the camera frame from the
 * stored image and mask), the simulated shower, the stored DL2 geometry and
 * the pointing; file.subarray / file.geometry come from the file; file.export
 * reports progress, writes a file PyTables reads, and a cancelled export
 * leaves no file behind.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileService } from '../../../../src-main/files/file-service.js';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import type { ExportProgressMessage } from '../../../../src-main/api/file-contract.js';
import { hillasParameters } from '../../../../src-worker/image/hillas-parameters.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));
const BLOSC = `${SAMPLES}dl1_sample_120.blosc.h5`;
const EVENT0_PY = fileURLToPath(new URL('../../worker/io/dl1/dl1-event0.py', import.meta.url));

interface PyEvent0 {
  obs_id: number;
  event_id: number;
  tel_ids: number[];
  telescopes: Record<string, { image: (number | null)[]; peak_time: (number | null)[]; image_mask: boolean[]; parameters: Record<string, number | null> }>;
  shower: Record<string, number | null>;
  geometry: Record<string, number | boolean | boolean[] | null>;
}

const py = (args: string[]) => execFileSync(REF_PY.path, args, { maxBuffer: 64 << 20, encoding: 'utf8' });

describeWith([REF_PY], 'file API: DL1 events, subarray, geometry, export', () => {
  let client: Hdf5Client;
  let files: FileService;
  let fileId: string;
  let ref: PyEvent0;
  const progress: ExportProgressMessage[] = [];
  const out = mkdtempSync(join(tmpdir(), 'lightpool-file-service-'));

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker() });
    files = new FileService({ client });
    files.on('export-progress', (m) => progress.push(m));
    fileId = (await files.handlers['file.open']({ path: BLOSC })).fileId;
    ref = JSON.parse(py([EVENT0_PY, BLOSC])) as PyEvent0;
  });
  afterAll(async () => {
    await files.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it('file.event 0 has the triggered telescopes, images, peak times and masks PyTables reads', async () => {
    const r = await files.handlers['file.event']({ fileId, index: 0 });
    expect(r.kind).toBe('dl1');
    if (r.kind !== 'dl1') return;
    const e = r.event;
    expect(e.source).toBe('file');
    expect([e.obsId, e.eventId]).toEqual([ref.obs_id, ref.event_id]);
    expect(e.fileIndex).toEqual({ fileId, index: 0, count: 120 });
    expect(e.telescopes.map((t) => t.telId)).toEqual(ref.tel_ids);
    for (const t of e.telescopes) {
      const p = ref.telescopes[String(t.telId)];
      expect(Array.from(t.image)).toEqual(p.image.map((v) => v ?? NaN));
      expect(Array.from(t.peakTime)).toEqual(p.peak_time.map((v) => v ?? NaN));
      expect(Array.from(t.mask!, (v) => v === 1)).toEqual(p.image_mask);
      if (p.parameters.hillas_psi === null) {
        // the cleaning left too few pixels: ctapipe stored NaN, the view says so
        expect(t.hillas).toBeUndefined();
        expect(t.parameterStatus).toMatch(/NaN in the file/);
      } else {
        expect(t.hillas?.intensity).toBe(p.parameters.hillas_intensity);
        expect(t.hillasSource).toBe('file');
      }
    }
    expect(e.trueShower).toEqual({
      energy: ref.shower.true_energy,
      alt: ref.shower.true_alt,
      az: ref.shower.true_az,
      coreX: ref.shower.true_core_x,
      coreY: ref.shower.true_core_y,
    });
    const g = ref.geometry;
    expect(e.reconstructed).toMatchObject({
      reconstructor: 'HillasReconstructor',
      isValid: g.HillasReconstructor_is_valid,
      alt: g.HillasReconstructor_alt,
      az: g.HillasReconstructor_az,
      coreX: g.HillasReconstructor_core_x,
      coreY: g.HillasReconstructor_core_y,
      hMax: g.HillasReconstructor_h_max,
    });
    const usedMask = g.HillasReconstructor_telescopes as boolean[];
    const allIds = (await files.handlers['file.subarray']({ fileId })).telescopes.map((t) => t.telId);
    expect(e.reconstructed?.telIds).toEqual(allIds.filter((_, j) => usedMask[j]));
    expect(e.pointing!.alt).toBeCloseTo(70, 9);
    expect(e.pointing!.az).toBeCloseTo(0, 9);
  });

  it('the stored Hillas parameters, converted to the camera frame, equal Hillas recomputed there from the stored image and mask', async () => {
    const r = await files.handlers['file.event']({ fileId, index: 0 });
    if (r.kind !== 'dl1') throw new Error('not dl1');
    let checked = 0;
    for (const t of r.event.telescopes) {
      if (!t.hillas) continue;
      const geom = await files.handlers['file.geometry']({ fileId, camera: t.camera });
      const sel = [...t.mask!.keys()].filter((i) => t.mask![i]);
      const h = hillasParameters(
        Float64Array.from(sel, (i) => geom.pixX[i]),
        Float64Array.from(sel, (i) => geom.pixY[i]),
        Float64Array.from(sel, (i) => geom.pixArea[i]),
        Float64Array.from(sel, (i) => t.image[i]),
        sel.length,
      );
      const scale = Math.hypot(h.x, h.y) + h.length;
      expect(Math.abs(t.hillas.x - h.x) / scale, `tel ${t.telId} x`).toBeLessThan(1e-6);
      expect(Math.abs(t.hillas.y - h.y) / scale, `tel ${t.telId} y`).toBeLessThan(1e-6);
      expect(t.hillas.length / h.length).toBeCloseTo(1, 6);
      expect(t.hillas.width / h.width).toBeCloseTo(1, 6);
      // the same axis (psi modulo 180°)
      const dpsi = (((t.hillas.psi - h.psi) % 180) + 180) % 180;
      expect(Math.min(dpsi, 180 - dpsi), `tel ${t.telId} psi`).toBeLessThan(1e-4);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('file.subarray and file.geometry describe the file, not the live array', async () => {
    const s = await files.handlers['file.subarray']({ fileId });
    expect(s.telescopes).toHaveLength(15);
    const cams = new Set(s.telescopes.map((t) => t.camera));
    for (const c of cams) {
      const g = await files.handlers['file.geometry']({ fileId, camera: c });
      expect(g.name).toBe(c);
      expect(g.pixX.length).toBe(g.nPixels);
    }
    await expect(files.handlers['file.geometry']({ fileId, camera: 'NoSuchCam' })).rejects.toThrow(/no geometry for camera "NoSuchCam"/);
    expect((await files.handlers['file.findEvent']({ fileId, obsId: ref.obs_id, eventId: ref.event_id })).index).toBe(0);
    await expect(files.handlers['file.event']({ fileId, index: 120 })).rejects.toThrow(/out of range.*120 events/);
  });

  it('file.export writes 3 events with progress; PyTables reads them back; existing output is refused', async () => {
    const target = join(out, 'three.h5');
    const started = await files.handlers['file.export']({ fileId, out: target, selection: { kind: 'indices', indices: [0, 1, 2] }, jobId: 'job-3' });
    expect(started).toEqual({ jobId: 'job-3', out: target });
    const end = await waitFor(() => progress.find((m) => m.jobId === 'job-3' && m.done));
    expect(end.done).toMatchObject({ ok: true });
    expect(progress.filter((m) => m.jobId === 'job-3' && m.progress).length).toBeGreaterThan(0);
    const rows = py(['-c', `import tables,sys\nwith tables.open_file(sys.argv[1]) as f: print(len(f.root.dl1.event.subarray.trigger))`, target]);
    expect(Number(rows.trim())).toBe(3);
    await expect(files.handlers['file.export']({ fileId, out: target, selection: { kind: 'indices', indices: [0] } })).rejects.toThrow(/exists already/);
    await expect(files.handlers['file.export']({ fileId, out: join(out, 'no/such/dir.h5'), selection: { kind: 'indices', indices: [0] } })).rejects.toThrow(
      /does not exist/,
    );
  });

  it('file.exportCancel stops an export and leaves no file (nor a temporary one)', async () => {
    const target = join(out, 'cancelled.h5');
    // cancelled at once, before the export's reply (its output path is still being checked): not lost
    const starting = files.handlers['file.export']({ fileId, out: target, selection: { kind: 'where', expr: 'hillas_intensity > 0' }, jobId: 'job-c' });
    expect(files.handlers['file.exportCancel']({ jobId: 'job-c' })).toEqual({ cancelled: true });
    await starting;
    const end = await waitFor(() => progress.find((m) => m.jobId === 'job-c' && m.done));
    expect(end.done).toMatchObject({ ok: false, cancelled: true });
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(out).filter((n) => n.includes('cancelled'))).toEqual([]);
    expect(files.handlers['file.exportCancel']({ jobId: 'job-c' })).toEqual({ cancelled: false });
  });
});

async function waitFor<T>(get: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
