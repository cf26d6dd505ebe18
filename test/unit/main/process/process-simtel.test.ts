/**
 * `lightpool process FILE.simtel.zst --out OUT.dl1.h5 [--write-waveforms]`
 * against what ctapipe-process 0.26 wrote from the same sim_telarray files
 * (test/fixtures/simtel/*.ctapipe.dl1.h5: defaults, equivalent focal length,
 * R0 and R1 waveforms):
 *
 * - every table of the reference compared row by row with the output
 *   (compare-simtel-process.py: images within 1e-4 relative or 1e-3 p.e.,
 *   peak times within 1e-3 ns where the image is ≥ 1 p.e., masks identical,
 *   parameters and true-image parameters within the parity tolerances, R1
 *   waveforms within 1e-5 relative, R0 waveforms, true images, trigger,
 *   shower, instrument and simulation configuration tables, image
 *   statistics);
 * - the output read back by ctapipe's HDF5EventSource (images bit for bit
 *   the reference's) and TableLoader;
 * - without --write-waveforms there are no /r0 and /r1 tables;
 * - cancelling, or a truncated input, leaves nothing under OUT nor a
 *   temporary file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decompress as zstdDecompress } from 'fzstd';
import { buildCli } from './build-cli.js';
import { ctapipe, python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';
import { isSimtelPath, runProcessSimtel } from '../../../../src-main/process/process-simtel.js';
import { defaultProcessSettings } from '../../../../src-main/process/process-config.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const COMPARE = fileURLToPath(new URL('./compare-simtel-process.py', import.meta.url));
const FILES = [
  { name: 'lst_muons_with_true_photons', events: 3 },
  { name: 'gamma_with_obslevel_particles', events: 1 },
  { name: 'aux_traces_2029', events: 1 },
  { name: '40k_pixels', events: 2 },
] as const;

interface Comparison {
  tables: Record<string, { rows: number; values: number; problems: string[] }>;
  missing: string[];
  max_r1_rel: number;
}

const dir = mkdtempSync(join(tmpdir(), 'lp-process-simtel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

async function processFile(name: string, extra: string[] = []): Promise<{ out: string; stdout: string }> {
  const out = join(dir, `${name}${extra.length ? '-w' : ''}.dl1.h5`);
  const { stdout } = await run(
    process.execPath,
    [cli, 'process', join(FIXTURES, `${name}.simtel.zst`), '--out', out, '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force', ...extra],
    { timeout: 300_000 },
  );
  return { out, stdout };
}

describeWith([python('tables', 'numpy')], 'lightpool process on sim_telarray files equals ctapipe-process', () => {
  for (const f of FILES) {
    itWith(
      [python('tables', 'numpy')],
      `${f.name}: every table of ctapipe-process's file, within the issue's tolerances`,
      async () => {
        const { out, stdout } = await processFile(f.name, ['--write-waveforms']);
        expect(stdout).toContain(`${f.events} images of ${f.events} events`);
        const { stdout: json } = await run(python('tables', 'numpy').path, [COMPARE, out, join(FIXTURES, `${f.name}.ctapipe.dl1.h5`)], {
          maxBuffer: 64 << 20,
          timeout: 300_000,
        });
        const c = JSON.parse(json) as Comparison;
        expect(c.missing).toEqual([]);
        const problems = Object.entries(c.tables).flatMap(([p, t]) => t.problems.map((x) => `${p}: ${x}`));
        expect(problems).toEqual([]);
        // the tables that carry the issue's acceptance are there and compared
        const tel = 'tel_001';
        for (const p of [
          `/dl1/event/telescope/images/${tel}`,
          `/dl1/event/telescope/parameters/${tel}`,
          `/r1/event/telescope/${tel}`,
          `/r0/event/telescope/${tel}`,
          `/simulation/event/telescope/images/${tel}`,
          `/simulation/event/telescope/impact/${tel}`,
          '/dl1/event/subarray/trigger',
          '/simulation/event/subarray/shower',
          '/configuration/instrument/subarray/layout',
          '/configuration/simulation/run',
          '/dl1/service/image_statistics',
        ]) {
          expect(c.tables[p]?.rows, p).toBeGreaterThan(0);
        }
        expect(c.max_r1_rel).toBeLessThanOrEqual(1e-5);
        console.log(
          `${f.name}: ${Object.keys(c.tables).length} tables, ${Object.values(c.tables).reduce((a, t) => a + t.values, 0)} values equal ctapipe's; R1 max relative difference ${c.max_r1_rel.toExponential(2)}`,
        );
      },
      600_000,
    );
  }

  it('without --write-waveforms there are no waveform tables', async () => {
    const { out } = await processFile('lst_muons_with_true_photons');
    const h = await H5File.open(out);
    try {
      expect(h.kindOf('/r1')).toBeNull();
      expect(h.kindOf('/r0')).toBeNull();
      expect(h.hasDataset('/dl1/event/telescope/images/tel_001')).toBe(true);
      expect(h.hasDataset('/simulation/event/telescope/parameters/tel_001')).toBe(true);
    } finally {
      h.close();
    }
  }, 300_000);
});

describeWith([ctapipe()], 'ctapipe reads what lightpool process writes from sim_telarray files', () => {
  for (const f of FILES) {
    itWith(
      [ctapipe()],
      `${f.name}: SubarrayDescription, HDF5EventSource (images bit for bit ctapipe-process's) and TableLoader`,
      async () => {
        const out = join(dir, `${f.name}-w.dl1.h5`);
        await processFile(f.name, ['--write-waveforms']);
        const r = await ctapipeReadback(out, { reference: join(FIXTURES, `${f.name}.ctapipe.dl1.h5`), focalLengthChoice: 'EQUIVALENT' });
        expect(readbackProblems(r, { events: f.events, images: f.events, parameters: true })).toEqual([]);
        expect(r.event_source.datalevels).toEqual(['R1', 'DL1_IMAGES', 'DL1_PARAMETERS']);
        expect(r.reference?.identical).toBe(f.events);
      },
      600_000,
    );
  }
});

describe('process of a sim_telarray file leaves nothing behind when it stops', () => {
  const noLeftovers = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.tmp') || n.startsWith('out'));

  it('names sim_telarray files', () => {
    expect(['a.simtel', 'a.simtel.gz', 'b.SIMTEL.ZST', 'c.simtel.zstd'].every(isSimtelPath)).toBe(true);
    expect(['a.h5', 'a.dl1.h5', 'simtel.txt'].some(isSimtelPath)).toBe(false);
  });

  it('cancelled (Ctrl-C): no output, no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'cancel-'));
    const abort = new AbortController();
    abort.abort();
    await expect(
      runProcessSimtel({ input: join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst'), output: join(folder, 'out.h5'), signal: abort.signal }),
    ).rejects.toThrow(/cancelled|abort/i);
    expect(noLeftovers(folder)).toEqual([]);
  }, 120_000);

  it('a truncated file: a clear error naming it, no output, no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'trunc-'));
    const raw = zstdDecompress(readFileSync(join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst')));
    const cut = join(folder, 'cut.simtel');
    writeFileSync(cut, raw.subarray(0, Math.floor(raw.length * 0.8)));
    await expect(
      runProcessSimtel({ input: cut, output: join(folder, 'out.h5'), settings: defaultProcessSettings({ focalLengthChoice: 'EQUIVALENT' }) }),
    ).rejects.toThrow(/cut\.simtel.*truncated after event/);
    expect(noLeftovers(folder)).toEqual([]);
  }, 120_000);

  it('--write-waveforms on a DL1 input is refused, naming why', async () => {
    await expect(
      run(process.execPath, [cli, 'process', join(FIXTURES, 'lst_muons_with_true_photons.ctapipe.dl1.h5'), '--out', join(dir, 'x.h5'), '--write-waveforms']),
    ).rejects.toThrow(/not a sim_telarray file/);
  }, 120_000);
});
