/**
 * Subset exports through the worker, read back by the real Python readers in
 * the same run: a 10-event DL1 subset with PyTables (every event table equal
 * to the source rows of the kept events, everything else equal to the
 * source, attributes carried over, provenance present), a cut-expression
 * subset (the events PyTables' read_where selects), a 10-event WatChMaL subset
 * with h5py (hits re-indexed), cancellation, and the CLI.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { exportSubset, parseEventList } from '../../../../src-main/files/export-subset.js';
import { runExport } from '../../../../src-main/cli/commands/export.js';
import { Hdf5Error } from '../../../../src-worker/io/hdf5/h5-errors.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('h5py', 'tables');

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));
const DL1 = `${SAMPLES}dl1_sample_120.blosc.h5`;
const WATCHMAL = `${SAMPLES}watchmal_iwcd4pi_sample_digihits.h5`;
const CMP_DL1 = fileURLToPath(new URL('./compare-dl1-subset.py', import.meta.url));
const CMP_W = fileURLToPath(new URL('./compare-watchmal-subset.py', import.meta.url));

interface Dl1Report {
  kept: [number, number][];
  tables: Record<string, { kind: 'event' | 'copy'; expected_rows: number; rows: number; equal: boolean; nrows_attr: number | null }>;
  attrs_mismatch: string[];
  provenance: Record<string, string | number>;
  cut_kept?: [number, number][];
}

function python<T>(script: string, args: string[]): T {
  return JSON.parse(execFileSync(REF_PY.path, [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })) as T;
}

function checkDl1(report: Dl1Report) {
  const paths = Object.keys(report.tables);
  expect(paths.length).toBeGreaterThan(100);
  for (const [path, t] of Object.entries(report.tables)) {
    expect(t.equal, `${path}: values`).toBe(true);
    expect(t.rows, `${path}: rows`).toBe(t.expected_rows);
    if (t.nrows_attr !== null) expect(t.nrows_attr, `${path}: NROWS`).toBe(t.rows);
  }
  expect(report.attrs_mismatch).toEqual([]);
}

describeWith([REF_PY], 'subset export', () => {
  let client: Hdf5Client;
  let dir: string;
  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker() });
    dir = mkdtempSync(join(tmpdir(), 'lp-export-'));
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('writes 10 DL1 events that PyTables reads back identically', async () => {
    const out = join(dir, 'ten.dl1.h5');
    // every 12th event of the file, as obs_id:event_id
    const { fileId } = await client.open(DL1);
    const index = await client.request({ type: 'dl1EventIndex', fileId });
    await client.close(fileId);
    const list = Array.from({ length: 10 }, (_, k) => `${index.obsId[k * 12]}:${index.eventId[k * 12]}`);
    const progress: number[] = [];
    const result = await exportSubset({
      input: DL1,
      output: out,
      selection: parseEventList(list.join(',')),
      command: 'test: 10 events',
      client,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result.nEvents).toBe(10);
    expect(result.output).toBe(out);
    expect(progress.length).toBeGreaterThan(10);
    const report = python<Dl1Report>(CMP_DL1, [DL1, out]);
    expect(report.kept.map(([o, e]) => `${o}:${e}`).sort()).toEqual([...list].sort());
    checkDl1(report);
    expect(report.tables['/dl1/event/subarray/trigger'].rows).toBe(10);
    expect(report.tables['/simulation/event/subarray/shower'].rows).toBe(10);
    expect(report.tables['/dl2/event/subarray/geometry/HillasReconstructor'].rows).toBe(10);
    expect(report.tables['/configuration/instrument/subarray/layout']).toMatchObject({ kind: 'copy', rows: 15 });
    const telRows = Object.entries(report.tables)
      .filter(([p]) => p.startsWith('/dl1/event/telescope/images/'))
      .reduce((a, [, t]) => a + t.rows, 0);
    expect(telRows).toBe(report.tables['/dl1/event/telescope/trigger'].rows);
    expect(report.provenance).toMatchObject({
      LIGHTPOOL_SOFTWARE: 'Lightpool',
      LIGHTPOOL_COMMAND: 'test: 10 events',
      LIGHTPOOL_SOURCE_FILE: DL1,
      LIGHTPOOL_N_EVENTS: 10,
    });
    expect(String(report.provenance.LIGHTPOOL_SELECTION)).toContain(list[0]);
    expect(String(report.provenance.LIGHTPOOL_TIMESTAMP)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(report.provenance.LIGHTPOOL_SOFTWARE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    // and our own reader opens the subset as a DL1 file
    const again = await client.open(out);
    expect(again.summary.kind).toBe('dl1');
    expect(again.summary.dl1?.nEvents).toBe(10);
    await client.close(again.fileId);
  });

  it('exports the events a cut expression selects, as PyTables read_where finds them', async () => {
    const out = join(dir, 'cut.dl1.h5');
    const result = await exportSubset({
      input: DL1,
      output: out,
      selection: { kind: 'where', expr: 'hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2' },
      client,
    });
    const report = python<Dl1Report>(CMP_DL1, [DL1, out, '(hillas_intensity > 1000) & (leakage_intensity_width_2 < 0.2)']);
    expect(report.cut_kept!.length).toBeGreaterThan(0);
    expect(report.cut_kept!.length).toBeLessThan(120);
    expect(report.kept).toEqual(report.cut_kept);
    expect(result.nEvents).toBe(report.kept.length);
    checkDl1(report);
    expect(report.provenance.LIGHTPOOL_SELECTION).toBe('where: hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2');
  });

  it('writes 10 WatChMaL events that h5py reads back with the hits re-indexed', async () => {
    const out = join(dir, 'ten.watchmal.h5');
    const indices = [0, 3, 5, 7, 11, 13, 17, 19, 23, 149];
    const result = await exportSubset({ input: WATCHMAL, output: out, selection: { kind: 'indices', indices }, command: 'test: watchmal', client });
    expect(result.nEvents).toBe(10);
    const report = python<{
      datasets: Record<string, { shape: number[]; dtype: string; src_dtype: string; equal: boolean; compression: string | null }>;
      attrs: Record<string, boolean>;
      provenance: Record<string, string | number>;
    }>(CMP_W, [WATCHMAL, out, indices.join(',')]);
    expect(Object.keys(report.datasets).sort()).toEqual(
      [
        'angles',
        'energies',
        'event_hits_index',
        'event_ids',
        'fully_contained',
        'hit_charge',
        'hit_pmt',
        'hit_time',
        'labels',
        'positions',
        'root_files',
        'veto',
        'veto2',
      ].sort(),
    );
    for (const [name, d] of Object.entries(report.datasets)) {
      expect(d.equal, name).toBe(true);
      expect(d.dtype, name).toBe(d.src_dtype);
      expect(d.compression, name).toBe('gzip');
    }
    expect(report.datasets.labels.shape).toEqual([10]);
    expect(report.datasets.positions.shape).toEqual([10, 1, 3]);
    expect(Object.values(report.attrs).every(Boolean)).toBe(true);
    expect(report.provenance).toMatchObject({
      lightpool_software: 'Lightpool',
      lightpool_command: 'test: watchmal',
      lightpool_n_events: 10,
      lightpool_source_file: WATCHMAL,
    });
  });

  it('cancels an export and leaves no file behind', async () => {
    const out = join(dir, 'cancelled.h5');
    const abort = new AbortController();
    let err: unknown;
    try {
      await exportSubset({
        input: DL1,
        output: out,
        selection: { kind: 'indices', indices: Array.from({ length: 120 }, (_, i) => i) },
        client,
        signal: abort.signal,
        onProgress: (p) => p.done >= 5 && abort.abort(),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Hdf5Error);
    expect((err as Hdf5Error).code).toBe('cancelled');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([]);
  });

  it('refuses bad selections and existing outputs with clear messages', async () => {
    const out = join(dir, 'bad.h5');
    await expect(exportSubset({ input: DL1, output: out, selection: { kind: 'events', events: [{ obsId: 2, eventId: 999_999 }] }, client })).rejects.toThrow(
      `${DL1}: no event 2:999999 (obs_id:event_id) in the file`,
    );
    await expect(exportSubset({ input: DL1, output: out, selection: { kind: 'where', expr: 'hillas_intensty > 5' }, client })).rejects.toThrow(
      /unknown column hillas_intensty/,
    );
    await expect(exportSubset({ input: DL1, output: out, selection: { kind: 'where', expr: 'hillas_intensity >> 5' }, client })).rejects.toThrow(
      /cut expression "hillas_intensity >> 5": unexpected ">"/,
    );
    writeFileSync(out, 'x');
    await expect(exportSubset({ input: DL1, output: out, selection: { kind: 'indices', indices: [0] }, client })).rejects.toThrow(`${out}: exists already`);
    expect(() => parseEventList('2:200,abc')).toThrow('"abc" is not an event');
    expect(existsSync(out)).toBe(true);
  });

  it('runs as `lightpool export` on the command line', async () => {
    const out = join(dir, 'cli.h5');
    const line = await runExport(DL1, { out, events: '2:200,2:300', quiet: true }, client, [
      'node',
      'lightpool',
      'export',
      DL1,
      '--out',
      out,
      '--events',
      '2:200,2:300',
    ]);
    expect(line).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 events, \\d+ datasets`));
    const report = python<Dl1Report>(CMP_DL1, [DL1, out]);
    expect(report.kept).toEqual([
      [2, 200],
      [2, 300],
    ]);
    expect(report.provenance.LIGHTPOOL_COMMAND).toBe(`lightpool export ${DL1} --out ${out} --events 2:200,2:300`);
    await expect(runExport(DL1, { out: join(dir, 'x.h5') }, client)).rejects.toThrow('give exactly one of --events LIST or --where EXPR');
  });
});
