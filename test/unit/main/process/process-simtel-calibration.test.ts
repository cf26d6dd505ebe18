/**
 * `lightpool process FILE.simtel.zst --config C` applies ctapipe's
 * CameraCalibrator settings of C (image extractor per telescope type and its
 * traits, the gain selector's threshold) as ctapipe-process does: for each
 * config, ctapipe-process 0.26 is run with it on the same fixture in this
 * test, and every table it wrote is compared with ours row by row
 * (compare-simtel-process.py: images within 1e-4 relative or 1e-3 p.e.,
 * peak times within 1e-3 ns where the image is ≥ 1 p.e., masks identical,
 * parameters within the parity tolerances). An extractor or trait Lightpool
 * does not have is an error naming the config file and the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCli } from './build-cli.js';
import { ctapipe, python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { loadProcessConfig } from '../../../../src-main/process/process-config.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const COMPARE = fileURLToPath(new URL('./compare-simtel-process.py', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'lp-process-simtel-calib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

const CTAPIPE_PROCESS = `
import sys
from ctapipe.core import run_tool
from ctapipe.tools.process import ProcessorTool
argv = [f"--input={sys.argv[1]}", f"--output={sys.argv[2]}", f"--config={sys.argv[3]}", "--overwrite",
        "--write-images", "--write-parameters",
        "--SimTelEventSource.focal_length_choice=EQUIVALENT", "--log-level=ERROR"]
sys.exit(run_tool(ProcessorTool(), argv=argv, cwd="/tmp"))
`;

/** configs (YAML, as a user writes them) and the fixture each runs on */
const CASES = [
  {
    label: 'LocalPeakWindowSum(window_width=5, window_shift=2)',
    fixture: 'lst_muons_with_true_photons',
    yaml: 'CameraCalibrator:\n  image_extractor_type: LocalPeakWindowSum\n  LocalPeakWindowSum:\n    window_width: 5\n    window_shift: 2\n',
  },
  {
    label: 'GlobalPeakWindowSum (defaults, apply_integration_correction false)',
    fixture: 'lst_muons_with_true_photons',
    yaml: 'CameraCalibrator:\n  image_extractor_type: GlobalPeakWindowSum\nGlobalPeakWindowSum:\n  apply_integration_correction: false\n',
  },
  {
    label: 'FixedWindowSum per telescope type (peak_index 12, width 6), gain threshold 3000',
    fixture: 'gamma_with_obslevel_particles',
    yaml:
      'CameraCalibrator:\n  image_extractor_type: [["type", "*", "NeighborPeakWindowSum"], ["type", "*HESS*", "FixedWindowSum"]]\n' +
      '  FixedWindowSum:\n    peak_index: [["type", "*", 12]]\n    window_width: 6\n' +
      'SimTelEventSource:\n  ThresholdGainSelector:\n    threshold: 3000\n',
  },
  {
    label: 'NeighborPeakWindowSum(local_weight=2, window_width=5)',
    fixture: 'aux_traces_2029',
    yaml: 'ImageExtractor:\n  window_width: 5\nNeighborPeakWindowSum:\n  local_weight: 2\n',
  },
] as const;

interface Comparison {
  tables: Record<string, { rows: number; values: number; problems: string[] }>;
  missing: string[];
}

describeWith([ctapipe(), python('tables', 'numpy')], "lightpool process --config: ctapipe's CameraCalibrator settings on sim_telarray input", () => {
  CASES.forEach((c, i) => {
    itWith(
      [ctapipe(), python('tables', 'numpy')],
      `${c.label} on ${c.fixture}: every table equals ctapipe-process's with the same config`,
      async () => {
        const config = join(dir, `calib-${i}.yaml`);
        writeFileSync(config, c.yaml);
        const input = join(FIXTURES, `${c.fixture}.simtel.zst`);
        const ref = join(dir, `ref-${i}.dl1.h5`);
        const out = join(dir, `out-${i}.dl1.h5`);
        const [, ours] = await Promise.all([
          run(ctapipe().path, ['-c', CTAPIPE_PROCESS, input, ref, config], { timeout: 600_000, maxBuffer: 16 << 20 }),
          run(process.execPath, [cli, 'process', input, '--out', out, '--config', config, '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force'], {
            timeout: 600_000,
          }),
        ]);
        expect(ours.stdout).not.toMatch(/matched no telescope/);
        const { stdout } = await run(python('tables', 'numpy').path, [COMPARE, out, ref], { maxBuffer: 64 << 20, timeout: 300_000 });
        const r = JSON.parse(stdout) as Comparison;
        expect(r.missing).toEqual([]);
        expect(Object.entries(r.tables).flatMap(([p, t]) => t.problems.map((x) => `${p}: ${x}`))).toEqual([]);
        for (const p of ['/dl1/event/telescope/images/tel_001', '/dl1/event/telescope/parameters/tel_001']) expect(r.tables[p]?.rows, p).toBeGreaterThan(0);
        // the config changed the result: the images are not those of ctapipe-process's defaults (the fixture's reference)
        const { stdout: d } = await run(python('tables', 'numpy').path, [COMPARE, out, join(FIXTURES, `${c.fixture}.ctapipe.dl1.h5`)], {
          maxBuffer: 64 << 20,
          timeout: 300_000,
        });
        expect((JSON.parse(d) as Comparison).tables['/dl1/event/telescope/images/tel_001']?.problems.length).toBeGreaterThan(0);
      },
      900_000,
    );
  });
});

