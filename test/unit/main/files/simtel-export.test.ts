/**
 * The app's export of selected events of an open sim_telarray file
 * (file.export through the file API): written by the export thread with the
 * code of `lightpool export FILE.simtel.zst --events ...`, to a temporary
 * name renamed when complete, with progress and cancel; ctapipe 0.26 reads
 * the output back and finds exactly the selected events, images bit for bit
 * ctapipe-process's. A cut is refused for a sim_telarray file, saying why.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { FileService } from '../../../../src-main/files/file-service.js';
import type { ExportProgressMessage } from '../../../../src-main/api/file-contract.js';
import { buildHdf5Worker, REPO } from './build-hdf5-worker.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../src-worker/io/hdf5/table-reader.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const SIMTEL = join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst');
const REFERENCE = join(FIXTURES, 'lst_muons_with_true_photons.ctapipe.dl1.h5');

async function buildExportThread(): Promise<string> {
  const outdir = join(REPO, 'node_modules', '.cache', 'lightpool-tests', `simtel-export-${process.pid}`);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'simtel-export-thread.js');
  await build({
    absWorkingDir: REPO,
    entryPoints: [join(REPO, 'src-main/files/simtel-export-thread.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
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

describeWith([ctapipe()], 'file.export of a sim_telarray file (the app’s Export dialog)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-simtel-export-'));
  let client: Hdf5Client;
  let files: FileService;
  let fileId: string;
  const messages: ExportProgressMessage[] = [];

  const ended = (jobId: string) =>
    new Promise<ExportProgressMessage>((resolve) => {
      const seen = messages.find((m) => m.jobId === jobId && m.done);
      if (seen) return resolve(seen);
      const on = (m: ExportProgressMessage) => {
        if (m.jobId !== jobId || !m.done) return;
        files.off('export-progress', on);
        resolve(m);
      };
      files.on('export-progress', on);
    });

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 120_000 });
    files = new FileService({ client, simtelExportWorkerPath: await buildExportThread() });
    files.on('export-progress', (m) => messages.push(m));
    const opened = await files.open(SIMTEL);
    fileId = opened.fileId;
    expect(opened.format.offers).toContain('subset-export');
  }, 120_000);
  afterAll(async () => {
    await files?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes events 0 and 2 (with waveforms): exactly those, ctapipe reads them, images equal ctapipe-process’s', async () => {
    const out = join(dir, 'selected.dl1.h5');
    const started = await files.handlers['file.export']({ fileId, out, selection: { kind: 'indices', indices: [2, 0] }, writeWaveforms: true, jobId: 'sel' });
    expect(started.out).toBe(out);
    const end = await ended('sel');
    expect(end.done).toMatchObject({ ok: true });
    const result = end.done!.ok ? end.done!.result : undefined;
    expect(result?.nEvents).toBe(2);
    expect(result?.kept).toEqual([
      { obsId: 14, eventId: 100, index: 0 },
      { obsId: 14, eventId: 300, index: 2 },
    ]);
    expect(messages.some((m) => m.jobId === 'sel' && m.progress)).toBe(true);
    const selected = [
      [14, 100],
      [14, 300],
    ];
    expect(await rowIds(out, '/dl1/event/subarray/trigger')).toEqual(selected);
    expect(await rowIds(out, '/dl1/event/telescope/images/tel_001')).toEqual(selected);
    expect(await rowIds(out, '/r1/event/telescope/tel_001')).toEqual(selected);
    expect(await rowIds(out, '/r0/event/telescope/tel_001')).toEqual(selected);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const r = await ctapipeReadback(out, { reference: REFERENCE, focalLengthChoice: 'EQUIVALENT' });
    expect(readbackProblems(r, { events: 2, images: 2, parameters: true })).toEqual([]);
    expect(r.event_source.event_ids).toEqual(selected);
    expect(r.reference?.identical).toBe(2);
  }, 600_000);

  it('without waveforms: no /r1 table; an existing output is refused unless overwrite', async () => {
    const out = join(dir, 'one.dl1.h5');
    await files.handlers['file.export']({ fileId, out, selection: { kind: 'indices', indices: [1] }, jobId: 'one' });
    expect((await ended('one')).done).toMatchObject({ ok: true });
    expect(await rowIds(out, '/dl1/event/telescope/images/tel_001')).toEqual([[14, 200]]);
    const f = await H5File.open(out);
    try {
      expect(f.has('/r1')).toBe(false);
    } finally {
      f.close();
    }
    await expect(files.handlers['file.export']({ fileId, out, selection: { kind: 'indices', indices: [1] } })).rejects.toThrow(/exists already/);
    await files.handlers['file.export']({ fileId, out, selection: { kind: 'indices', indices: [0] }, overwrite: true, jobId: 'again' });
    expect((await ended('again')).done).toMatchObject({ ok: true });
    expect(await rowIds(out, '/dl1/event/telescope/images/tel_001')).toEqual([[14, 100]]);
  }, 300_000);

  it('a cut is refused for a sim_telarray file; a cancelled export leaves nothing', async () => {
    await expect(
      files.handlers['file.export']({ fileId, out: join(dir, 'cut.h5'), selection: { kind: 'where', expr: 'hillas_intensity > 1' } }),
    ).rejects.toThrow(/stores no parameters/);
    const out = join(dir, 'cancelled.dl1.h5');
    await files.handlers['file.export']({ fileId, out, selection: { kind: 'indices', indices: [0, 1, 2] }, writeWaveforms: true, jobId: 'stop' });
    expect(files.handlers['file.exportCancel']({ jobId: 'stop' })).toEqual({ cancelled: true });
    const end = await ended('stop');
    expect(end.done).toMatchObject({ ok: false, cancelled: true });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});
