/**
 * Histograms of DL1 parameter columns over a whole file, with a cut, checked
 * against numpy/PyTables on the same sample; the events of a bin; fits in the
 * fit worker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { HistogramService, autoRange } from '../../../../src-main/files/histogram-service.js';
import { ApiError } from '../../../../src-main/util/errors.js';
import { buildHdf5Worker, REPO } from './build-hdf5-worker.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';
import { dl1Format } from '../../../../src-worker/io/formats/dl1-format.js';

const REF_PY = pythonTool('tables');

const DL1 = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url));

const PY = `
import sys, json, numpy as np, tables
f = tables.open_file(sys.argv[1])
vals, sel = [], []
for t in f.root.dl1.event.telescope.parameters:
    a = t.read()
    vals.append(a['hillas_intensity'])
    sel.append(a['hillas_intensity'][(a['hillas_width'] > 0.02) & (a['leakage_intensity_width_2'] < 0.2)])
v = np.concatenate(vals); s = np.concatenate(sel)
h, _ = np.histogram(v, bins=np.geomspace(50, 5000, 21))
hs, _ = np.histogram(s, bins=np.linspace(0, 2000, 11))
t3 = f.root.dl1.event.telescope.parameters.tel_003.read()
b = t3[(t3['hillas_intensity'] >= 200) & (t3['hillas_intensity'] < 400)]
print(json.dumps({'n': int(len(v)), 'log': h.tolist(), 'nsel': int(len(s)), 'cut': hs.tolist(),
  'bin': sorted([[int(r['obs_id']), int(r['event_id']), int(r['tel_id'])] for r in b])}))
`;

describeWith([REF_PY], 'HistogramService on the DL1 sample', () => {
  let client: Hdf5Client;
  let service: HistogramService;
  let fileId: string;
  let ref: { n: number; log: number[]; nsel: number; cut: number[]; bin: number[][] };

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 30_000 });
    const fitWorker = join(REPO, 'node_modules', '.cache', 'lightpool-tests', String(process.pid), 'fit-worker.js');
    await build({
      absWorkingDir: REPO,
      entryPoints: [join(REPO, 'src-worker/threads/fit-worker.ts')],
      outfile: fitWorker,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      logLevel: 'warning',
    });
    const opened = await client.open(DL1);
    fileId = opened.fileId;
    const files = { hdf5: client, file: (id: string) => ({ fileId: id, path: DL1, info: { format: dl1Format } }) };
    service = new HistogramService(files, { fitWorkerPath: fitWorker });
    ref = JSON.parse(execFileSync(REF_PY.path, ['-c', PY, DL1], { encoding: 'utf8' }));
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
    await client?.dispose();
  });

  it('lists the numeric parameter columns and the telescopes', async () => {
    const cols = await service.fileColumns(fileId);
    expect(cols.telIds).toHaveLength(15);
    const names = cols.columns.map((c) => c.name);
    expect(names).toContain('hillas_intensity');
    expect(names).toContain('leakage_intensity_width_2');
    expect(names.slice(0, 3)).toEqual(['obs_id', 'event_id', 'tel_id']);
    // ctapipe's units from the CTAFIELD_<i>_UNIT attributes
    expect(cols.columns.find((c) => c.name === 'hillas_width')?.unit).toBe('deg');
    expect(cols.columns.find((c) => c.name === 'hillas_intensity')?.unit).toBe('');
    expect(Object.values(cols.rows).reduce((a, b) => a + b, 0)).toBe(ref.n);
  });

  it('histograms hillas_intensity in log bins over every telescope exactly as numpy', async () => {
    const r = await service.fileColumn({ fileId, column: 'hillas_intensity', bins: 20, range: [50, 5000], log: true });
    expect(r.rowsRead).toBe(ref.n);
    expect(r.histogram.scale).toBe('log');
    expect(Array.from(r.histogram.counts)).toEqual(ref.log);
    expect(r.histogram.entries).toBe(ref.n);
  });

  it('applies a cut expression over other columns of the same table', async () => {
    const r = await service.fileColumn({
      fileId,
      column: 'hillas_intensity',
      bins: 10,
      range: [0, 2000],
      where: 'hillas_width > 0.02 && leakage_intensity_width_2 < 0.2',
    });
    expect(r.rowsSelected).toBe(ref.nsel);
    expect(Array.from(r.histogram.counts)).toEqual(ref.cut);
  });

  it('picks the range from the data when none is given, and honours telIds', async () => {
    const r = await service.fileColumn({ fileId, column: 'hillas_intensity', bins: 10, telIds: [1, 2] });
    expect(r.telIds).toEqual([1, 2]);
    expect(r.rowsRead).toBe(59 + 57);
    const h = r.histogram;
    expect(h.underflow + h.overflow).toBe(0);
    expect(Array.from(h.counts).reduce((a, b) => a + b, 0) + h.nan).toBe(116);
    expect(autoRange(Float64Array.from([3, 1, 2]), 3, false)[1]).toBeGreaterThan(3);
    expect(autoRange(Float64Array.from([-1, 0, 2, 8]), 4, true)).toEqual([2, 8 * (1 + 1e-9)]);
  });

  it('reports progress under a job id, and a job can be cancelled', async () => {
    const seen: { rowsRead: number; rowsTotal: number; done: boolean }[] = [];
    service.on('histogram-progress', (m) => {
      if (m.jobId === 'j1') seen.push(m);
    });
    await service.fileColumn({ fileId, column: 'hillas_width', bins: 10, jobId: 'j1' });
    expect(seen.at(-1)).toMatchObject({ rowsRead: ref.n, rowsTotal: ref.n, done: true });
    const running = service.fileColumn({ fileId, column: 'hillas_width', bins: 10, jobId: 'j2' });
    expect(service.handlers['hist.cancel']({ jobId: 'j2' })).toEqual({ cancelled: true });
    await expect(running).rejects.toThrow(/hillas_width over .* was cancelled/);
    expect(service.handlers['hist.cancel']({ jobId: 'j2' })).toEqual({ cancelled: false });
  });

  it('lists the events of a bin', async () => {
    const r = await service.binEvents({ fileId, column: 'hillas_intensity', bins: 10, range: [0, 2000], telIds: [3], bin: 1 });
    expect(r.binRange).toEqual([200, 400]);
    expect(r.total).toBe(ref.bin.length);
    expect(r.events.map((e) => [e.obsId, e.eventId, e.telId])).toEqual(ref.bin);
    for (const e of r.events) expect(e.value >= 200 && e.value < 400).toBe(true);
  });

  it('says what is wrong with a bad column, cut or range', async () => {
    await expect(service.fileColumn({ fileId, column: 'hillas_intensty', bins: 10 })).rejects.toThrow(/no column "hillas_intensty".*hillas_intensity/);
    await expect(service.fileColumn({ fileId, column: 'hillas_intensity', bins: 10, where: 'hillas_width >' })).rejects.toThrow(ApiError);
    await expect(service.fileColumn({ fileId, column: 'hillas_intensity', bins: 10, range: [0, 10], log: true })).rejects.toThrow(/positive range/);
    await expect(service.fileColumn({ fileId, column: 'hillas_intensity', bins: 10, telIds: [99] })).rejects.toThrow(/telescope\(s\) 99/);
  });

  it('fits in the fit worker and returns parameters ± errors and χ²/ndf', async () => {
    // exact Gaussian bin contents: the fit returns the truth with χ² ≈ 0 (supplied unit errors)
    const edges = Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
    const counts = edges.slice(0, -1).map((a) => 1000 * Math.exp(-0.5 * ((a + 0.1 - 0.5) / 1.2) ** 2));
    const fit = await service.fit({ edges, counts, errors: counts.map(() => 1), model: 'gaussian' });
    expect(fit.parameterNames).toEqual(['amplitude', 'mean', 'sigma']);
    expect(fit.parameters[1]).toBeCloseTo(0.5, 2);
    expect(fit.ndf).toBe(37);
    expect(fit.errors.every((e) => e > 0)).toBe(true);
    const poly = await service.fit({ edges, counts: counts.map(() => 50), model: 'polynomial', degree: 1 });
    expect(poly.parameters[0]).toBeCloseTo(50, 6);
    // an exponential far from x = 0 is referred to its first fitted bin, so A is the content there
    const ee = Array.from({ length: 41 }, (_, i) => 100 + i);
    const ec = ee.slice(0, -1).map((a) => 500 * Math.exp(-(a + 0.5 - 100) / 8));
    const ex = await service.fit({ edges: ee, counts: ec, errors: ec.map(() => 1), model: 'exponential', range: [110, 140] });
    expect(ex.x0).toBe(110);
    expect(ex.parameters[1]).toBeCloseTo(8, 2);
    expect(ex.parameters[0]).toBeCloseTo(500 * Math.exp(-10 / 8), 0);
    await expect(service.fit({ edges: [0, 1, 2], counts: [0, 0], model: 'gaussian' })).rejects.toThrow(/gaussian fit failed/);
  });
});
