/**
 * `lightpool process --config` reads ctapipe's configuration files as
 * ctapipe-process does: for ctapipe's own files (base_config.yaml +
 * stage1_config.yaml, stage1_config.toml, stage1_config.json) and for
 * configs that probe the rules (top-level vs nested sections, later files
 * winning, `id` and `type` patterns in order, case-sensitive patterns, a
 * camera named as sim_telarray prod6 names it), every telescope's tailcuts
 * values, the image and stereo quality criteria, and the patterns that match
 * nothing are what ctapipe 0.26 itself makes of the same files on the same
 * subarray (test/helpers/ctapipe-process-config.py).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ctapipe, python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { loadProcessConfig, ProcessConfigError } from '../../../../src-main/process/process-config.js';
import { openProcessInput } from '../../../../src-worker/io/dl1/process-input.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const SAMPLE = join(FIXTURES, 'samples/dl1_sample_120.blosc.h5');
const CONFIGS = join(FIXTURES, 'ctapipe-config');
const HELPER = fileURLToPath(new URL('../../../helpers/ctapipe-process-config.py', import.meta.url));

interface CtapipeView {
  error?: string;
  telescopes: Record<
    string,
    {
      type: string;
      picture_threshold_pe: number | null;
      boundary_threshold_pe: number | null;
      min_picture_neighbors: number | null;
      keep_isolated_pixels: boolean | null;
      errors?: string[];
    }
  >;
  image_quality: [string, string][];
  stereo_quality: [string, string][];
  warnings: string[];
}

async function ctapipeView(dl1: string, configs: string[]): Promise<CtapipeView> {
  const { stdout } = await run(ctapipe().path, [HELPER, dl1, ...configs], { maxBuffer: 16 << 20, timeout: 300_000 });
  return JSON.parse(stdout) as CtapipeView;
}

/** Lightpool's reading of the same files on the same subarray, in ctapipe's terms */
async function lightpoolView(dl1: string, configs: string[]) {
  const inp = await openProcessInput(dl1, { focalLengthChoice: 'EQUIVALENT' });
  try {
    const s = loadProcessConfig(configs);
    const types = inp.telescopes.map((t) => ({ telId: t.telId, type: t.type }));
    let resolved: ReturnType<typeof s.resolve> | undefined;
    let error: string | undefined;
    try {
      resolved = s.resolve(types);
    } catch (e) {
      if (!(e instanceof ProcessConfigError)) throw e;
      error = e.message;
    }
    const telescopes = Object.fromEntries(
      types.map((t) => {
        if (!resolved) return [String(t.telId), { type: t.type }];
        const o = resolved.cleaningFor(t.telId);
        return [
          String(t.telId),
          {
            type: t.type,
            picture_threshold_pe: o.pictureThresh,
            boundary_threshold_pe: o.boundaryThresh,
            min_picture_neighbors: o.minNumberPictureNeighbors,
            keep_isolated_pixels: o.keepIsolatedPixels,
          },
        ];
      }),
    );
    return {
      error,
      telescopes,
      image_quality: (s.imageQuality ?? []).map((c) => [c.name, c.expression]),
      stereo_quality: s.stereoQuality.map((c) => [c.name, c.expression]),
      notes: [...s.notes, ...(resolved?.notes ?? [])],
    };
  } finally {
    inp.file.close();
  }
}

