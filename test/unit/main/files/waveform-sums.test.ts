/**
 * file.waveformSums and file.waveformLevels through the file API (HDF5 worker
 * thread): a camera's "R0" and "R1" — per pixel, r0.waveform[gain].sum(axis=-1)
 * and r1.waveform.sum(axis=-1) — for a sim_telarray file (R0 read, R1
 * calibrated by Lightpool as ctapipe does) and for ctapipe HDF5 files with /r0
 * and /r1 tables (the reference file ctapipe-process wrote, and one with
 * fixed-point R1 written by ctapipe in this test; and the HESS-1U and FlashCam
 * files and references), against numpy's .sum(axis=-1)
 * over ctapipe's /r0 and /r1 tables of the same event, computed in this run.
 *
 * Tolerance. R0 sums are of uint16 samples: exact (compared with toEqual). R1
 * sums: numpy adds float32 samples in float32 (pairwise), Lightpool in float64
 * rounded to float32 once; both differ from the exact sum by a few float32
 * roundings of the partial sums, i.e. by ~1e-7 × Σ|sample|, not × |Σ sample|
 * (a noise pixel's samples nearly cancel, so its sum can be ~0 while its
 * samples are not). So: |ours − numpy| ≤ 1e-5 × max(|numpy|, Σ|sample|), i.e.
 * 1e-5 relative to the scale the sum's rounding is made at.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileService } from '../../../../src-main/files/file-service.js';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { ctapipe as ctapipeTool, python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const H5PY = pythonTool('h5py', 'numpy');
const CTAPIPE = ctapipeTool();
const SIMTEL = fileURLToPath(new URL('../../../../test/fixtures/simtel/', import.meta.url));
const REF_PY = fileURLToPath(new URL('./waveform-sums-ref.py', import.meta.url));
const NAME = 'lst_muons_with_true_photons';
/** the sim_telarray fixtures with a ctapipe-process reference (R0 gains: LSTCam and HESS-1U two, FlashCam one) */
const CASES = [
  { name: NAME, camera: 'LSTCam', events: 3, nPixels: 1855, nSamples: 30, gains: 2 },
  { name: 'gamma_with_obslevel_particles', camera: 'HESS-1U', events: 1, nPixels: 960, nSamples: 40, gains: 2 },
  { name: 'aux_traces_2029', camera: 'FlashCam', events: 1, nPixels: 1764, nSamples: 25, gains: 1 },
];

interface RefTel {
  r1_dtype: string;
  r0_dtype: string;
  r1: number[];
  r1_abs: number[];
  r0: number[][];
}
type Ref = { obs_id: number; event_id: number; tel: Record<string, RefTel> }[];

