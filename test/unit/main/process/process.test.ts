import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.js';
import { parseProcessConfig, defaultProcessSettings, ProcessConfigError } from '../../../../src-main/process/process-config.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

/**
 * `lightpool process` on ctapipe's own DL1 file: the masks, parameters and
 * stereo geometry it writes must be ctapipe's (stored in the same file),
 * compared by PyTables (compare-process.py).
 */

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const SAMPLE = join(here, '../../../../test/fixtures/samples/dl1_sample_120.blosc.h5');

let cli: string;
let dir: string;

beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'lightpool-process-'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Comparison {
  masks: { identical: number; total: number };
  parameters: { rows: number; rows_ok: number; values: number; bad: unknown[] };
  degenerate_timing: { table: string; row: number }[];
  nan_rows: { ours: number; ctapipe: number; same: boolean };
  columns_same: boolean;
  copied_same: boolean;
  stereo: {
    events: number;
    valid_ctapipe: number;
    valid_ours: number;
    validity_same: boolean;
    telescopes_same: boolean;
    max_direction_deg: number;
    max_core_m: number;
    max_h_max_m: number;
    invalid_all_nan: boolean;
  };
  impact_tel_001_max_m: number;
  impact_nan_same: boolean;
}

describeWith([REF_PY], 'lightpool process', () => {
  it('reproduces the masks, parameters and stereo geometry ctapipe stored in the sample DL1 file', async () => {
    const out = join(dir, 'p.h5');
    const { stdout, stderr } = await run(process.execPath, [cli, 'process', SAMPLE, '--out', out], { maxBuffer: 16 << 20 });
    expect(stdout).toMatch(/498 images of 120 events/);
    expect(stderr).toMatch(/images 498\/498 \(100%\), \d+ images\/s/);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const { stdout: json } = await run(REF_PY.path, [join(here, 'compare-process.py'), SAMPLE, out], { maxBuffer: 16 << 20 });
    const c = JSON.parse(json) as Comparison;
    console.log(
      `process vs ctapipe: masks ${c.masks.identical}/${c.masks.total} identical, parameter rows ${c.parameters.rows_ok}/${c.parameters.rows} within tolerance ` +
        `(${c.degenerate_timing.length} degenerate 3-pixel timing fits), stereo max direction ${c.stereo.max_direction_deg.toExponential(2)} deg, ` +
        `core ${c.stereo.max_core_m.toExponential(2)} m, h_max ${c.stereo.max_h_max_m.toExponential(2)} m`,
    );
    expect(c.masks.total).toBe(498);
    expect(c.masks.identical).toBe(c.masks.total);
    expect(c.parameters.bad).toEqual([]);
    expect(c.parameters.rows_ok).toBe(c.parameters.rows);
    expect(c.parameters.rows).toBe(498);
    // the only accepted timing difference is ctapipe's ill-posed 3-pixel case, and it is rare
    expect(c.degenerate_timing.length).toBeLessThanOrEqual(2);
    expect(c.nan_rows.same).toBe(true);
    expect(c.nan_rows.ctapipe).toBeGreaterThan(0);
    expect(c.columns_same).toBe(true);
    expect(c.copied_same).toBe(true);
    expect(c.stereo.events).toBe(120);
    expect(c.stereo.validity_same).toBe(true);
    expect(c.stereo.valid_ours).toBe(70);
    expect(c.stereo.telescopes_same).toBe(true);
    expect(c.stereo.max_direction_deg).toBeLessThan(1e-3);
    expect(c.stereo.max_direction_deg).toBeLessThan(1e-9);
    expect(c.stereo.max_core_m).toBeLessThan(1e-6);
    expect(c.stereo.invalid_all_nan).toBe(true);
    expect(c.impact_nan_same).toBe(true);
    expect(c.impact_tel_001_max_m).toBeLessThan(1e-6);
  }, 120_000);

  it('writes ctapipe-layout parameter, geometry and impact tables for an input that has none (DL1 images only)', async () => {
    const input = join(dir, 'images-only.h5');
    const out = join(dir, 'images-only-p.h5');
    const strip = `
import shutil, sys, tables
shutil.copy(sys.argv[1], sys.argv[2])
with tables.open_file(sys.argv[2], 'a') as f:
    f.remove_node('/dl2', recursive=True)
    f.remove_node('/dl1/event/telescope/parameters', recursive=True)
`;
    await run(REF_PY.path, ['-c', strip, SAMPLE, input]);
    await run(process.execPath, [cli, 'process', input, '--out', out, '--quiet']);
    const check = `
import json, sys, numpy as np, tables
a = tables.open_file(sys.argv[1]); b = tables.open_file(sys.argv[2])
res = {"differ": [], "columns": 0}
for t in ("tel_001", "tel_005", "tel_009", "tel_012"):
    pa = a.get_node("/dl1/event/telescope/parameters/" + t).read()
    pb = b.get_node("/dl1/event/telescope/parameters/" + t).read()
    for c in pa.dtype.names:
        res["columns"] += 1
        if pb.dtype[c] != pa.dtype[c] or not np.allclose(pa[c].astype(float), pb[c].astype(float), rtol=1e-5, atol=1e-9, equal_nan=True):
            res["differ"].append(t + ":" + c)
P = "HillasReconstructor_"
ga = a.root.dl2.event.subarray.geometry.HillasReconstructor.read()
gb = b.root.dl2.event.subarray.geometry.HillasReconstructor.read()
res["valid_same"] = bool(np.array_equal(ga[P + "is_valid"], gb[P + "is_valid"]))
res["telescopes_same"] = bool(np.array_equal(ga[P + "telescopes"], gb[P + "telescopes"]))
res["alt_max"] = float(np.nanmax(np.abs(ga[P + "alt"] - gb[P + "alt"])))
ia = a.root.dl2.event.telescope.impact.HillasReconstructor.tel_003.read()
ib = b.root.dl2.event.telescope.impact.HillasReconstructor.tel_003.read()
res["impact_same"] = bool(np.allclose(ia[P + "tel_impact_distance"], ib[P + "tel_impact_distance"], rtol=1e-9, equal_nan=True))
print(json.dumps(res))
`;
    const { stdout } = await run(REF_PY.path, ['-c', check, SAMPLE, out]);
    const r = JSON.parse(stdout) as { differ: string[]; columns: number; valid_same: boolean; telescopes_same: boolean; alt_max: number; impact_same: boolean };
    expect(r.columns).toBe(4 * 45);
    expect(r.differ).toEqual([]);
    expect(r.valid_same).toBe(true);
    expect(r.telescopes_same).toBe(true);
    expect(r.alt_max).toBeLessThan(1e-9);
    expect(r.impact_same).toBe(true);
  }, 120_000);

  it('applies a JSON cleaning config (looser cleaning: more pixels survive)', async () => {
    const cfg = join(dir, 'loose.json');
    writeFileSync(cfg, JSON.stringify({ cleaning: { default: { picture_thresh: 5, boundary_thresh: 2.5, min_number_picture_neighbors: 1 } }, image_quality: null }));
    const out = join(dir, 'loose.h5');
    await run(process.execPath, [cli, 'process', SAMPLE, '--out', out, '--config', cfg, '--quiet']);
    const py = `
import tables, numpy as np, sys
a = tables.open_file(sys.argv[1]); b = tables.open_file(sys.argv[2])
na = sum(int(n.read()['image_mask'].sum()) for n in a.iter_nodes('/dl1/event/telescope/images'))
nb = sum(int(n.read()['image_mask'].sum()) for n in b.iter_nodes('/dl1/event/telescope/images'))
print(na, nb, b.root._v_attrs.LIGHTPOOL_PROCESS_SETTINGS)
`;
    const { stdout } = await run(REF_PY.path, ['-c', py, SAMPLE, out]);
    const [stage1, loose, ...settings] = stdout.trim().split(' ');
    expect(Number(loose)).toBeGreaterThan(Number(stage1));
    expect(settings.join(' ')).toContain('LSTCam: tailcuts 5/2.5 p.e., min 1 picture neighbours');
    expect(settings.join(' ')).toContain('no image quality query');
  }, 120_000);

  it('refuses to overwrite, and says what is wrong with a config', async () => {
    const out = join(dir, 'exists.h5');
    writeFileSync(out, 'x');
    await expect(run(process.execPath, [cli, 'process', SAMPLE, '--out', out])).rejects.toMatchObject({ stderr: expect.stringMatching(/exists already.*--force/) });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ cleaning: { LSTCam: { picture_thresh: 'high' } } }));
    await expect(run(process.execPath, [cli, 'process', SAMPLE, '--out', join(dir, 'never.h5'), '--config', bad])).rejects.toMatchObject({
      stderr: expect.stringMatching(/bad\.json: invalid config: cleaning\.LSTCam\.picture_thresh/),
    });
    expect(existsSync(join(dir, 'never.h5'))).toBe(false);
  }, 60_000);

  it('Ctrl-C leaves no output and no temporary file', async () => {
    // 8 copies of the sample's events: long enough to be interrupted while the images are processed
    const big = join(dir, 'sample-x8.h5');
    await run(REF_PY.path, [join(here, 'enlarge-dl1.py'), SAMPLE, big, '8']);
    const sub = mkdtempSync(join(dir, 'sigint-'));
    const out = join(sub, 'p.h5');
    const child = spawn(process.execPath, [cli, 'process', big, '--out', out, '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/images \d+\//.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/interrupted|cancelled/);
    expect(readdirSync(sub)).toEqual([]);
  }, 120_000);
});

