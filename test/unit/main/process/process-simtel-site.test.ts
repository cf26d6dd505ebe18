/**
 * The site of a sim_telarray file in what `lightpool process` writes: the
 * layout's `reference_itrs_{x,y,z}` attributes, read by ctapipe 0.26's
 * SubarrayDescription.from_hdf (compare-site.py), give the reference location
 * ctapipe-process's own output gives (test/fixtures/simtel/*.ctapipe.dl1.h5)
 * within 1e-6 relative (bit-identical today), e.g. aux_traces_2029's
 * (−70.316345°, −24.683429°, 2147 m), not ctapipe's null-island default
 * (lon 0, lat 0, height 0); and `lightpool process` of that output finds
 * the site (no "no reference_itrs" note: h_max above sea level).
 *
 * And the observation and scheduling blocks (compare-observation-blocks.py):
 * every column of ctapipe-process's, same dtype, equal values — producer_id
 * 'simulation', sb_type OBSERVATION, pointing_mode DRIFT, state
 * COMPLETED_SUCCEDED, scheduled and actual start the run header's time in
 * MJD (TAI), durations NaN — as SimTelEventSource fills them.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCli } from './build-cli.js';
import { ctapipe, python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const COMPARE = fileURLToPath(new URL('./compare-site.py', import.meta.url));
const COMPARE_BLOCKS = fileURLToPath(new URL('./compare-observation-blocks.py', import.meta.url));
/** the fixtures with a ctapipe-process reference, and the site ctapipe gives each */
const FILES = [
  { name: 'aux_traces_2029', lon: -70.316345, lat: -24.683429, height: 2147 },
  { name: 'lst_muons_with_true_photons', lon: 0, lat: 0, height: 2150 },
  { name: 'gamma_with_obslevel_particles', lon: 0, lat: 0, height: 1835 },
  { name: '40k_pixels', lon: 0, lat: 0, height: 2000 },
] as const;

interface BlocksComparison {
  tables: Record<string, { columns: string[]; rows: number; problems: string[] }>;
  max_time_diff_s: number;
}

interface Site {
  itrs: [number, number, number];
  geodetic: [number, number, number];
  attrs: [number, number, number] | null;
}

describeWith([ctapipe()], 'lightpool process writes the sim_telarray site and observation blocks as ctapipe-process does', () => {
  let cli: string;
  const dir = mkdtempSync(join(tmpdir(), 'lp-process-site-'));
  beforeAll(async () => {
    cli = await buildCli();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const out = (name: string) => join(dir, `${name}.dl1.h5`);

  itWith(
    [ctapipe()],
    `${FILES.map((f) => f.name).join(', ')}: SubarrayDescription.from_hdf's reference_location equals ctapipe-process's`,
    async () => {
      for (const f of FILES) {
        await run(
          process.execPath,
          [cli, 'process', join(FIXTURES, `${f.name}.simtel.zst`), '--out', out(f.name), '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force'],
          { timeout: 300_000 },
        );
      }
      const refs = FILES.map((f) => join(FIXTURES, `${f.name}.ctapipe.dl1.h5`));
      const { stdout } = await run(ctapipe().path, [COMPARE, ...FILES.map((f) => out(f.name)), ...refs], { timeout: 300_000, maxBuffer: 16 << 20 });
      const sites = JSON.parse(stdout) as Record<string, Site>;
      let maxRel = 0;
      let maxAbs = 0;
      for (const f of FILES) {
        const ours = sites[out(f.name)];
        const ref = sites[join(FIXTURES, `${f.name}.ctapipe.dl1.h5`)];
        expect(ours.attrs, `${f.name}: reference_itrs_{x,y,z}`).not.toBeNull();
        const norm = Math.hypot(...ref.itrs);
        for (let i = 0; i < 3; i++) {
          const d = Math.abs(ours.itrs[i] - ref.itrs[i]);
          maxAbs = Math.max(maxAbs, d);
          maxRel = Math.max(maxRel, d / norm);
          expect(d, `${f.name} itrs[${i}]: ${ours.itrs[i]} vs ${ref.itrs[i]}`).toBeLessThanOrEqual(1e-6 * norm);
        }
        // what ctapipe reads back: the site, not null island at sea level
        expect(ours.geodetic[0]).toBeCloseTo(f.lon, 9);
        expect(ours.geodetic[1]).toBeCloseTo(f.lat, 9);
        expect(ours.geodetic[2]).toBeCloseTo(f.height, 6);
        expect(ref.geodetic[2]).toBeCloseTo(f.height, 6);
      }
      console.log(`site of ${FILES.length} files: ITRS max |d| ${maxAbs.toExponential(2)} m (${maxRel.toExponential(2)} relative) from ctapipe-process's`);
    },
    600_000,
  );

  itWith(
    [ctapipe()],
    'processing the output again finds the site (no "no reference_itrs" note)',
    async () => {
      const src = out('aux_traces_2029');
      await run(
        process.execPath,
        [cli, 'process', join(FIXTURES, 'aux_traces_2029.simtel.zst'), '--out', src, '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force'],
        { timeout: 300_000 },
      );
      const { stdout, stderr } = await run(
        process.execPath,
        [cli, 'process', src, '--out', join(dir, 'again.h5'), '--focal-length-choice', 'EQUIVALENT', '--force'],
        { timeout: 300_000 },
      );
      expect(stdout + stderr).toContain('1 images of 1 events');
      expect(stdout + stderr).not.toContain('reference_itrs');
    },
    600_000,
  );

  itWith(
    [python('tables', 'numpy')],
    `${FILES.map((f) => f.name).join(', ')}: the observation and scheduling blocks equal ctapipe-process's`,
    async () => {
      let maxTime = 0;
      for (const f of FILES) {
        await run(
          process.execPath,
          [cli, 'process', join(FIXTURES, `${f.name}.simtel.zst`), '--out', out(f.name), '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force'],
          { timeout: 300_000 },
        );
        const { stdout } = await run(python('tables', 'numpy').path, [COMPARE_BLOCKS, out(f.name), join(FIXTURES, `${f.name}.ctapipe.dl1.h5`)], {
          timeout: 300_000,
        });
        const c = JSON.parse(stdout) as BlocksComparison;
        const problems = Object.entries(c.tables).flatMap(([p, t]) => t.problems.map((x) => `${f.name} ${p}: ${x}`));
        expect(problems).toEqual([]);
        const ob = c.tables['/configuration/observation/observation_block'];
        expect(ob.rows).toBe(1);
        expect(ob.columns).toEqual(expect.arrayContaining(['producer_id', 'state', 'scheduled_start_time', 'actual_start_time', 'actual_duration']));
        expect(c.tables['/configuration/observation/scheduling_block'].columns).toEqual(expect.arrayContaining(['sb_type', 'producer_id', 'pointing_mode']));
        maxTime = Math.max(maxTime, c.max_time_diff_s);
      }
      console.log(`observation blocks of ${FILES.length} files equal ctapipe-process's; start times max |d| ${maxTime.toExponential(2)} s`);
    },
    600_000,
  );
});