describe('calibration settings Lightpool cannot apply are errors naming the file and the key', () => {
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const LST = { typeOf: new Map([[1, 'LST_LST_LSTCam']]) };
  const resolve = (f: string) => loadProcessConfig(f).calibration.resolve(LST);
  it('an unknown extractor', () => {
    const f = write('bad-extractor.yaml', 'CameraCalibrator:\n  image_extractor_type: TwoPassWindowSum\n');
    expect(() => resolve(f)).toThrow(/CameraCalibrator\.image_extractor_type.*bad-extractor\.yaml.*TwoPassWindowSum/);
  });
  it('an unknown trait of an extractor', () => {
    const f = write('bad-trait.yaml', 'LocalPeakWindowSum:\n  window_widht: 5\n');
    expect(() => resolve(f)).toThrow(/LocalPeakWindowSum\.window_widht.*bad-trait\.yaml/);
  });
  it('a value of the wrong kind', () => {
    const f = write('bad-value.yaml', 'CameraCalibrator:\n  FixedWindowSum:\n    peak_index: 2.5\n');
    expect(() => resolve(f)).toThrow(/FixedWindowSum\.peak_index.*bad-value\.yaml.*integer/);
  });
  it("ctapipe's base_config.yaml: its FlashCamExtractor is refused only for an input with a FlashCam", () => {
    const base = fileURLToPath(new URL('../../../fixtures/ctapipe-config/base_config.yaml', import.meta.url));
    const s = loadProcessConfig(base);
    expect(s.calibration.resolve(LST).calibrationFor(1).extractor).toMatchObject({ type: 'NeighborPeakWindowSum' });
    expect(() => s.calibration.resolve({ typeOf: new Map([[5, 'MST_MST_FlashCam']]) })).toThrow(/FlashCamExtractor.*telescope 5/);
  });
  it('a CLI run with a bad calibration config fails naming the file and writes nothing', async () => {
    const f = write('bad-cli.yaml', 'CameraCalibrator:\n  LocalPeakWindowSum:\n    window_widht: 5\n');
    const out = join(dir, 'bad-cli.dl1.h5');
    await expect(
      run(process.execPath, [
        cli,
        'process',
        join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst'),
        '--out',
        out,
        '--config',
        f,
        '--focal-length-choice',
        'EQUIVALENT',
        '--quiet',
      ]),
    ).rejects.toThrow(/LocalPeakWindowSum\.window_widht.*bad-cli\.yaml/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
  it('a per-telescope extractor leaving a telescope without one', () => {
    const f = write('no-tel.yaml', 'CameraCalibrator:\n  image_extractor_type: [["type", "MST*", "LocalPeakWindowSum"]]\n');
    const s = loadProcessConfig(f);
    expect(() => s.calibration.resolve({ typeOf: new Map([[1, 'LST_LST_LSTCam']]) })).toThrow(/image_extractor_type.*no-tel\.yaml.*telescope 1/);
  });
  it('the settings per telescope type', () => {
    const f = write(
      'per-type.yaml',
      'CameraCalibrator:\n  image_extractor_type: [["type", "*", "NeighborPeakWindowSum"], ["type", "LST*", "FixedWindowSum"]]\n  FixedWindowSum:\n    peak_index: [["id", 1, 9], ["id", 2, 11]]\n',
    );
    const r = loadProcessConfig(f).calibration.resolve({
      typeOf: new Map([
        [1, 'LST_LST_LSTCam'],
        [2, 'LST_LST_LSTCam'],
        [3, 'MST_MST_FlashCam'],
      ]),
    });
    expect(r.calibrationFor(1).extractor).toMatchObject({ type: 'FixedWindowSum', peakIndex: 9, windowWidth: 7, windowShift: 0 });
    expect(r.calibrationFor(2).extractor).toMatchObject({ type: 'FixedWindowSum', peakIndex: 11 });
    expect(r.calibrationFor(3).extractor).toMatchObject({ type: 'NeighborPeakWindowSum', windowWidth: 7, windowShift: 3, localWeight: 0 });
  });
});