function numpySums(h5: string): Ref {
  return JSON.parse(execFileSync(H5PY.path, [REF_PY, h5], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Ref;
}

/** how many pixels' R1 sums are off numpy's by more than 1e-5 of max(|numpy|, Σ|sample|) */
function r1Off(ours: Float32Array, ref: RefTel): { bad: number; worst: number } {
  let bad = 0;
  let worst = 0;
  ref.r1.forEach((v, p) => {
    const scale = Math.max(Math.abs(v), ref.r1_abs[p], 1e-30);
    const rel = Math.abs(ours[p] - v) / scale;
    worst = Math.max(worst, rel);
    if (!(rel <= 1e-5)) bad++;
  });
  return { bad, worst };
}

describeWith([H5PY], 'file.waveformSums: a camera showing R0 and R1, equal to numpy over ctapipe /r0 and /r1', () => {
  let files: FileService;

  beforeAll(async () => {
    files = new FileService({ client: new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 600_000 }) });
  }, 600_000);
  afterAll(async () => {
    await files.dispose();
  });

  for (const c of CASES)
    for (const kind of ['simtel.zst', 'ctapipe.dl1.h5'] as const) {
      it(`${c.name}.${kind} (${c.camera}): R0 (every gain) and R1 sums of every event equal numpy's .sum(axis=-1) of ctapipe's tables`, async () => {
        const ref = numpySums(`${SIMTEL}${c.name}.ctapipe.dl1.h5`);
        expect(ref.length).toBe(c.events);
        const f = await files.handlers['file.open']({ path: `${SIMTEL}${c.name}.${kind}` });
        const levels = await files.handlers['file.waveformLevels']({ fileId: f.fileId });
        expect(levels.r0).toMatchObject({ available: true, gains: c.gains, unit: 'ADC counts' });
        expect(levels.r1).toMatchObject({ available: true, gains: 1, unit: 'p.e.' });
        expect(levels.r0.what).toMatch(/pedestal included/);
        for (const [i, re] of ref.entries()) {
          const telIds = Object.keys(re.tel).map(Number);
          const r1 = await files.handlers['file.waveformSums']({ fileId: f.fileId, index: i, level: 'r1' });
          const hi = await files.handlers['file.waveformSums']({ fileId: f.fileId, index: i, level: 'r0' });
          const lo = await files.handlers['file.waveformSums']({ fileId: f.fileId, index: i, level: 'r0', gain: 'low', telIds });
          for (const s of c.gains > 1 ? [r1, hi, lo] : [r1, hi]) {
            expect([s.obsId, s.eventId]).toEqual([re.obs_id, re.event_id]);
            expect(s.telescopes.map((t) => t.telId)).toEqual(telIds);
            expect(s.missing).toEqual([]);
          }
          // a one-gain camera has no low gain: said, not invented
          if (c.gains === 1) {
            expect(lo.telescopes).toEqual([]);
            expect(lo.missing.map((m) => m.why)).toEqual(telIds.map(() => expect.stringMatching(/one gain only.*no low-gain R0/)));
          }
          expect([r1.unit, hi.unit, hi.gain, lo.gain, r1.gain]).toEqual(['p.e.', 'ADC counts', 'high', 'low', null]);
          for (const [k, telId] of telIds.entries()) {
            const rt = re.tel[String(telId)];
            expect(rt.r0_dtype).toBe('uint16');
            expect(rt.r0.length).toBe(c.gains);
            expect(r1.telescopes[k].camera).toBe(c.camera);
            expect(r1.telescopes[k].nSamples).toBe(c.nSamples);
            // R0: integer sums, exact
            expect(Array.from(hi.telescopes[k].sums)).toEqual(rt.r0[0]);
            if (c.gains > 1) expect(Array.from(lo.telescopes[k].sums)).toEqual(rt.r0[1]);
            const { bad, worst } = r1Off(r1.telescopes[k].sums, rt);
            expect(bad, `event ${i} tel ${telId}: R1 sums off numpy's (worst ${worst.toExponential(2)} relative)`).toBe(0);
            // the pedestal the sim_telarray R0 sums include (its calibration data); none from an HDF5 /r0 table
            if (kind === 'simtel.zst') {
              const ped = hi.telescopes[k].pedestalSums!;
              expect(ped.length).toBe(c.nPixels);
              // a pixel without light sums to about its pedestal: the median pixel is within 10 % of it
              const ratios = Array.from(hi.telescopes[k].sums, (v, p) => v / ped[p]).sort((a, b) => a - b);
              expect(Math.abs(ratios[ratios.length >> 1] - 1)).toBeLessThan(0.1);
            } else expect(hi.telescopes[k].pedestalSums).toBeNull();
          }
        }
        await files.handlers['file.close']({ fileId: f.fileId });
      }, 600_000);
    }

  it('a DL1 file without waveform tables: neither level, and why; a bad telescope or index is a clear error', async () => {
    const dl1 = await files.handlers['file.open']({
      path: fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url)),
    });
    const levels = await files.handlers['file.waveformLevels']({ fileId: dl1.fileId });
    expect(levels.r0.available || levels.r1.available).toBe(false);
    expect(levels.r0.why).toMatch(/no R0 waveforms: no \/r0\/event\/telescope\/tel_NNN tables \(ctapipe writes them with DataWriter.write_r0_waveforms\)/);
    expect(levels.r1.why).toMatch(/no R1 waveforms/);
    const ev = await files.handlers['file.event']({ fileId: dl1.fileId, index: 0 });
    const tel = ev.kind === 'dl1' ? ev.event.telescopes[0].telId : 1;
    const none = await files.handlers['file.waveformSums']({ fileId: dl1.fileId, index: 0, level: 'r1', telIds: [tel] });
    expect(none.telescopes).toEqual([]);
    expect(none.missing).toEqual([{ telId: tel, why: `no /r1/event/telescope row of telescope ${tel} in event 0` }]);
    const sim = await files.handlers['file.open']({ path: `${SIMTEL}${NAME}.simtel.zst` });
    const s = await files.handlers['file.waveformSums']({ fileId: sim.fileId, index: 0, level: 'r0', telIds: [99] });
    expect(s.missing[0].why).toMatch(/event 0 has no data of telescope 99/);
    await expect(files.handlers['file.waveformSums']({ fileId: sim.fileId, index: 3, level: 'r0' })).rejects.toThrow(/index|event 3/);
    await files.handlers['file.close']({ fileId: sim.fileId });
    await files.handlers['file.close']({ fileId: dl1.fileId });
  }, 600_000);
});

