/**
 * sim_telarray files through the file API, read in the HDF5 worker thread:
 * `lightpool info`, file.open (the registered format), file.subarray and
 * file.geometry from the file, file.event (DL1 images, peak times, masks,
 * parameters and true images as ctapipe-process wrote them to the reference
 * .ctapipe.dl1.h5, read with h5py in the same run) and file.waveforms (R1
 * equal to ctapipe's /r1 table, charge and peak time equal to its DL1
 * image, the window the charge was summed over); and file.waveforms on the
 * ctapipe reference files themselves, which carry /r1 and /r0 tables.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileService } from '../../../../src-main/files/file-service.js';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { runInfo } from '../../../../src-main/cli/commands/info.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { ctapipe as ctapipeTool, python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const H5PY = pythonTool('h5py', 'numpy');
const SIMTEL = fileURLToPath(new URL('../../../../test/fixtures/simtel/', import.meta.url));
const REF_PY = fileURLToPath(new URL('./simtel-ref.py', import.meta.url));

interface RefTel {
  image: number[];
  peak_time: number[];
  image_mask: boolean[];
  parameters: Record<string, number | null>;
  bright: number[];
  r1: Record<string, number[]>;
  selected_gain_channel: Record<string, number>;
  true_image?: number[];
}
interface Ref {
  events: { obs_id: number; event_id: number; tel: Record<string, RefTel> }[];
  geometry: Record<string, { pix_x: number[]; pix_y: number[] }>;
}

const CASES = [
  { name: 'lst_muons_with_true_photons', camera: 'LSTCam', events: 3, trueImage: true },
  { name: 'gamma_with_obslevel_particles', camera: 'HESS-1U', events: 1, trueImage: false },
  { name: 'aux_traces_2029', camera: 'FlashCam', events: 1, trueImage: true },
];

function reference(h5: string): Ref {
  return JSON.parse(execFileSync(H5PY.path, [REF_PY, h5, '3'], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Ref;
}

/** |a - b| within `rel` of |b| (or `abs`) */
function close(a: number, b: number, rel: number, abs = 0): boolean {
  return Math.abs(a - b) <= Math.max(rel * Math.abs(b), abs);
}

