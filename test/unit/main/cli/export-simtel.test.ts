/**
 * `lightpool export FILE.simtel.zst --events obs:event,... --out OUT.dl1.h5`:
 * the selected events of a sim_telarray file, calibrated as `lightpool
 * process` does, in ctapipe's DL1 layout. ctapipe 0.26 reads the output back
 * (SubarrayDescription, HDF5EventSource, TableLoader), finds exactly the
 * selected events, and their images are bit for bit the ones
 * ctapipe-process wrote from the whole file; with --write-waveforms the R1
 * table holds the selected events only. An event the file does not have is
 * an error naming it, with nothing written; --where is refused for
 * sim_telarray files, saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCli } from '../process/build-cli.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../src-worker/io/hdf5/table-reader.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const SIMTEL = join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst');
const REFERENCE = join(FIXTURES, 'lst_muons_with_true_photons.ctapipe.dl1.h5');
// the file holds events 100, 200 and 300 of run 14: keep the first and the last
const SELECTED = [
  [14, 100],
  [14, 300],
];

const dir = mkdtempSync(join(tmpdir(), 'lp-export-simtel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

async function exportEvents(out: string, events: string, extra: string[] = []): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [cli, 'export', SIMTEL, '--events', events, '--out', out, '--focal-length-choice', 'EQUIVALENT', '--quiet', '--force', ...extra],
    { timeout: 300_000 },
  );
  return stdout;
}

/** (obs_id, event_id) of every row of a table */
async function rowIds(file: string, table: string): Promise<number[][]> {
  const f = await H5File.open(file);
  try {
    const t = new TableReader(f, table, new ChunkCache());
    return Array.from({ length: t.nRows }, (_, i) => {
      const r = t.row(i);
      return [Number(r.obs_id), Number(r.event_id)];
    });
  } finally {
    f.close();
  }
}

describe('lightpool export of a sim_telarray file', () => {
  it('writes the selected events only (trigger, images, R1 waveforms), in file order', async () => {
    const out = join(dir, 'selected-w.dl1.h5');
    const stdout = await exportEvents(out, '14:300,14:100', ['--write-waveforms']);
    expect(stdout).toContain(`${out}: 2 events, 2 images`);
    expect(await rowIds(out, '/dl1/event/subarray/trigger')).toEqual(SELECTED);
    expect(await rowIds(out, '/dl1/event/telescope/images/tel_001')).toEqual(SELECTED);
    expect(await rowIds(out, '/dl1/event/telescope/parameters/tel_001')).toEqual(SELECTED);
    expect(await rowIds(out, '/r1/event/telescope/tel_001')).toEqual(SELECTED);
    expect(await rowIds(out, '/simulation/event/subarray/shower')).toEqual(SELECTED);
  }, 300_000);

  it('an event the file does not have is an error naming it, and nothing is written', async () => {
    const out = join(dir, 'missing.dl1.h5');
    await expect(exportEvents(out, '14:100,14:301')).rejects.toThrow(/no array event 14:301/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 300_000);

  it('--where is refused for a sim_telarray file, saying why', async () => {
    await expect(
      run(process.execPath, [cli, 'export', SIMTEL, '--where', 'hillas_intensity > 1', '--out', join(dir, 'where.h5')], { timeout: 120_000 }),
    ).rejects.toThrow(/a sim_telarray file takes --events/);
  }, 180_000);
});

describeWith([ctapipe()], 'ctapipe reads what lightpool export writes from a sim_telarray file', () => {
  itWith(
    [ctapipe()],
    'HDF5EventSource finds exactly the selected events, images bit for bit ctapipe-process’s; SubarrayDescription and TableLoader read it',
    async () => {
      const out = join(dir, 'selected-ctapipe.dl1.h5');
      await exportEvents(out, '14:100,14:300');
      const r = await ctapipeReadback(out, { reference: REFERENCE, focalLengthChoice: 'EQUIVALENT' });
      expect(readbackProblems(r, { events: 2, images: 2, parameters: true })).toEqual([]);
      expect(r.event_source.event_ids).toEqual(SELECTED);
      expect(r.reference?.identical).toBe(2);
    },
    600_000,
  );
});
