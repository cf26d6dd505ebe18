/**
 * Histograms over sim_telarray files: the parameters of every image are
 * computed by a pass of the HDF5 worker (SimtelDL1Processor, ctapipe-process's
 * defaults) and histogrammed as a DL1 file's parameter tables are. Checked
 * against numpy.histogram of the same column of ctapipe-process's own output
 * of the same file (test/fixtures/simtel/*.ctapipe.dl1.h5), with the same edges.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { HistogramService } from '../../../../src-main/files/histogram-service.js';
import type { FileSummary } from '../../../../src-worker/io/service/hdf5-protocol.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const H5PY = python('h5py');
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/simtel/${name}`, import.meta.url));
/**
 * The files whose reference matches the app's settings: the references were made with
 * focal_length_choice=EQUIVALENT (make_simtel_refs.sh), the app uses ctapipe's default (the effective
 * focal length when the file has one, as gamma_with_obslevel_particles has: its parameters differ by that).
 */
const FILES = ['lst_muons_with_true_photons', '40k_pixels'];

/** numpy.histogram of `column` over every parameter table of ctapipe's file, with the given edges */
const PY = `
import sys, json, numpy as np, h5py
f = h5py.File(sys.argv[1], 'r')
g = f['dl1/event/telescope/parameters']
out = {}
for column, edges in json.loads(sys.argv[2]).items():
    v = np.concatenate([g[k][column] for k in sorted(g)]).astype(np.float64)
    fin = v[np.isfinite(v)]
    counts, _ = np.histogram(fin, bins=np.asarray(edges, dtype=np.float64))
    rows = sorted([[int(r['obs_id']), int(r['event_id']), int(r['tel_id'])] for k in sorted(g) for r in g[k][:]])
    out[column] = {'counts': counts.tolist(), 'n': int(len(v)), 'nan': int(np.isnan(v).sum()),
                   'min': float(fin.min()), 'max': float(fin.max()), 'rows': rows}
print(json.dumps(out))
`;

interface Ref {
  counts: number[];
  n: number;
  nan: number;
  min: number;
  max: number;
  rows: number[][];
}

function numpyHistograms(file: string, edges: Record<string, number[]>): Record<string, Ref> {
  return JSON.parse(execFileSync(H5PY.path, ['-c', PY, file, JSON.stringify(edges)], { encoding: 'utf8' })) as Record<string, Ref>;
}

