/**
 * A recording carries what ctapipe's HDF5EventSource reads besides the
 * events: the observation and scheduling block tables, with the columns,
 * dtypes and ctapipe column attributes (units, enums, time formats) of the
 * sample file ctapipe 0.26 wrote, and the root's CTA reference metadata
 * with every key that file has (the data model version decides whether
 * ctapipe opens a file). Values: one block per obs_id, its start the first
 * event's time in MJD (TAI), its duration to the last event, the array
 * pointing as ALTAZ, and ctapipe's UNKNOWN for what a stream cannot know.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dl1RecordingFile } from '../../../../src-worker/live/dl1-recording-file.js';
import { mjdTai } from '../../../../src-worker/live/dl1-observation-tables.js';
import { defaultSubarray } from '../../../../src-worker/simulation/default-subarray.js';
import type { RawArrayEvent } from '../../../../src-worker/live/live-types.js';

const SAMPLE = fileURLToPath(new URL('../../../../../shared/data/samples/dl1_sample_120.zlib.h5', import.meta.url));

const COMPARE = `
import sys, json, h5py, tables, warnings
warnings.simplefilter("ignore")
rec, ref = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
out = {"tables": {}}
KEYS = ("_TRANSFORM", "_UNIT", "_ENUM", "_TIME_FORMAT", "_TIME_SCALE")
def colattrs(d):
    return {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in d.attrs.items() if k.startswith("CTAFIELD_") and k.endswith(KEYS)}
for name in ["observation_block", "scheduling_block"]:
    a, b = rec["configuration/observation/" + name], ref["configuration/observation/" + name]
    kinds = lambda d: [(n, d.dtype[n].kind, d.dtype[n].itemsize if d.dtype[n].kind != "S" else 0) for n in d.dtype.names]
    out["tables"][name] = {"cols": kinds(a), "ref_cols": kinds(b), "attrs": colattrs(a), "ref_attrs": colattrs(b),
                           "rows": [[x.decode() if isinstance(x, bytes) else (None if x != x else x.item()) for x in r] for r in a[:]]}
out["root"] = sorted(k for k in rec.attrs if k.startswith("CTA "))
out["ref_root"] = sorted(k for k in ref.attrs if k.startswith("CTA "))
out["version"] = rec.attrs["CTA PRODUCT DATA MODEL VERSION"].decode()
out["ref_version"] = ref.attrs["CTA PRODUCT DATA MODEL VERSION"].decode()
out["levels"] = rec.attrs["CTA PRODUCT DATA LEVELS"].decode()
out["process"] = rec.attrs["CTA PROCESS TYPE"].decode()
# PyTables reads the tables (the enum columns' pickled classes need ctapipe; the values do not)
f = tables.open_file(sys.argv[1])
out["pytables_obs"] = [int(x) for x in f.root.configuration.observation.observation_block.col("obs_id")]
print(json.dumps(out))
`;

function event(obsId: number, id: number, time: number): RawArrayEvent {
  const n = 1855;
  return { obsId, eventId: id, time, images: [{ telId: 1, image: new Float32Array(n).fill(id), peakTime: new Float32Array(n) }] };
}

describe('recording observation tables and reference metadata', () => {
  it("match ctapipe's own file in layout and attributes, with the recording's values", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-obs-'));
    try {
      const path = join(dir, 'rec.h5');
      const f = new Dl1RecordingFile(path, defaultSubarray);
      const t0 = 1_763_700_000.5;
      f.append(event(7, 1, t0));
      f.append(event(7, 2, t0 + 30));
      f.append(event(8, 1, t0 + 100));
      f.append(event(7, 3, t0 + 90)); // obs 7 runs from t0 to t0 + 90 s
      f.close();
      const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', COMPARE, path, SAMPLE], { encoding: 'utf8' }));
      for (const name of ['observation_block', 'scheduling_block']) {
        const t = r.tables[name];
        expect(t.cols, name).toEqual(t.ref_cols);
        expect(t.attrs, name).toEqual(t.ref_attrs);
      }
      expect(r.root).toEqual(r.ref_root);
      expect(r.version).toBe(r.ref_version);
      expect(r.levels).toBe('DL1_IMAGES');
      expect(r.process).toBe('Observation');
      expect(r.pytables_obs).toEqual([7, 8]);

      const [ob7, ob8] = r.tables.observation_block.rows;
      // obs_id, sb_id, producer_id, state, lat, lon, frame, scheduled duration, scheduled start, actual start, actual duration
      expect(ob7.slice(0, 7)).toEqual([7, 7, defaultSubarray.name, -1, defaultSubarray.pointing.alt, defaultSubarray.pointing.az, 0]);
      expect(ob7[7]).toBeNull();
      expect(ob7[8]).toBeNull();
      expect(ob7[9]).toBeCloseTo(mjdTai(t0), 9);
      expect(ob7[10]).toBeCloseTo(1.5, 9);
      expect(ob8[0]).toBe(8);
      expect(ob8[10]).toBe(0);
      expect(r.tables.scheduling_block.rows).toEqual([
        [7, -1, defaultSubarray.name, -1, -1],
        [8, -1, defaultSubarray.name, -1, -1],
      ]);
      // MJD in TAI: 37 leap seconds after the Unix epoch's MJD 40587
      expect(mjdTai(0)).toBeCloseTo(40587 + 37 / 86400, 12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
