/**
 * A recording carries what ctapipe's HDF5EventSource reads besides the
 * events: the observation and scheduling block tables, with the columns,
 * dtypes and ctapipe column attributes (field names, descriptions, units,
 * enums stored as PyTables-loadable pickles, time formats) of the sample
 * file ctapipe 0.26 wrote; its event tables carry the field names ctapipe's
 * table reader maps columns by; and the root has the CTA reference metadata
 * with every key that file has (the data model version decides whether
 * ctapipe opens a file). Values: one block per obs_id, its start the first
 * event's time in MJD (TAI), its duration to the last event, the array
 * pointing as ALTAZ, and ctapipe's UNKNOWN for what a stream cannot know.
 */
import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dl1RecordingFile } from '../../../../../src-worker/io/dl1/dl1-recording-file.js';
import { mjdTai } from '../../../../../src-worker/io/dl1/dl1-observation-tables.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('h5py', 'tables');

const SAMPLE = fileURLToPath(new URL('../../../../fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

const COMPARE = `
import sys, json, h5py, tables, warnings
warnings.simplefilter("ignore")
rec, ref = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
out = {"tables": {}}
KEYS = ("_NAME", "_DESC", "_TRANSFORM", "_UNIT", "_ENUM", "_TIME_FORMAT", "_TIME_SCALE")
def colattrs(d):
    a = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in d.attrs.items() if k.startswith("CTAFIELD_") and k.endswith(KEYS)}
    a.update({k: "MAXLEN" for k in d.attrs if k.startswith("CTAFIELD_") and k.endswith("_MAXLEN")})  # the value is the string's width
    return a
kinds = lambda d: [(n, d.dtype[n].kind, d.dtype[n].itemsize if d.dtype[n].kind != "S" else 0) for n in d.dtype.names]
for name in ["observation/observation_block", "observation/scheduling_block"]:
    a, b = rec["configuration/" + name], ref["configuration/" + name]
    out["tables"][name] = {"cols": kinds(a), "ref_cols": kinds(b), "attrs": colattrs(a), "ref_attrs": colattrs(b),
                           "rows": [[x.decode() if isinstance(x, bytes) else (None if x != x else x.item()) for x in r] for r in a[:]]}
# the event tables ctapipe reads by field name: the same names, units and time formats (descriptions may be shorter)
def named(d):
    return {k: v for k, v in colattrs(d).items() if not k.endswith("_DESC")}
for path in ["dl1/event/subarray/trigger", "dl1/event/telescope/trigger", "dl1/event/telescope/images/tel_001", "configuration/telescope/pointing/tel_001"]:
    out["tables"][path] = {"attrs": named(rec[path]), "ref_attrs": named(ref[path]), "cols": [n for n in rec[path].dtype.names], "ref_cols": [n for n in ref[path].dtype.names]}
out["root"] = sorted(k for k in rec.attrs if k.startswith("CTA "))
out["ref_root"] = sorted(k for k in ref.attrs if k.startswith("CTA "))
out["version"] = rec.attrs["CTA PRODUCT DATA MODEL VERSION"].decode()
out["ref_version"] = ref.attrs["CTA PRODUCT DATA MODEL VERSION"].decode()
out["levels"] = rec.attrs["CTA PRODUCT DATA LEVELS"].decode()
out["process"] = rec.attrs["CTA PROCESS TYPE"].decode()
# PyTables reads the tables; the enum attributes come back as the sample's do (a pickle PyTables tries to load)
f, g = tables.open_file(sys.argv[1]), tables.open_file(sys.argv[2])
ob, ob_ref = f.root.configuration.observation.observation_block, g.root.configuration.observation.observation_block
out["pytables_obs"] = [int(x) for x in ob.col("obs_id")]
out["enum_type"] = type(ob.attrs.CTAFIELD_3_ENUM).__name__
out["ref_enum_type"] = type(ob_ref.attrs.CTAFIELD_3_ENUM).__name__
print(json.dumps(out))
`;

function event(obsId: number, id: number, time: number): RawArrayEvent {
  const n = 1855;
  return { obsId, eventId: id, time, images: [{ telId: 1, image: new Float32Array(n).fill(id), peakTime: new Float32Array(n) }] };
}

describeWith([REF_PY], 'recording observation tables and reference metadata', () => {
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
      const r = JSON.parse(execFileSync(REF_PY.path, ['-c', COMPARE, path, SAMPLE], { encoding: 'utf8' }));
      for (const [name, t] of Object.entries(r.tables) as [string, { cols: unknown; ref_cols: unknown; attrs: unknown; ref_attrs: unknown }][]) {
        expect(t.cols, name).toEqual(t.ref_cols);
        expect(t.attrs, name).toEqual(t.ref_attrs);
      }
      expect(r.enum_type).toBe(r.ref_enum_type);
      expect(r.root).toEqual(r.ref_root);
      expect(r.version).toBe(r.ref_version);
      expect(r.levels).toBe('DL1_IMAGES');
      expect(r.process).toBe('Observation');
      expect(r.pytables_obs).toEqual([7, 8]);

      const [ob7, ob8] = r.tables['observation/observation_block'].rows;
      // obs_id, sb_id, producer_id, state, lat, lon, frame, scheduled duration, scheduled start, actual start, actual duration
      expect(ob7.slice(0, 7)).toEqual([7, 7, defaultSubarray.name, -1, defaultSubarray.pointing.alt, defaultSubarray.pointing.az, 0]);
      expect(ob7[7]).toBeNull(); // scheduled duration: NaN min, as ctapipe writes it
      expect(ob7[8]).toBe(0); // scheduled start: ctapipe's NAN_TIME, MJD 0
      expect(ob7[9]).toBeCloseTo(mjdTai(t0), 9);
      expect(ob7[10]).toBeCloseTo(1.5, 9);
      expect(ob8[0]).toBe(8);
      expect(ob8[10]).toBe(0);
      expect(r.tables['observation/scheduling_block'].rows).toEqual([
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
