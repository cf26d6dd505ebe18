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
import { WorkerPool } from '../../../../src-main/pool/worker-pool.js';
import { MlemClient } from '../../../../src-main/lab/mlem-client.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { readSystemMatrix } from '../../../../src-worker/lab/compton/system-matrix-input.js';
import { MlemReconstruction } from '../../../../src-worker/lab/compton/mlem.js';
import type { SignalTracesResult } from '../../../../src-worker/lab/spectroscopy/shape-signals-task.js';
import type { MlemIteration } from '../../../../src-worker/lab/compton/mlem-protocol.js';
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
    const job = runStack({
      pattern: `${LAB}export/*/*/*/*.png`,
      output: out,
      pixels: { window: [60, 130], crop: 64 },
      pool,
      signal: abort.signal,
      onProgress: (p) => p.done >= 3 && abort.abort(),
    });
    await expect(job).rejects.toBeInstanceOf(LabJobCancelled);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);

  it('the pool gives the raw and shaped traces of chosen signals; their maxima are the amplitudes', async () => {
    const shaping = { k: 450, m: 60, M: 3600, baselineSamples: 500 };
    const all = await shapeSignals({ input: `${LAB}digitized_preamp_signals.h5`, shaping, pool });
    const rows = [0, 7, 999];
    const t = await pool.run<SignalTracesResult>({
      kind: 'lab-signal-traces',
      file: `${LAB}digitized_preamp_signals.h5`,
      dataset: '/signals',
      rows,
      options: shaping,
    });
    expect(t.nSamples).toBe(3000);
    const f = await H5File.open(`${LAB}digitized_preamp_signals.h5`);
    const { numericDatasetInfo, readNumericRows } = await import('../../../../src-worker/lab/numeric-dataset.js');
    const info = numericDatasetInfo(f, '/signals', [2], 'signals');
    rows.forEach((row, i) => {
      const shaped = t.shaped.subarray(i * 3000, (i + 1) * 3000);
      expect(Math.abs(Math.max(...shaped) - all.amplitude[row]) / all.amplitude[row]).toBeLessThan(1e-12);
      expect(t.baseline[i]).toBe(all.baseline[row]);
      const raw = readNumericRows(f, info, row, 1);
      expect(Array.from(t.raw.subarray(i * 3000, (i + 1) * 3000))).toEqual(Array.from(raw, (v) => v - all.baseline[row]));
    });
    f.close();
    await expect(
      pool.run({ kind: 'lab-signal-traces', file: `${LAB}digitized_preamp_signals.h5`, dataset: '/signals', rows: [1000], options: shaping }),
    ).rejects.toThrow(/signal 1000 does not exist/);
  }, 300_000);

  it('MlemClient: images after each iteration, stop, continue, reset; the same numbers as in this thread', async () => {
    const client = new MlemClient();
    try {
      const info = await client.load({ file: `${LAB}compton_sysmat.h5` });
      expect([info.format, info.nCones, info.nPixels, info.imageShape, info.engine]).toEqual(['dense', 100, 65341, [181, 361], 'wasm-simd']);
      const seen: MlemIteration[] = [];
      const d1 = await client.run(3, (m) => seen.push(m));
      expect(seen.map((m) => m.iteration)).toEqual([1, 2, 3]);
      expect(d1).toMatchObject({ iteration: 3, stopped: false });
      // a long run stopped from here, after its first image
      let stopped = 0;
      const d2 = await client.run(1_000_000, (m) => {
        if (!stopped) {
          stopped = m.iteration;
          client.stop();
        }
      });
      expect(d2.stopped).toBe(true);
      expect(d2.iteration).toBeGreaterThan(3);
      expect(d2.iteration).toBeLessThan(1_000_000);
      await client.reset();
      const last: MlemIteration[] = [];
      const d3 = await client.run(10, (m) => last.push(m), 5);
      expect(d3.iteration).toBe(10);
      expect(last.map((m) => m.iteration)).toEqual([5, 10]);
      // the same as a reconstruction in this thread
      const f = await H5File.open(`${LAB}compton_sysmat.h5`);
      const here = new MlemReconstruction(readSystemMatrix(f).matrix);
      f.close();
      for (let i = 0; i < 10; i++) here.iterate();
      expect(Array.from(last[1].image)).toEqual(Array.from(here.image()));
      expect(Array.from(info.backprojection)).toEqual(Array.from(here.backprojection));
      await expect(client.load({ file: `${LAB}compton_sysmat.h5`, dataset: '/nope' })).rejects.toThrow(/no \/nope/);
    } finally {
      await client.close();
    }
  }, 300_000);

  itWith(
    [PY],
    'three lines: calibrated on 511 and 1274.5 keV, the Cs-137 line is at 661.657 keV within 0.5 keV',
    async () => {
      const gen = join(dir, 'gen');
      execFileSync(PY.path, [`${LAB}make_lab_data.py`, gen, '5', '--signals', '3000', '--lines', '511,661.657,1274.537', '--cones', '1', '--images', '1'], {
        stdio: 'pipe',
        timeout: 300_000,
      });
      const input = join(gen, 'digitized_preamp_signals.h5');
      const first = await runSpectrum({ input, output: join(dir, 'uncal.h5'), shaping: { k: 450, m: 60, M: 3600 }, pool });
      // the three lines: the fits with the most counts, in order of position
      const lines = first.analysis.peaks
        .slice()
        .sort((a, b) => b.netCounts - a.netCounts)
        .slice(0, 3)
        .sort((a, b) => a.centroid - b.centroid);
      expect(lines.length).toBe(3);
      const cal = [
        { adc: lines[0].centroid, keV: 511 },
        { adc: lines[2].centroid, keV: 1274.537 },
      ];
      const second = await runSpectrum({ input, output: join(dir, 'cal.h5'), shaping: { k: 450, m: 60, M: 3600 }, calibration: cal, pool });
      const cs = second.analysis.peaks.find((p) => Math.abs(p.centroid - lines[1].centroid) < 5);
      expect(cs).toBeDefined();
      expect(Math.abs(cs!.keV!.centroid - 661.657)).toBeLessThan(0.5);
      rmSync(gen, { recursive: true, force: true });
      rmSync(join(dir, 'uncal.h5'));
      rmSync(join(dir, 'cal.h5'));
    },
    600_000,
  );
});
