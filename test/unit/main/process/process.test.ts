import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.js';
import { parseProcessConfig, defaultProcessSettings, ProcessConfigError } from '../../../../src-main/process/process-config.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

/**
 * `lightpool process` on DL1 files ctapipe-process wrote: the masks,
 * parameters, stereo geometry and quality-query records it writes must be
 * ctapipe's (stored in the same file), compared by PyTables
 * (compare-process.py) — with ctapipe's own base_config.yaml +
 * stage1_config.yaml for the sample made with them, and with no config for
 * the sim_telarray references ctapipe-process made with its defaults.
 */

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '../../../../test/fixtures');
const SAMPLE = join(FIXTURES, 'samples/dl1_sample_120.blosc.h5');
/** how ctapipe-process made the sample (ctapipe's own files, copied to the fixtures) */
const STAGE1 = ['--config', join(FIXTURES, 'ctapipe-config/base_config.yaml'), '--config', join(FIXTURES, 'ctapipe-config/stage1_config.yaml')];
/** the sim_telarray references ctapipe-process made with its default configuration (test/fixtures/simtel/README.md) */
const DEFAULT_CONFIG_FILES = ['lst_muons_with_true_photons', 'gamma_with_obslevel_particles', 'aux_traces_2029', '40k_pixels'];
const py = () => python('tables').path;

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
  image_statistics: { ctapipe: QualityRecord | null; ours: QualityRecord | null };
  tel_event_statistics: { ctapipe: QualityRecord | null; ours: QualityRecord | null };
  /** the LIGHTPOOL_PROCESS_* root attributes of the output */
  root_attrs: Record<string, string>;
}

interface QualityRecord {
  criteria: string[];
  func: string[];
  counts: number[];
  cumulative_counts: number[];
}

