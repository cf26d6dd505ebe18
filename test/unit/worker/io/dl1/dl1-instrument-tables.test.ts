/**
 * A recorded file is a complete DL1 file: PyTables finds ctapipe's
 * instrument tables with the sample file's column names and dtypes kinds
 * (layout, optics, geometry_I, readout_I, per-telescope pointing) and the
 * telescope trigger table, the
 * geometry rows equal the shipped camera geometry, and Lightpool's own
 * FileService opens the recording and returns event 0 with the recorded
 * images and peak times bit for bit, its cameras and the pointing.
 */
import { afterAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dl1RecordingFile } from '../../../../../src-worker/io/dl1/dl1-recording-file.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import { loadCameraGeometry } from '../../../../../src-worker/io/assets/load-camera-geometry.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import { FileService } from '../../../../../src-main/files/file-service.js';
import { Hdf5Client } from '../../../../../src-main/files/hdf5-client.js';
import { buildHdf5Worker } from '../../../main/files/build-hdf5-worker.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const SAMPLE = fileURLToPath(new URL('../../../../fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

const READ = `
import sys, json, tables, numpy as np
def desc(t):
    return {"names": list(t.dtype.names), "kinds": [t.dtype[n].kind for n in t.dtype.names], "rows": int(t.nrows),
            "attrs": {k: (t.attrs[k].decode() if isinstance(t.attrs[k], bytes) else t.attrs[k].item() if hasattr(t.attrs[k], "item") else t.attrs[k])
                      for k in t.attrs._v_attrnames if not k.startswith("FIELD_") and k not in ("CLASS", "VERSION", "TITLE")}}
out = {}
for which, path in (("rec", sys.argv[1]), ("sample", sys.argv[2])):
    f = tables.open_file(path)
    cam = f.root.configuration.instrument.telescope.camera
    o = {"layout": desc(f.root.configuration.instrument.subarray.layout),
         "optics": desc(f.root.configuration.instrument.telescope.optics),
         "geometry": desc(cam.geometry_0 if which == "rec" else cam.geometry_2),
         "readout": desc(cam.readout_0 if which == "rec" else cam.readout_2),
         "pointing": desc(f.root.configuration.telescope.pointing.tel_001),
         "teltrigger": desc(f.root.dl1.event.telescope.trigger),
         "cameras": sorted(n._v_name for n in cam)}
    if which == "rec":
        lay = f.root.configuration.instrument.subarray.layout[:]
        o["layout_rows"] = [[int(r["tel_id"]), r["name"].decode(), r["type"].decode(), r["camera_name"].decode(), r["optics_name"].decode(),
                             int(r["camera_index"]), int(r["optics_index"]), r["tel_description"].decode(), float(r["pos_x"])] for r in lay]
        opt = f.root.configuration.instrument.telescope.optics[:]
        o["optics_rows"] = [[r["optics_name"].decode(), r["size_type"].decode(), float(r["equivalent_focal_length"]), float(r["effective_focal_length"])] for r in opt]
        g = cam.geometry_0[:]
        o["pix_x"] = g["pix_x"].tolist(); o["pix_y"] = g["pix_y"].tolist(); o["pix_area"] = g["pix_area"].tolist(); o["pix_id"] = g["pix_id"].tolist()
        tt = f.root.dl1.event.telescope.trigger[:]
        st = {int(r["event_id"]): r["time"].tolist() for r in f.root.dl1.event.subarray.trigger[:]}
        o["teltrigger_rows"] = [[int(r["event_id"]), int(r["tel_id"]), r["time"].tolist() == st[int(r["event_id"])], int(r["n_trigger_pixels"])] for r in tt]
        p = f.root.configuration.telescope.pointing.tel_005[:]
        o["pointing_rows"] = [[int(r["obs_id"]), int(r["tel_id"]), float(r["telescope_pointing_altitude"]), float(r["telescope_pointing_azimuth"])] for r in p]
    out[which] = o
    f.close()
print(json.dumps(out, default=lambda o: o.item() if hasattr(o, "item") else o.decode() if isinstance(o, bytes) else str(o)).replace("NaN", "null"))
`;

function event(id: number, obsId: number, tels: number[]): RawArrayEvent {
  return {
    obsId,
    eventId: id,
    time: 1_700_000_000.5 + id,
    images: tels.map((telId) => {
      const image = new Float32Array(1855).map((_, i) => Math.fround(Math.cos(id * 13 + telId * 5 + i) * 40));
      const peakTime = new Float32Array(1855).map((_, i) => Math.fround(((id + telId + i) % 29) + 0.25));
      return { telId, image, peakTime };
    }),
  };
}