/** ctapipe-process with fixed-point R1 (int16, scale 100, offset 500); the sums of what ctapipe's read_table decodes. */
const FIXED_POINT_PY = `
import json, sys
import numpy as np
from ctapipe.core import run_tool
from ctapipe.tools.process import ProcessorTool
from ctapipe.io import read_table
src, out = sys.argv[1], sys.argv[2]
argv = [f"--input={src}", f"--output={out}", "--overwrite", "--write-images",
        "--DataWriter.write_r1_waveforms=True", "--DataWriter.write_r0_waveforms=True",
        "--DataWriter.transform_waveform=True", "--DataWriter.waveform_dtype=int16",
        "--DataWriter.waveform_scale=100", "--DataWriter.waveform_offset=500",
        "--SimTelEventSource.focal_length_choice=EQUIVALENT", "--log-level=ERROR"]
assert run_tool(ProcessorTool(), argv=argv, cwd="/tmp") == 0
r1 = read_table(out, "/r1/event/telescope/tel_001")
r0 = read_table(out, "/r0/event/telescope/tel_001")
events = []
for k in range(len(r1)):
    w1 = np.asarray(r1["waveform"][k])
    w0 = np.asarray(r0["waveform"][k])
    events.append({"r1_dtype": str(w1.dtype), "r0_dtype": str(w0.dtype),
                   "r1": w1.sum(axis=-1)[0].astype(float).tolist(), "r1_abs": np.abs(w1).sum(axis=-1)[0].astype(float).tolist(),
                   "r0": [w0[g].sum(axis=-1).astype(float).tolist() for g in range(w0.shape[0])]})
print(json.dumps(events))
`;

describeWith([CTAPIPE], 'file.waveformSums on a ctapipe file with fixed-point R1 (CTAFIELD_*_TRANSFORM_SCALE/OFFSET)', () => {
  let files: FileService;
  const dir = mkdtempSync(join(tmpdir(), 'lightpool-waveform-sums-'));
  beforeAll(async () => {
    files = new FileService({ client: new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 600_000 }) });
  }, 600_000);
  afterAll(async () => {
    await files.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('R0 and R1 sums equal numpy over what ctapipe reads back (read_table applies the transform)', async () => {
    const out = join(dir, 'lst_fixed_point.dl1.h5');
    const ref = JSON.parse(
      execFileSync(CTAPIPE.path, ['-c', FIXED_POINT_PY, `${SIMTEL}${NAME}.simtel.zst`, out], { encoding: 'utf8', maxBuffer: 256 << 20 }),
    ) as RefTel[];
    expect(ref.length).toBe(3);
    expect(ref[0].r1_dtype).toBe('float32');
    const h5 = await files.handlers['file.open']({ path: out });
    for (const [i, rt] of ref.entries()) {
      const r1 = await files.handlers['file.waveformSums']({ fileId: h5.fileId, index: i, level: 'r1', telIds: [1] });
      const { bad, worst } = r1Off(r1.telescopes[0].sums, rt);
      expect(bad, `event ${i}: R1 sums off numpy's (worst ${worst.toExponential(2)} relative)`).toBe(0);
      for (const [g, gain] of (['high', 'low'] as const).entries()) {
        const r0 = await files.handlers['file.waveformSums']({ fileId: h5.fileId, index: i, level: 'r0', gain, telIds: [1] });
        r0.telescopes[0].sums.forEach((v, p) =>
          expect(Math.abs(v - rt.r0[g][p]), `event ${i} gain ${g} pixel ${p}`).toBeLessThanOrEqual(1e-5 * Math.abs(rt.r0[g][p])),
        );
      }
    }
  }, 600_000);
});