describeWith([H5PY], 'sim_telarray files through the file API (HDF5 worker)', () => {
  let client: Hdf5Client;
  let files: FileService;

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 600_000 });
    files = new FileService({ client });
  }, 600_000);
  afterAll(async () => {
    await files.dispose();
  });

  it('lightpool info describes a .simtel.zst: run, telescopes and cameras, events, what the file holds', async () => {
    const text = await runInfo(`${SIMTEL}lst_muons_with_true_photons.simtel.zst`, { client });
    expect(text).toMatch(/^file: .*lst_muons_with_true_photons\.simtel\.zst/);
    expect(text).toMatch(/kind: sim_telarray \(EventIO, zstd\)/);
    expect(text).toMatch(/run: 14\n/);
    expect(text).toMatch(/events: 3\n/);
    expect(text).toMatch(/\n {2}1 +LST +LST +LSTCam +1855 +30 +2\n/);
    expect(text).toMatch(/cameras: LSTCam \(1855 hexagon pixels\)/);
    expect(text).toMatch(/true images/);
    expect(text).not.toMatch(/datasets:/);
    const gz = await runInfo(`${SIMTEL}calib_events.simtel.gz`, { client });
    expect(gz).toMatch(/kind: sim_telarray \(EventIO, gzip\)/);
    expect(gz).toMatch(/subarray: 7 telescopes/);
    expect(gz).toMatch(/SCTCam \(11328 square pixels\)/);
  }, 600_000);

  for (const c of CASES) {
    it(`${c.name}: file.open, subarray, geometry and every event's DL1 as ctapipe-process wrote it`, async () => {
      const ref = reference(`${SIMTEL}${c.name}.ctapipe.dl1.h5`);
      const open = await files.handlers['file.open']({ path: `${SIMTEL}${c.name}.simtel.zst` });
      expect(open.kind).toBe('simtel');
      expect(open.format.views[0]).toBe('event');
      expect(open.format.offers).toContain('waveforms');
      expect(open.eventCount).toBe(c.events);
      const sub = await files.handlers['file.subarray']({ fileId: open.fileId });
      expect(sub.telescopes.map((t) => t.camera)).toEqual([c.camera]);
      const geom = await files.handlers['file.geometry']({ fileId: open.fileId, camera: c.camera });
      const gref = ref.geometry[c.camera];
      expect(geom.nPixels).toBe(gref.pix_x.length);
      for (let i = 0; i < geom.nPixels; i++) {
        expect(close(geom.pixX[i], gref.pix_x[i], 0, 1e-6)).toBe(true);
        expect(close(geom.pixY[i], gref.pix_y[i], 0, 1e-6)).toBe(true);
      }
      expect(ref.events.length).toBe(c.events);
      for (let i = 0; i < c.events; i++) {
        const r = await files.handlers['file.event']({ fileId: open.fileId, index: i });
        expect(r.kind).toBe('dl1');
        if (r.kind !== 'dl1') return;
        const e = r.event;
        const re = ref.events[i];
        expect([e.obsId, e.eventId]).toEqual([re.obs_id, re.event_id]);
        expect(e.telescopes.map((t) => String(t.telId))).toEqual(Object.keys(re.tel));
        for (const t of e.telescopes) {
          const rt = re.tel[String(t.telId)];
          let bad = 0;
          for (let p = 0; p < rt.image.length; p++) {
            if (!close(t.image[p], rt.image[p], 1e-4, 1e-3)) bad++;
            if (rt.image[p] >= 1 && !close(t.peakTime[p], rt.peak_time[p], 0, 1e-3)) bad++;
          }
          expect(bad, `event ${i} tel ${t.telId}: pixels off`).toBe(0);
          expect(Array.from(t.mask!, (v) => v === 1)).toEqual(rt.image_mask);
          if (c.trueImage) expect(Array.from(t.trueImage!)).toEqual(rt.true_image);
          else expect(t.trueImage).toBeUndefined();
          if (rt.parameters.hillas_intensity !== null) {
            expect(t.hillas, 'Hillas ellipse shown').toBeDefined();
            expect(close(t.hillas!.intensity, rt.parameters.hillas_intensity, 1e-5)).toBe(true);
          }
        }
      }
      await files.handlers['file.close']({ fileId: open.fileId });
    }, 600_000);

    it(`${c.name}: file.waveforms gives ctapipe's R1, charge and peak time, and the window summed`, async () => {
      const ref = reference(`${SIMTEL}${c.name}.ctapipe.dl1.h5`);
      const sim = await files.handlers['file.open']({ path: `${SIMTEL}${c.name}.simtel.zst` });
      const h5 = await files.handlers['file.open']({ path: `${SIMTEL}${c.name}.ctapipe.dl1.h5` });
      for (let i = 0; i < c.events; i++) {
        for (const [tel, rt] of Object.entries(ref.events[i].tel)) {
          const q = { index: i, telId: Number(tel), pixels: rt.bright, r0: true };
          const w = await files.handlers['file.waveforms']({ fileId: sim.fileId, ...q });
          const wh = await files.handlers['file.waveforms']({ fileId: h5.fileId, ...q });
          expect(w.extractor).toEqual({ type: 'NeighborPeakWindowSum', windowWidth: 7, windowShift: 3 });
          expect(wh.extractor).toEqual(w.extractor);
          expect(w.samplingRateGHz).toBeGreaterThan(0);
          expect(wh.samplingRateGHz).toBe(w.samplingRateGHz);
          expect(w.hasR0 && wh.hasR0).toBe(true);
          for (const [k, p] of rt.bright.entries()) {
            for (const x of [w.pixels[k], wh.pixels[k]]) {
              expect(x.pixel).toBe(p);
              const r1 = rt.r1[String(p)];
              expect(x.r1!.length).toBe(r1.length);
              r1.forEach((v, s) => expect(close(x.r1![s], v, 1e-5, 1e-6), `pixel ${p} sample ${s}`).toBe(true));
              expect(x.charge).toBe(Math.fround(rt.image[p]));
              expect(x.peakTime).toBe(Math.fround(rt.peak_time[p]));
              expect(x.selectedGain).toBe(rt.selected_gain_channel[String(p)]);
              expect(x.r0High!.length).toBe(r1.length);
              // the window holds the peak sample of the pixel's neighbours' sum: 7 samples inside the trace
              expect(x.windowStart).toBeGreaterThanOrEqual(0);
              expect(x.windowStart! + x.windowWidth!).toBeLessThanOrEqual(w.nSamples);
              expect(x.windowWidth).toBeGreaterThan(0);
            }
            // the same window from the stored R1 as from the sim_telarray R0
            expect([wh.pixels[k].windowStart, wh.pixels[k].windowWidth]).toEqual([w.pixels[k].windowStart, w.pixels[k].windowWidth]);
            expect(Array.from(wh.pixels[k].r0High!)).toEqual(Array.from(w.pixels[k].r0High!));
            if (c.trueImage) expect(w.pixels[k].truePe).toBe(ref.events[i].tel[tel].true_image![p]);
          }
        }
      }
      await expect(files.handlers['file.waveforms']({ fileId: sim.fileId, index: 0, telId: 99, pixels: [0] })).rejects.toThrow(/no data of telescope 99/);
      await expect(
        files.handlers['file.waveforms']({ fileId: sim.fileId, index: 0, telId: Number(Object.keys(ref.events[0].tel)[0]), pixels: [1e6] }),
      ).rejects.toThrow(/out of range/);
      await files.handlers['file.close']({ fileId: sim.fileId });
      await files.handlers['file.close']({ fileId: h5.fileId });
    }, 600_000);
  }

  it('a DL1 file without waveform tables says so; a sim_telarray file has no HDF5 tree', async () => {
    const dl1 = await files.handlers['file.open']({
      path: fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url)),
    });
    const ev = await files.handlers['file.event']({ fileId: dl1.fileId, index: 0 });
    const tel = ev.kind === 'dl1' ? ev.event.telescopes[0].telId : 1;
    await expect(files.handlers['file.waveforms']({ fileId: dl1.fileId, index: 0, telId: tel, pixels: [0] })).rejects.toThrow(/no waveforms of telescope/);
    const sim = await files.handlers['file.open']({ path: `${SIMTEL}lst_muons_with_true_photons.simtel.zst` });
    await expect(files.handlers['file.tree']({ fileId: sim.fileId })).rejects.toThrow(/not HDF5/);
  }, 600_000);
});

