/**
 * A ≥ 2 GB DL1-layout file (the sample's events repeated): opening it and
 * reading event 0 and a few others through the worker gives the right
 * events, and the process (main thread + HDF5 worker) stays below 300 MB
 * resident, because only metadata, the event index and the chunks of the
 * requested rows are read. How fast (open + event 0 under 1 s) is
 * measured by `npm run bench big-file`, not asserted here: a test must
 * pass on a busy machine.
 * Set LIGHTPOOL_SKIP_BIG=1 to skip (it writes 2 GB to the temp folder).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeBigDl1 } from './make-big-dl1.js';
import { buildHdf5Worker, REPO } from './build-hdf5-worker.js';

const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lp-big-'));

describe.skipIf(process.env.LIGHTPOOL_SKIP_BIG === '1')('a 2 GB DL1 file', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens and reads its events with under 300 MB resident', async () => {
    const big = join(dir, 'big.dl1.h5');
    const made = await makeBigDl1(SAMPLE, big, 2.05 * 2 ** 30);
    expect(statSync(big).size).toBeGreaterThanOrEqual(2 * 2 ** 30);
    const workerPath = await buildHdf5Worker();
    const probe = join(REPO, 'node_modules', '.cache', 'lightpool-tests', String(process.pid), 'big-file-probe.mjs');
    await build({
      absWorkingDir: REPO,
      entryPoints: [fileURLToPath(new URL('./big-file-probe.ts', import.meta.url))],
      outfile: probe,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    const out = JSON.parse(execFileSync(process.execPath, [probe, workerPath, big], { encoding: 'utf8' }));
    console.log(`2 GB file: ${made.events} events (${made.repeats}× the sample), ${(statSync(big).size / 2 ** 30).toFixed(2)} GiB;`, JSON.stringify(out));
    expect(out.nEvents).toBe(made.events);
    expect(out.telIds).toEqual([2, 3, 6, 10]);
    expect(out.imageLength).toBe(1855);
    expect(out.rssMB).toBeLessThan(300);
  }, 900_000);
});