describeWith([H5PY], 'histograms over sim_telarray files (the HDF5 worker computes the parameters)', () => {
  let client: Hdf5Client;
  let service: HistogramService;
  const opened = new Map<string, { fileId: string; summary: FileSummary; path: string }>();
  const progress: { jobId: string; unit?: string; rowsRead: number; rowsTotal: number }[] = [];

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 120_000 });
    for (const name of FILES) {
      const path = fixture(`${name}.simtel.zst`);
      const o = await client.open(path);
      opened.set(name, { ...o, path });
    }
    const files = {
      hdf5: client,
      file: (id: string) => {
        const o = [...opened.values()].find((x) => x.fileId === id)!;
        return { fileId: id, path: o.path, info: { format: o.summary.format } };
      },
    };
    service = new HistogramService(files);
    service.on('histogram-progress', (m) => progress.push(m));
  }, 120_000);
  afterAll(async () => {
    await service?.dispose();
    await client?.dispose();
  });

  it('a sim_telarray file offers parameters: ctapipe parameter-table columns, pending until the first histogram', async () => {
    const f = opened.get('lst_muons_with_true_photons')!;
    expect(f.summary.format.offers).toContain('parameters');
    const cols = await service.fileColumns(f.fileId);
    const names = cols.columns.map((c) => c.name);
    expect(names.slice(0, 3)).toEqual(['obs_id', 'event_id', 'tel_id']);
    expect(names).toContain('hillas_intensity');
    expect(names).toContain('leakage_intensity_width_2');
    expect(cols.columns.find((c) => c.name === 'hillas_length')?.unit).toBe('deg');
    expect(cols.pending).toMatch(/first histogram/);
  });

  for (const name of FILES) {
    it(`${name}: hillas_intensity (log bins) and hillas_length equal numpy.histogram of ctapipe-process's file`, async () => {
      const f = opened.get(name)!;
      const jobId = `job-${name}`;
      const intensity = await service.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 20, log: true, jobId });
      const length = await service.fileColumn({ fileId: f.fileId, column: 'hillas_length', bins: 15 });
      const width = await service.fileColumn({ fileId: f.fileId, column: 'hillas_width', bins: 10, range: [0, 0.5] });
      const ref = numpyHistograms(fixture(`${name}.ctapipe.dl1.h5`), {
        hillas_intensity: [...intensity.histogram.edges],
        hillas_length: [...length.histogram.edges],
        hillas_width: [...width.histogram.edges],
      });
      for (const [column, h] of [
        ['hillas_intensity', intensity],
        ['hillas_length', length],
        ['hillas_width', width],
      ] as const) {
        const r = ref[column];
        expect(h.rowsRead, column).toBe(r.n);
        expect(h.histogram.nan, column).toBe(r.nan);
        expect([...h.histogram.counts], column).toEqual(r.counts);
        expect(h.histogram.underflow + h.histogram.overflow, column).toBe(r.n - r.nan - r.counts.reduce((a, b) => a + b, 0));
      }
      // auto ranges start at the smallest value, as numpy's do (one value: a bin around it)
      if (ref.hillas_length.max > ref.hillas_length.min) {
        expect(length.histogram.edges[0]).toBeCloseTo(ref.hillas_length.min, 9);
        expect(intensity.histogram.edges[0]).toBeCloseTo(ref.hillas_intensity.min, 6);
      } else expect(length.histogram.edges[0]).toBeCloseTo(ref.hillas_length.min - 0.5, 9);
      // the first histogram ran the pass and reported it as events read
      expect(progress.filter((m) => m.jobId === jobId && m.unit === 'events').length).toBeGreaterThan(0);
      // the pass is kept: the columns now count the rows per telescope
      const cols = await service.fileColumns(f.fileId);
      expect(cols.pending).toBeUndefined();
      expect(Object.values(cols.rows).reduce((a, b) => a + b, 0)).toBe(ref.hillas_length.n);
    }, 120_000);
  }

  it('the events of a bin: the (obs_id, event_id, tel_id) of ctapipe-process rows in it; a cut applies', async () => {
    const f = opened.get('lst_muons_with_true_photons')!;
    const all = await service.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 1, range: [0, 1e9] });
    const bin = await service.binEvents({ fileId: f.fileId, column: 'hillas_intensity', bins: 1, range: [0, 1e9], bin: 0 });
    const ref = numpyHistograms(fixture('lst_muons_with_true_photons.ctapipe.dl1.h5'), { hillas_intensity: [0, 1e9] }).hillas_intensity;
    expect(bin.total).toBe(all.histogram.counts[0]);
    expect(bin.events.map((e) => [e.obsId, e.eventId, e.telId])).toEqual(ref.rows);
    const cut = await service.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 1, range: [0, 1e9], where: `hillas_intensity > ${ref.min}` });
    expect(cut.rowsSelected).toBe(ref.n - ref.nan - 1);
  });

  it('the worker computes the parameters a run of events at a time, and serves the file’s events between runs', async () => {
    const f = opened.get('lst_muons_with_true_photons')!;
    let start = 0;
    const rows: number[][] = [];
    for (;;) {
      // a 1 ms budget: at least one event per request
      const chunk = await client.request({ type: 'simtelParameters', fileId: f.fileId, start, budgetMs: 1 });
      expect(chunk.start).toBe(start);
      expect(chunk.end).toBeGreaterThan(start);
      const event = await client.request({ type: 'dl1Event', fileId: f.fileId, index: start });
      const eventCol = chunk.columns.findIndex((c) => c.name === 'event_id');
      for (const t of chunk.tables) for (let r = 0; r < t.nRows; r++) rows.push([t.values[eventCol][r], t.telId]);
      expect(rows.some(([e]) => e === event.eventId)).toBe(true);
      start = chunk.end;
      if (start >= chunk.nEvents) break;
    }
    const ref = numpyHistograms(fixture('lst_muons_with_true_photons.ctapipe.dl1.h5'), { hillas_intensity: [0, 1e9] }).hillas_intensity;
    expect(rows).toEqual(ref.rows.map(([, e, t]) => [e, t]));
  });

  it('cancelling the first histogram stops the pass; the next one runs it again', async () => {
    const f = opened.get('40k_pixels')!;
    const fresh = new HistogramService({
      hdf5: client,
      file: (id: string) => ({ fileId: id, path: f.path, info: { format: f.summary.format } }),
    });
    try {
      const running = fresh.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 10, jobId: 'to-cancel' });
      expect(fresh.handlers['hist.cancel']({ jobId: 'to-cancel' })).toEqual({ cancelled: true });
      await expect(running).rejects.toThrow(/was cancelled/);
      const again = await fresh.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 10 });
      expect(again.rowsRead).toBe(2);
    } finally {
      await fresh.dispose();
    }
  });
});