describeWith([REF_PY], 'recorded files carry the instrument description', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-rec-instr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'run.h5');
  const events = [event(7, 4, [1, 3, 6]), event(8, 4, [2, 5]), event(9, 5, [4, 7, 8])];

  it('has ctapipe layout, optics, geometry, readout and pointing tables (PyTables)', () => {
    const f = new Dl1RecordingFile(path, defaultSubarray);
    for (const e of events) f.append(e);
    f.close();
    expect(f.missingGeometries).toEqual([]);
    const r = JSON.parse(execFileSync(REF_PY.path, ['-c', READ, path, SAMPLE], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const { rec, sample } = r;
    // same columns, in the same order, with the same dtype kinds as ctapipe's own file
    for (const t of ['layout', 'optics', 'geometry', 'readout', 'pointing', 'teltrigger']) {
      expect(rec[t].names, t).toEqual(sample[t].names);
      expect(rec[t].kinds, t).toEqual(sample[t].kinds);
    }
    // the metadata ctapipe reads the tables by
    for (const k of ['TAB_TYPE', 'TAB_VER', 'ORIGIN']) expect(rec.layout.attrs[k]).toBe(sample.layout.attrs[k]);
    for (const k of ['TAB_TYPE', 'TAB_VER', 'CTAFIELD_1_UNIT', 'CTAFIELD_2_UNIT', 'CTAFIELD_3_UNIT'])
      expect(rec.geometry.attrs[k]).toBe(sample.geometry.attrs[k]);
    for (const k of ['TAB_TYPE', 'TAB_VER']) {
      expect(rec.readout.attrs[k]).toBe(sample.readout.attrs[k]);
      expect(rec.optics.attrs[k]).toBe(sample.optics.attrs[k]);
    }
    expect(rec.layout.attrs.CTAFIELD_3_UNIT).toBe('m');
    expect(rec.optics.attrs.CTAFIELD_6_UNIT).toBe('m');
    expect(rec.pointing.attrs.CTAFIELD_2_UNIT).toBe('rad');
    expect(rec.cameras).toEqual(['geometry_0', 'geometry_1', 'readout_0', 'readout_1']);

    // the subarray as announced, in ctapipe's vocabulary
    expect(rec.layout.rows).toBe(8);
    expect(rec.layout_rows[0]).toEqual([1, 'LST', 'LST', 'LSTCam', 'LST', 0, 0, 'LST_LST_LSTCam', -70]);
    expect(rec.layout_rows[4]).toEqual([5, 'MST', 'MST', 'NectarCam', 'MST', 1, 1, 'MST_MST_NectarCam', -190]);
    expect(rec.optics_rows).toEqual([
      ['LST', 'LST', 28, 28],
      ['MST', 'MST', 16, 16],
    ]);

    // geometry_0 is the shipped LSTCam geometry
    const g = loadCameraGeometry('LSTCam');
    expect(rec.geometry.rows).toBe(g.nPixels);
    expect(rec.geometry.attrs.CAM_ID).toBe('LSTCam');
    expect(rec.geometry.attrs.PIX_TYPE).toBe('hexagon');
    expect(rec.geometry.attrs.PIX_ROT).toBeCloseTo(g.pixRotation, 12);
    expect(rec.pix_x).toEqual(Array.from(g.pixX));
    expect(rec.pix_y).toEqual(Array.from(g.pixY));
    expect(rec.pix_area).toEqual(Array.from(g.pixArea));
    expect(rec.pix_id).toEqual(Array.from(g.pixId));
    expect(rec.readout.attrs.NPIXELS).toBe(1855);
    expect(rec.readout.attrs.CAM_ID).toBe('LSTCam');

    // the telescope trigger table: one row per image, the event's time
    expect(rec.teltrigger_rows).toEqual(events.flatMap((e) => e.images.map((i) => [e.eventId, i.telId, true, -1])));
    expect(rec.teltrigger.attrs.CTAFIELD_3_TIME_FORMAT).toBe(sample.teltrigger.attrs.CTAFIELD_3_TIME_FORMAT);

    // pointing per telescope and obs_id, rad
    expect(rec.pointing_rows).toEqual([
      [4, 5, (70 * Math.PI) / 180, 0],
      [5, 5, (70 * Math.PI) / 180, 0],
    ]);
  });

  it("Lightpool's FileService opens the recording: event 0 with the recorded images, cameras and pointing", async () => {
    const client = new Hdf5Client({ workerPath: await buildHdf5Worker() });
    const files = new FileService({ client });
    try {
      const opened = await files.handlers['file.open']({ path });
      const r = await files.handlers['file.event']({ fileId: opened.fileId, index: 0 });
      expect(r.kind).toBe('dl1');
      if (r.kind !== 'dl1') return;
      const e = r.event;
      expect([e.obsId, e.eventId]).toEqual([4, 7]);
      expect(e.fileIndex?.count).toBe(events.length);
      expect(e.telescopes.map((t) => t.telId)).toEqual([1, 3, 6]);
      for (const t of e.telescopes) {
        const sent = events[0].images.find((i) => i.telId === t.telId)!;
        expect(Buffer.from(t.image.buffer, t.image.byteOffset, t.image.byteLength).equals(Buffer.from(sent.image.buffer))).toBe(true);
        expect(Buffer.from(t.peakTime.buffer, t.peakTime.byteOffset, t.peakTime.byteLength).equals(Buffer.from(sent.peakTime.buffer))).toBe(true);
      }
      expect(e.pointing!.alt).toBeCloseTo(70, 9);
      expect(e.pointing!.az).toBeCloseTo(0, 9);
      const sub = await files.handlers['file.subarray']({ fileId: opened.fileId });
      expect(sub.telescopes.map((t) => t.telId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const geom = await files.handlers['file.geometry']({ fileId: opened.fileId, camera: 'NectarCam' });
      expect(geom.nPixels).toBe(1855);
      expect(Array.from(geom.pixX)).toEqual(Array.from(loadCameraGeometry('NectarCam').pixX));
    } finally {
      await files.dispose();
    }
  }, 60_000);
});