async function compare(input: string, output: string, focal = 'EFFECTIVE'): Promise<Comparison> {
  const { stdout } = await run(py(), [join(here, 'compare-process.py'), input, output, focal], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as Comparison;
}

describeWith([python('tables')], 'lightpool process', () => {
  it("with ctapipe's base_config.yaml + stage1_config.yaml reproduces the masks, parameters and stereo geometry ctapipe stored in the sample DL1 file", async () => {
    const out = join(dir, 'p.h5');
    const { stdout, stderr } = await run(process.execPath, [cli, 'process', SAMPLE, '--out', out, ...STAGE1], { maxBuffer: 16 << 20 });
    expect(stdout).toMatch(/498 images of 120 events/);
    expect(stdout).toMatch(/DataWriter settings do not apply/);
    expect(stdout).not.toMatch(/the input records/); // the criteria applied are the ones the sample records
    expect(stderr).toMatch(/images 498\/498 \(100%\), \d+ images\/s/);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const c = await compare(SAMPLE, out);
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
    // the quality queries it applied, recorded as ctapipe-process records them; the stereo one counts
    // the same telescope events, the image one counts only the DL1 images (ctapipe also counts the true images)
    expect(c.image_statistics.ours!.criteria).toEqual(c.image_statistics.ctapipe!.criteria);
    expect(c.image_statistics.ours!.func).toEqual(c.image_statistics.ctapipe!.func);
    expect(c.image_statistics.ours!.counts[0]).toBe(498);
    expect(c.image_statistics.ours!.cumulative_counts.at(-1)).toBe(302);
    expect(c.tel_event_statistics.ours).toEqual(c.tel_event_statistics.ctapipe);
  }, 300_000);

  it('with no config reproduces what ctapipe-process made with its defaults (the sim_telarray references: 10/5 p.e., size_greater_0)', async () => {
    for (const name of DEFAULT_CONFIG_FILES) {
      const input = join(FIXTURES, 'simtel', `${name}.ctapipe.dl1.h5`);
      const out = join(dir, `${name}.processed.h5`);
      // ctapipe-process made them with --SimTelEventSource.focal_length_choice=EQUIVALENT
      const { stdout } = await run(process.execPath, [cli, 'process', input, '--out', out, '--focal-length-choice', 'EQUIVALENT', '--quiet'], {
        maxBuffer: 16 << 20,
      });
      expect(stdout, name).toMatch(/parameterised/);
      const c = await compare(input, out, 'EQUIVALENT');
      expect(c.masks.identical, name).toBe(c.masks.total);
      expect(c.parameters.bad, name).toEqual([]);
      expect(c.parameters.rows_ok, name).toBe(c.parameters.rows);
      expect(c.nan_rows.same, name).toBe(true);
      expect(c.columns_same && c.copied_same, name).toBe(true);
      expect(c.image_statistics.ours!.criteria, name).toEqual(['TOTAL', 'size_greater_0']);
      expect(c.image_statistics.ours!.func, name).toEqual(c.image_statistics.ctapipe!.func);
      expect(JSON.stringify(c.root_attrs), name).toMatch(/ctapipe-process defaults; .*tailcuts 10\/5 p\.e\., min 2 picture neighbours/);
    }
    // these files have no effective focal length: like ctapipe, process asks for the choice instead of guessing
    await expect(
      run(process.execPath, [cli, 'process', join(FIXTURES, 'simtel/lst_muons_with_true_photons.ctapipe.dl1.h5'), '--out', join(dir, 'never.h5')]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/no effective focal length.*--focal-length-choice EQUIVALENT/),
    });
  }, 300_000);

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
    await run(py(), ['-c', strip, SAMPLE, input]);
    await run(process.execPath, [cli, 'process', input, '--out', out, '--quiet', ...STAGE1]);
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
    const { stdout } = await run(py(), ['-c', check, SAMPLE, out]);
    const r = JSON.parse(stdout) as { differ: string[]; columns: number; valid_same: boolean; telescopes_same: boolean; alt_max: number; impact_same: boolean };
    expect(r.columns).toBe(4 * 45);
    expect(r.differ).toEqual([]);
    expect(r.valid_same).toBe(true);
    expect(r.telescopes_same).toBe(true);
    expect(r.alt_max).toBeLessThan(1e-9);
    expect(r.impact_same).toBe(true);
  }, 120_000);

  it("applies Lightpool's short JSON config (looser cleaning: more pixels survive)", async () => {
    const cfg = join(dir, 'loose.json');
    writeFileSync(
      cfg,
      JSON.stringify({ cleaning: { default: { picture_thresh: 5, boundary_thresh: 2.5, min_number_picture_neighbors: 1 } }, image_quality: null }),
    );
    const out = join(dir, 'loose.h5');
    const { stdout: summary } = await run(process.execPath, [cli, 'process', SAMPLE, '--out', out, '--config', cfg, '--quiet']);
    // the sample records the criteria its parameters were selected with; a run applying others says so, naming them
    expect(summary).toMatch(
      /the input records ImageQualityQuery criteria enough_pixels: np\.count_nonzero\(image\) > 2, enough_charge: image\.sum\(\) > 50 .*this run applied none/,
    );
    expect(summary).toMatch(/the input records StereoQualityQuery criteria .*not clipped: parameters\.leakage\.intensity_width_2 < 0\.5/);
    const py = `
import tables, numpy as np, sys
a = tables.open_file(sys.argv[1]); b = tables.open_file(sys.argv[2])
na = sum(int(n.read()['image_mask'].sum()) for n in a.iter_nodes('/dl1/event/telescope/images'))
nb = sum(int(n.read()['image_mask'].sum()) for n in b.iter_nodes('/dl1/event/telescope/images'))
print(na, nb, b.root._v_attrs.LIGHTPOOL_PROCESS_SETTINGS)
`;
    const { stdout } = await run(python('tables').path, ['-c', py, SAMPLE, out]);
    const [stage1, loose, ...settings] = stdout.trim().split(' ');
    expect(Number(loose)).toBeGreaterThan(Number(stage1));
    expect(settings.join(' ')).toContain('LSTCam: tailcuts 5/2.5 p.e., min 1 picture neighbours');
    expect(settings.join(' ')).toContain('no image quality query');
  }, 120_000);

  it('refuses to overwrite, and says what is wrong with a config', async () => {
    const out = join(dir, 'exists.h5');
    writeFileSync(out, 'x');
    await expect(run(process.execPath, [cli, 'process', SAMPLE, '--out', out])).rejects.toMatchObject({
      stderr: expect.stringMatching(/exists already.*--force/),
    });
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
    await run(py(), [join(here, 'enlarge-dl1.py'), SAMPLE, big, '8']);
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

/** every dataset of B equals A's (NaN equal NaN); with the filter ids of each file's first image table */
const SAME_CONTENT = `
import sys, json, h5py, numpy as np
a = h5py.File(sys.argv[1], "r"); b = h5py.File(sys.argv[2], "r")
names = lambda f: sorted(n for n in (lambda l: (f.visit(lambda n: l.append(n)), l)[1])([]) if isinstance(f[n], h5py.Dataset))
na, nb = names(a), names(b)
def eq(x, y):
    if x.shape != y.shape: return False
    if x.dtype.names: return all(eq(x[f], y[f]) for f in x.dtype.names)
    return bool(np.array_equal(x, y, equal_nan=x.dtype.kind == "f"))
diff = [n for n in na if n in b and not eq(a[n][...], b[n][...])]
flt = lambda f: (lambda pl: [pl.get_filter(i)[0] for i in range(pl.get_nfilters())])(f["/dl1/event/telescope/images/tel_001"].id.get_create_plist())
print(json.dumps({"same_names": na == nb, "n": len(na), "different": diff, "filters_a": flt(a), "filters_b": flt(b)}))
`;

describeWith([python('h5py', 'numpy')], 'lightpool process: how the images travel and the output filters', () => {
  const same = async (a: string, b: string) =>
    JSON.parse((await run(python('h5py', 'numpy').path, ['-c', SAME_CONTENT, a, b], { maxBuffer: 16 << 20 })).stdout) as {
      same_names: boolean;
      n: number;
      different: string[];
      filters_a: number[];
      filters_b: number[];
    };
  it("whole stored chunks in the workers, rows read through HDF5 (LIGHTPOOL_HDF5_DIRECT=0) and a zlib input give the same content; each output keeps its input's filters", async () => {
    const chunks = join(dir, 'via-chunks.h5');
    const rows = join(dir, 'via-rows.h5');
    const zlib = join(dir, 'from-zlib.h5');
    await run(process.execPath, [cli, 'process', SAMPLE, '--out', chunks, ...STAGE1, '--quiet']);
    await run(process.execPath, [cli, 'process', SAMPLE, '--out', rows, ...STAGE1, '--quiet'], { env: { ...process.env, LIGHTPOOL_HDF5_DIRECT: '0' } });
    await run(process.execPath, [cli, 'process', join(FIXTURES, 'samples/dl1_sample_120.zlib.h5'), '--out', zlib, ...STAGE1, '--quiet']);
    const r = await same(chunks, rows);
    expect(r.n).toBeGreaterThan(100);
    expect(r).toMatchObject({ same_names: true, different: [] });
    // ctapipe's filters: fletcher32, then Blosc (PyTables' order); the zlib sample's: fletcher32, shuffle, deflate
    expect(r.filters_a).toEqual([3, 32001]);
    expect(r.filters_b).toEqual([3, 32001]);
    const z = await same(chunks, zlib);
    expect(z).toMatchObject({ same_names: true, different: [] });
    expect(z.filters_b).toEqual([3, 2, 1]);
    const { stdout } = await run(process.execPath, [
      cli,
      'process',
      SAMPLE,
      '--out',
      join(dir, 'gzip.h5'),
      ...STAGE1,
      '--quiet',
      '--compression',
      'gzip',
      '--level',
      '1',
    ]);
    expect(stdout).toMatch(/498 images/);
    const g = await same(chunks, join(dir, 'gzip.h5'));
    expect(g).toMatchObject({ same_names: true, different: [], filters_b: [2, 1] });
  }, 300_000);
});

describe('process config', () => {
  const types = [
    { telId: 1, type: 'LST_LST_LSTCam' },
    { telId: 5, type: 'MST_MST_NectarCam' },
    { telId: 9, type: 'MST_MST_FlashCam' },
    { telId: 12, type: 'SST_ASTRI_CHEC' },
  ];

  it("defaults to ctapipe-process's defaults", () => {
    const s = defaultProcessSettings();
    const r = s.resolve(types);
    for (const t of types)
      expect(r.cleaningFor(t.telId)).toEqual({ pictureThresh: 10, boundaryThresh: 5, keepIsolatedPixels: false, minNumberPictureNeighbors: 2 });
    expect(s.imageQuality!.map((c) => [c.name, c.expression])).toEqual([['size_greater_0', 'image.sum() > 0']]);
    expect(s.stereoQuality.map((c) => c.name)).toEqual(['> 50 phe', 'Positive width', '> 3 pixels']);
    expect(s.focalLengthChoice).toBe('EFFECTIVE');
  });

  it('the short JSON form: "default" then camera names, over what was there', () => {
    const s = parseProcessConfig(JSON.stringify({ cleaning: { default: { min_number_picture_neighbors: 1 }, CHEC: { picture_thresh: 6 } } }), 'c.json');
    const r = s.resolve(types);
    expect(r.cleaningFor(12)).toEqual({ pictureThresh: 6, boundaryThresh: 5, keepIsolatedPixels: false, minNumberPictureNeighbors: 1 });
    expect(r.cleaningFor(1)).toMatchObject({ pictureThresh: 10, minNumberPictureNeighbors: 1 });
    expect(s.imageQuality!.map((c) => c.name)).toEqual(['size_greater_0']);
    const q = parseProcessConfig('{"image_quality": {"nonzero_pixels_above": 2, "intensity_above": 50}}', 'q.json');
    expect(q.imageQuality!.map((c) => c.expression)).toEqual(['np.count_nonzero(image) > 2', 'image.sum() > 50']);
    expect(parseProcessConfig('{"image_quality": null}', 'q.json').imageQuality).toBeNull();
  });

  it("ctapipe's YAML, TOML and JSON: per-type patterns, later settings win", () => {
    const yaml = parseProcessConfig(
      'ImageProcessor:\n  TailcutsImageCleaner:\n    picture_threshold_pe:\n      - [type, "*", 7]\n      - [type, "MST*", 8]\n      - [id, 12, 3]\n',
      'c.yaml',
    ).resolve(types);
    expect([1, 5, 9, 12].map((id) => yaml.cleaningFor(id).pictureThresh)).toEqual([7, 8, 8, 3]);
    const toml = parseProcessConfig(
      '[ImageProcessor.TailcutsImageCleaner]\nboundary_threshold_pe = [["type", "*", 2.0], ["type", "*FlashCam", 2.5]]\n',
      'c.toml',
    ).resolve(types);
    expect([1, 9].map((id) => toml.cleaningFor(id).boundaryThresh)).toEqual([2, 2.5]);
    const json = parseProcessConfig('{"TailcutsImageCleaner": {"keep_isolated_pixels": true}}', 'c.json').resolve(types);
    expect(json.cleaningFor(1).keepIsolatedPixels).toBe(true);
  });

  it('refuses what it cannot do as ctapipe does, naming the setting or criterion', () => {
    expect(() => parseProcessConfig('{"cleaning": {"LSTCam": {"picture": 5}}}', 'c.json')).toThrow(/c\.json: invalid config: cleaning\.LSTCam/);
    expect(() => parseProcessConfig('{"image_quality": {"intensity_above": "50"}}', 'c.json')).toThrow(ProcessConfigError);
    expect(() => parseProcessConfig('{oops', 'c.json')).toThrow(/c\.json: not valid JSON/);
    expect(() => parseProcessConfig('a: [1', 'c.yaml')).toThrow(/c\.yaml: not valid YAML/);
    expect(() => parseProcessConfig('x = 1', 'c.cfg')).toThrow(/not in a known format.*yml, yaml, toml, json/);
    expect(() => parseProcessConfig('ImageProcessor:\n  image_cleaner_type: MARSImageCleaner\n', 'c.yaml')).toThrow(
      /ImageProcessor\.image_cleaner_type.*TailcutsImageCleaner only/,
    );
    expect(() => parseProcessConfig('ImageProcessor:\n  use_telescope_frame: false\n', 'c.yaml')).toThrow(/use_telescope_frame/);
    expect(() => parseProcessConfig('ImageQualityQuery:\n  quality_criteria: [[p90, "np.percentile(image, 90) > 5"]]\n', 'c.yaml')).toThrow(
      /ImageQualityQuery criterion "p90": "np\.percentile\(image, 90\) > 5" cannot be evaluated by Lightpool/,
    );
    expect(() => parseProcessConfig('StereoQualityQuery:\n  quality_criteria: [[w, "parameters.hillas.width > 0"]]\n', 'c.yaml')).toThrow(
      /criterion "w".*compare 'parameters\.hillas\.width\.value'/,
    );
    expect(() => parseProcessConfig('ShowerProcessor:\n  reconstructor_types: [HillasIntersection]\n', 'c.yaml')).toThrow(/HillasReconstructor only/);
    // a per-type list that leaves a telescope without a value
    const partial = parseProcessConfig('TailcutsImageCleaner:\n  picture_threshold_pe: [[type, "LST*", 6]]\n', 'p.yaml');
    expect(() => partial.resolve(types)).toThrow(/p\.yaml: TailcutsImageCleaner\.picture_threshold_pe: no value for telescope 5 \(MST_MST_NectarCam\)/);
  });

  it('reports what it reads but does not use, and patterns that match nothing', () => {
    const s = parseProcessConfig(
      'DataWriter:\n  write_dl1_images: true\nImageProcessor:\n  TailcutsImageCleaner:\n    picture_threshold_pe: [[type, "*", 10], [type, "LST_LST_LSTcam", 6]]\n    picture_thresh: 3\n',
      'n.yaml',
    );
    expect(s.notes.join('\n')).toMatch(/DataWriter settings do not apply/);
    expect(s.notes.join('\n')).toMatch(/TailcutsImageCleaner\.picture_thresh is not an option of ctapipe's TailcutsImageCleaner/);
    const r = s.resolve(types);
    expect(r.notes.join('\n')).toMatch(/'LST_LST_LSTcam' matched no telescope type/);
    expect(r.cleaningFor(1).pictureThresh).toBe(10);
  });
});