const CTAPIPE = ctapipeTool();

/** ctapipe-process with fixed-point R1 (int16, scale 100, offset 500), and ctapipe's own reading of it back (read_table applies the transform). */
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
img = read_table(out, "/dl1/event/telescope/images/tel_001")
events = []
for k in range(len(r1)):
    image = np.asarray(img["image"][k])
    bright = np.argsort(-image, kind="stable")[:3]
    wf = np.asarray(r1["waveform"][k])
    events.append({"dtype": str(wf.dtype), "bright": bright.tolist(), "r1": {str(p): wf[0, p].astype(float).tolist() for p in bright}})
print(json.dumps(events))
`;

describeWith([CTAPIPE], 'file.waveforms on a ctapipe file with fixed-point R1 (CTAFIELD_*_TRANSFORM_SCALE/OFFSET)', () => {
  let client: Hdf5Client;
  let files: FileService;
  const dir = mkdtempSync(join(tmpdir(), 'lightpool-fixed-point-'));
  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 600_000 });
    files = new FileService({ client });
  }, 600_000);
  afterAll(async () => {
    await files.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes the int16 waveforms as ctapipe reads them back, and finds the same windows as from the sim_telarray file', async () => {
    const out = join(dir, 'lst_fixed_point.dl1.h5');
    const src = `${SIMTEL}lst_muons_with_true_photons.simtel.zst`;
    const ref = JSON.parse(execFileSync(CTAPIPE.path, ['-c', FIXED_POINT_PY, src, out], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
      dtype: string;
      bright: number[];
      r1: Record<string, number[]>;
    }[];
    expect(ref.length).toBe(3);
    expect(ref[0].dtype).toBe('float32');
    const h5 = await files.handlers['file.open']({ path: out });
    const sim = await files.handlers['file.open']({ path: src });
    for (const [i, e] of ref.entries()) {
      const q = { index: i, telId: 1, pixels: e.bright };
      const w = await files.handlers['file.waveforms']({ fileId: h5.fileId, ...q });
      const ws = await files.handlers['file.waveforms']({ fileId: sim.fileId, ...q });
      for (const [k, p] of e.bright.entries()) {
        // exactly what ctapipe decodes
        expect(Array.from(w.pixels[k].r1!)).toEqual(e.r1[String(p)].map(Math.fround));
        // and within the storage's resolution (1 / scale) of the float R1
        ws.pixels[k].r1!.forEach((v, s) => expect(Math.abs(w.pixels[k].r1![s] - v)).toBeLessThanOrEqual(0.5 / 100 + 1e-6));
        expect(w.pixels[k].charge).toBe(ws.pixels[k].charge);
        expect([w.pixels[k].windowStart, w.pixels[k].windowWidth]).toEqual([ws.pixels[k].windowStart, ws.pixels[k].windowWidth]);
      }
    }
  }, 600_000);
});