describe('process config', () => {
  it('defaults to ctapipe-process stage 1', () => {
    const s = defaultProcessSettings();
    expect(s.cleaningFor('LSTCam')).toEqual({ pictureThresh: 8.5, boundaryThresh: 4.25, keepIsolatedPixels: false, minNumberPictureNeighbors: 2 });
    expect(s.cleaningFor('NectarCam')).toMatchObject({ pictureThresh: 9, boundaryThresh: 4.5 });
    expect(s.cleaningFor('FlashCam')).toMatchObject({ pictureThresh: 9, boundaryThresh: 4.5 });
    expect(s.cleaningFor('CHEC')).toMatchObject({ pictureThresh: 4, boundaryThresh: 2 });
    expect(s.quality).toEqual({ nonzeroPixelsAbove: 2, intensityAbove: 50 });
  });

  it('merges default and per-camera entries over stage 1', () => {
    const s = parseProcessConfig(JSON.stringify({ cleaning: { default: { min_number_picture_neighbors: 1 }, CHEC: { picture_thresh: 6 } } }), 'c.json');
    expect(s.cleaningFor('CHEC')).toEqual({ pictureThresh: 6, boundaryThresh: 2, keepIsolatedPixels: false, minNumberPictureNeighbors: 1 });
    expect(s.cleaningFor('LSTCam')).toMatchObject({ pictureThresh: 8.5, minNumberPictureNeighbors: 1 });
  });

  it('rejects unknown options, wrong types and bad JSON with the file name', () => {
    expect(() => parseProcessConfig('{"cleaning": {"LSTCam": {"picture": 5}}}', 'c.json')).toThrow(/c\.json: invalid config: cleaning\.LSTCam/);
    expect(() => parseProcessConfig('{"image_quality": {"intensity_above": "50"}}', 'c.json')).toThrow(ProcessConfigError);
    expect(() => parseProcessConfig('{oops', 'c.json')).toThrow(/c\.json: not valid JSON/);
  });
});
