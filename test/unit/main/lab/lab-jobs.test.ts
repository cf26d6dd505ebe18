/**
 * The lab jobs as a view will drive them (src-main/lab): Cancel through an
 * AbortSignal stops the shaping in the pool and the image stack, and leaves
 * neither OUT nor a temporary file; and the energy calibration on a file
 * with three lines (made by the fixtures' own generator,
 * test/fixtures/lab/make_lab_data.py, with Na-22's 511 and 1274.5 keV and
 * Cs-137's 661.657 keV): calibrated on the two Na-22 lines, the Cs-137 line
 * comes out at 661.657 keV within 0.5 keV, a measurement that does not use
 * its own energy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shapeSignals } from '../../../../src-main/lab/shape-signals.js';
import { runSpectrum } from '../../../../src-main/lab/run-spectrum.js';
import { runStack } from '../../../../src-main/lab/run-stack.js';
import { LabJobCancelled } from '../../../../src-main/lab/lab-job.js';
import { WorkerPool } from '../../../../src-main/backend/worker-pool.js';
import { python } from '../../../helpers/reference-tools.js';
import { itWith } from '../../../helpers/vitest-tools.js';

const LAB = fileURLToPath(new URL('../../../fixtures/lab/', import.meta.url));
const PY = python('numpy', 'tables', 'PIL');

describe('lab jobs: Cancel and calibration', () => {
  let dir: string;
  let pool: WorkerPool;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lightpool-lab-jobs-'));
    pool = new WorkerPool(2);
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shaping stops on Cancel: LabJobCancelled, and runSpectrum writes nothing', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const job = shapeSignals({
      input: `${LAB}digitized_preamp_signals.h5`,
      shaping: { k: 450, m: 60, M: 3600, baselineSamples: 500 },
      pool,
      batchRows: 16,
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done > 0) abort.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(LabJobCancelled);
    expect(Math.max(...seen)).toBeLessThan(1000);

    const abort2 = new AbortController();
    const out = join(dir, 'spectrum.h5');
    const spectrum = runSpectrum({
      input: `${LAB}digitized_preamp_signals.h5`,
      output: out,
      shaping: { k: 450, m: 60, M: 3600 },
      pool,
      signal: abort2.signal,
      onProgress: (p) => p.done > 0 && abort2.abort(),
    });
    await expect(spectrum).rejects.toBeInstanceOf(LabJobCancelled);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);

  it('the image stack stops on Cancel and writes nothing', async () => {
    const abort = new AbortController();
    const out = join(dir, 'train.h5');
    const job = runStack({ pattern: `${LAB}export/*/*/*/*.png`, output: out, pixels: { window: [60, 130], crop: 64 }, pool, signal: abort.signal, onProgress: (p) => p.done >= 3 && abort.abort() });
    await expect(job).rejects.toBeInstanceOf(LabJobCancelled);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);

  itWith([PY], 'three lines: calibrated on 511 and 1274.5 keV, the Cs-137 line is at 661.657 keV within 0.5 keV', async () => {
    const gen = join(dir, 'gen');
    execFileSync(PY.path, [`${LAB}make_lab_data.py`, gen, '5', '--signals', '3000', '--lines', '511,661.657,1274.537', '--cones', '1', '--images', '1'], { stdio: 'pipe', timeout: 300_000 });
    const input = join(gen, 'digitized_preamp_signals.h5');
    const first = await runSpectrum({ input, output: join(dir, 'uncal.h5'), shaping: { k: 450, m: 60, M: 3600 }, pool });
    // the three lines: the fits with the most counts, in order of position
    const lines = first.analysis.peaks.slice().sort((a, b) => b.netCounts - a.netCounts).slice(0, 3).sort((a, b) => a.centroid - b.centroid);
    expect(lines.length).toBe(3);
    const cal = [{ adc: lines[0].centroid, keV: 511 }, { adc: lines[2].centroid, keV: 1274.537 }];
    const second = await runSpectrum({ input, output: join(dir, 'cal.h5'), shaping: { k: 450, m: 60, M: 3600 }, calibration: cal, pool });
    const cs = second.analysis.peaks.find((p) => Math.abs(p.centroid - lines[1].centroid) < 5);
    expect(cs).toBeDefined();
    expect(Math.abs(cs!.keV!.centroid - 661.657)).toBeLessThan(0.5);
    rmSync(gen, { recursive: true, force: true });
    rmSync(join(dir, 'uncal.h5'));
    rmSync(join(dir, 'cal.h5'));
  }, 600_000);
});
