/**
 * Recorded DL1 files: PyTables reads the trigger table and the per-telescope
 * image tables back with exactly the events written, images and peak times
 * bit-identical, times in ctao_high_res TAI; a file only appears under its
 * final name once closed, and an aborted one leaves nothing.
 */
import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dl1RecordingFile } from '../../../../../src-worker/io/dl1/dl1-recording-file.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const READ = `
import sys, json, tables, numpy as np
f = tables.open_file(sys.argv[1])
trig = f.root.dl1.event.subarray.trigger[:]
out = {"n": len(trig), "event_id": trig["event_id"].tolist(), "time": trig["time"].tolist(),
       "tels": [np.nonzero(r)[0].tolist() for r in trig["tels_with_trigger"]], "tables": {}}
for t in f.root.dl1.event.telescope.images:
    rows = t[:]
    out["tables"][t.name] = {"event_id": rows["event_id"].tolist(), "tel_id": rows["tel_id"].tolist(),
        "image_bits": [r.view(np.uint32).tolist() for r in rows["image"]],
        "peak_bits": [r.view(np.uint32).tolist() for r in rows["peak_time"]],
        "mask_any": bool(rows["image_mask"].any()), "valid": bool(rows["is_valid"].all())}
lay = f.root.configuration.instrument.subarray.layout[:]
out["layout"] = [int(x) for x in lay["tel_id"]]
print(json.dumps(out))
`;

function event(id: number, tels: number[], n = 20): RawArrayEvent {
  return {
    obsId: 3,
    eventId: id,
    time: 1_700_000_000.25 + id,
    images: tels.map((telId) => {
      const image = new Float32Array(n).map((_, i) => Math.fround(Math.sin(id * 31 + telId * 7 + i) * 50));
      const peakTime = new Float32Array(n).map((_, i) => Math.fround((id + i) % 37));
      return { telId, image, peakTime };
    }),
  };
}

describeWith([REF_PY], 'Dl1RecordingFile', () => {
  it('writes events PyTables reads back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rec-'));
    try {
      const path = join(dir, 'run.h5');
      const f = new Dl1RecordingFile(path, defaultSubarray, { chunkRows: 4 });
      const events = [event(1, [1, 2]), event(2, [2, 5, 8]), ...Array.from({ length: 9 }, (_, k) => event(3 + k, [1]))];
      for (const e of events) f.append(e);
      expect(existsSync(path)).toBe(false);
      f.close();
      expect(readdirSync(dir)).toEqual(['run.h5']);
      const r = JSON.parse(execFileSync(REF_PY.path, ['-c', READ, path], { encoding: 'utf8' }));
      expect(r.n).toBe(events.length);
      expect(r.event_id).toEqual(events.map((e) => e.eventId));
      expect(r.time[0]).toEqual([1_700_000_038, 1e9]); // UTC 1.7e9 + 1.25 s -> TAI + 37 s, quarter ns
      expect(r.tels[1]).toEqual([1, 4, 7]); // tel 2, 5, 8 at indices 1, 4, 7 of the subarray
      expect(r.layout).toEqual(defaultSubarray.telescopes.map((t) => t.telId));
      const tel1 = r.tables.tel_001;
      const sent1 = events.filter((e) => e.images.some((i) => i.telId === 1));
      expect(tel1.event_id).toEqual(sent1.map((e) => e.eventId));
      sent1.forEach((e, k) => {
        const img = e.images.find((i) => i.telId === 1)!;
        expect(tel1.image_bits[k]).toEqual([...new Uint32Array(img.image.buffer)]);
        expect(tel1.peak_bits[k]).toEqual([...new Uint32Array(img.peakTime.buffer)]);
      });
      expect(tel1.mask_any).toBe(false);
      expect(tel1.valid).toBe(true);
      expect(Object.keys(r.tables).sort()).toEqual(['tel_001', 'tel_002', 'tel_005', 'tel_008']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('abort leaves no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rec-'));
    try {
      const f = new Dl1RecordingFile(join(dir, 'x.h5'), defaultSubarray);
      f.append(event(1, [1]));
      f.abort();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