describeWith([ctapipe(), python('tables')], 'process config files: Lightpool reads them as ctapipe-process does', () => {
  let dir: string;
  let prod6: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lp-config-'));
    // the sample with its LSTCam named as sim_telarray prod6 files name it
    prod6 = join(dir, 'prod6-names.h5');
    const rename = `
import shutil, sys, tables
shutil.copy(sys.argv[1], sys.argv[2])
with tables.open_file(sys.argv[2], 'a') as f:
    lay = f.root.configuration.instrument.subarray.layout
    names = [n.replace(b'LSTCam', b'LSTcam') for n in lay.col('camera_name')]
    lay.modify_column(column=names, colname='camera_name')
    for g in f.root.configuration.instrument.telescope.camera:
        if g._v_attrs['CAM_ID'] == 'LSTCam':
            g._v_attrs['CAM_ID'] = 'LSTcam'
`;
    await run(python('tables').path, ['-c', rename, SAMPLE, prod6]);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  async function compare(dl1: string, configs: string[]) {
    const [ours, theirs] = await Promise.all([lightpoolView(dl1, configs), ctapipeView(dl1, configs)]);
    expect(theirs.error, 'ctapipe loaded the configs').toBeUndefined();
    const failing = Object.entries(theirs.telescopes).filter(([, t]) => t.errors?.length);
    if (failing.length) {
      // ctapipe has no value for some telescope: Lightpool refuses the config, naming it
      expect(ours.error).toMatch(new RegExp(`no value for telescope (${failing.map(([id]) => id).join('|')})`));
    } else {
      expect(ours.error).toBeUndefined();
      expect(ours.telescopes).toEqual(Object.fromEntries(Object.entries(theirs.telescopes).map(([id, t]) => [id, { ...t }])));
    }
    expect(Object.fromEntries(Object.entries(ours.telescopes).map(([id, t]) => [id, t.type]))).toEqual(
      Object.fromEntries(Object.entries(theirs.telescopes).map(([id, t]) => [id, t.type])),
    );
    expect(ours.image_quality).toEqual(theirs.image_quality);
    expect(ours.stereo_quality).toEqual(theirs.stereo_quality);
    // every pattern ctapipe warns about matching nothing, Lightpool reports too
    const unmatched = theirs.warnings.map((w) => /type argument '(.*)' did not match/.exec(w)?.[1]).filter((x): x is string => !!x);
    for (const u of unmatched)
      expect(
        ours.notes.some((n) => n.includes(`'${u}' matched no telescope type`)),
        u,
      ).toBe(true);
    expect(ours.notes.filter((n) => n.includes('matched no telescope type')).length).toBe(unmatched.length);
    return { ours, theirs };
  }

  itWith(
    [ctapipe()],
    "the copies of ctapipe's files are ctapipe's",
    async () => {
      const { stdout } = await run(ctapipe().path, [HELPER, '--resources']);
      for (const f of ['base_config.yaml', 'stage1_config.yaml', 'stage1_config.toml', 'stage1_config.json']) {
        expect(readFileSync(join(CONFIGS, f), 'utf8'), f).toBe(readFileSync(join(stdout.trim(), f), 'utf8'));
      }
    },
    120_000,
  );

  itWith(
    [ctapipe()],
    'no config: ctapipe-process defaults',
    async () => {
      const { ours } = await compare(SAMPLE, []);
      expect(ours.telescopes['1']).toMatchObject({ picture_threshold_pe: 10, boundary_threshold_pe: 5, min_picture_neighbors: 2, keep_isolated_pixels: false });
      expect(ours.image_quality).toEqual([['size_greater_0', 'image.sum() > 0']]);
    },
    300_000,
  );

  itWith(
    [ctapipe()],
    "ctapipe's base_config.yaml + stage1_config.yaml (how the sample was made)",
    async () => {
      const { ours } = await compare(SAMPLE, [join(CONFIGS, 'base_config.yaml'), join(CONFIGS, 'stage1_config.yaml')]);
      expect(ours.telescopes['1']).toMatchObject({ picture_threshold_pe: 8.5, boundary_threshold_pe: 4.25 });
    },
    300_000,
  );

  itWith(
    [ctapipe()],
    "ctapipe's stage1_config.toml and stage1_config.json",
    async () => {
      await compare(SAMPLE, [join(CONFIGS, 'stage1_config.toml')]);
      await compare(SAMPLE, [join(CONFIGS, 'stage1_config.json')]);
    },
    300_000,
  );

  itWith(
    [ctapipe()],
    "a camera named LSTcam (prod6): ctapipe's case-sensitive patterns, and the unmatched one reported",
    async () => {
      const toml = await compare(prod6, [join(CONFIGS, 'stage1_config.toml')]);
      // "LST_LST_LSTCam" does not match "LST_LST_LSTcam": the '*' value applies, as in ctapipe, and it is reported
      expect(toml.ours.telescopes['1']).toMatchObject({ type: 'LST_LST_LSTcam', picture_threshold_pe: 10 });
      const yaml = await compare(prod6, [join(CONFIGS, 'base_config.yaml')]);
      expect(yaml.ours.telescopes['1']).toMatchObject({ picture_threshold_pe: 8.5 }); // "LST*" matches
    },
    300_000,
  );

  itWith(
    [ctapipe()],
    'section precedence, later files, id and type patterns in order, quality criteria',
    async () => {
      const a = write(
        'a.yaml',
        `TailcutsImageCleaner:
  picture_threshold_pe: 7
  keep_isolated_pixels: yes
ImageCleaner:
  min_picture_neighbors: 1
ImageProcessor:
  TailcutsImageCleaner:
    boundary_threshold_pe:
      - [type, "*", 3]
      - [id, 2, 2.5]
      - [type, "LST*", 4]
      - [id, 5, 2]
      - [type, "lst*", 9]
      - [type, "MST_MST_?lashCam", 3.5]
  ImageQualityQuery:
    quality_criteria:
      - [bright, "image.sum() >= 30 and np.count_nonzero(image) > 3"]
      - [peaked, "np.max(image) > 0.2 * image.sum()"]
`,
      );
      const b = write(
        'b.json',
        JSON.stringify({
          ImageProcessor: {
            TailcutsImageCleaner: {
              picture_threshold_pe: [
                ['type', '*', 6],
                ['type', 'SST_*', 3],
              ],
            },
          },
          ShowerProcessor: {
            HillasReconstructor: {
              StereoQualityQuery: {
                quality_criteria: [
                  ['wide', 'parameters.hillas.width.value > 0.01'],
                  ['few islands', 'parameters.morphology.n_islands <= 2'],
                ],
              },
            },
          },
        }),
      );
      const { ours } = await compare(SAMPLE, [a, b]);
      expect(ours.telescopes['2']).toMatchObject({ boundary_threshold_pe: 4 }); // the later LST* entry overrides id 2
      expect(ours.telescopes['5']).toMatchObject({ boundary_threshold_pe: 2, picture_threshold_pe: 6, min_picture_neighbors: 1, keep_isolated_pixels: true });
      await compare(SAMPLE, [b, a]);
    },
    300_000,
  );

  itWith(
    [ctapipe()],
    'a per-type list without a default: the telescopes it misses have no value (refused, as ctapipe fails on them)',
    async () => {
      const c = write('c.yaml', 'ImageProcessor:\n  TailcutsImageCleaner:\n    picture_threshold_pe:\n      - [type, "LST*", 6]\n');
      await compare(SAMPLE, [c]);
    },
    300_000,
  );
});
