/**
 * The lab API through the backend session, as the Lab tab drives it (issue
 * 16, the views): a signals dataset of an open file, its traces, shaping
 * every signal as a job with progress and Cancel, the spectrum; a system
 * matrix loaded into an MLEM worker, iterations streamed, stop / continue /
 * reset; an image stack from a glob, one image, its channels, per-label
 * statistics; and the data directories of serve mode. Every number is
 * compared with the same pure functions run here on the same file (those are
 * compared with numpy in test/unit/worker/lab/), so what a view shows is what
 * `lightpool spectrum|mlem|stack` computes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, type ConnectionContext } from '../../../../src-main/session/session.js';
import { DataDirectories } from '../../../../src-main/files/file-access.js';
import type { LabJobMessage, MlemImageMessage } from '../../../../src-main/api/lab-contract.js';
import { validateRequest } from '../../../../src-main/api/validate.js';
import { roleAllows } from '../../../../src-main/api/method-roles.js';
import { shapeSignals } from '../../../../src-main/lab/shape-signals.js';
import { WorkerPool } from '../../../../src-main/pool/worker-pool.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { numericDatasetInfo, readNumericRows } from '../../../../src-worker/lab/numeric-dataset.js';
import { shapeOneSignal } from '../../../../src-worker/lab/spectroscopy/pulse-amplitude.js';
import { analyseSpectrum } from '../../../../src-worker/lab/spectroscopy/spectrum-analysis.js';
import { readSystemMatrix } from '../../../../src-worker/lab/compton/system-matrix-input.js';
import { MlemReconstruction } from '../../../../src-worker/lab/compton/mlem.js';
import { decodeImageFile } from '../../../../src-worker/lab/image-stack/decode-image.js';
import { processPixels } from '../../../../src-worker/lab/image-stack/image-pixels.js';
import { StackStatistics } from '../../../../src-worker/lab/image-stack/stack-statistics.js';

const LAB = resolve('test/fixtures/lab');
const SIGNALS = join(LAB, 'digitized_preamp_signals.h5');
const SYSMAT = join(LAB, 'compton_sysmat.h5');
const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');
const ctx: ConnectionContext = { transport: 'websocket', tokenRequired: false };
const SHAPING = { k: 450, m: 60, M: 3600 };

/** The next stream message matching `pred`. */
function next<K extends 'lab-job' | 'lab-mlem'>(
  session: Session,
  name: K,
  pred: (m: K extends 'lab-job' ? LabJobMessage : MlemImageMessage) => boolean,
  timeoutMs = 120_000,
) {
  type M = K extends 'lab-job' ? LabJobMessage : MlemImageMessage;
  return new Promise<M>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} message in ${timeoutMs} ms`)), timeoutMs);
    const listener = (m: M) => {
      if (!pred(m)) return;
      clearTimeout(timer);
      session.off(name, listener as never);
      resolvePromise(m);
    };
    session.on(name, listener as never);
  });
}

describe('lab API: spectroscopy, MLEM and image stacks through the session', () => {
  const session = new Session({ autoStart: false, threads: 2 });
  let signalsFile: string;
  let sysmatFile: string;
  afterAll(() => session.close());
  beforeAll(async () => {
    signalsFile = (await session.handle('file.open', { path: SIGNALS }, ctx)).fileId;
    sysmatFile = (await session.handle('file.open', { path: SYSMAT }, ctx)).fileId;
  }, 60_000);

  it('opens an N × samples dataset as signals, and says clearly what is not', async () => {
    const info = await session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/signals' }, ctx);
    expect(info.shape).toEqual([1000, 3000]);
    expect(info.dtype).toBe('<i2');
    expect(info.samplePeriodNs).toBe(10);
    expect(info.defaultBaselineSamples).toBe(500);
    // the same dataset twice is the same entry (a second window watches the first's)
    expect((await session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/signals' }, ctx)).signalsId).toBe(info.signalsId);
    await expect(session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/nothing' }, ctx)).rejects.toThrow(/cannot open \/nothing as signals/);
    const dl1 = (await session.handle('file.open', { path: DL1 }, ctx)).fileId;
    await expect(session.handle('lab.signals.open', { fileId: dl1, dataset: '/dl1/event/telescope/trigger' }, ctx)).rejects.toThrow(/is a table/);
    await expect(session.handle('lab.signals.open', { fileId: dl1, dataset: '/dl1' }, ctx)).rejects.toThrow(/is a group, not a dataset/);
    await session.handle('file.close', { fileId: dl1 }, ctx);
    await expect(session.handle('lab.signals.open', { fileId: 'nope', dataset: '/signals' }, ctx)).rejects.toThrow(/no open file/);
  });

  it('traces: the raw (baseline-subtracted) and shaped signals of chosen rows, as the shaper gives them', async () => {
    const { signalsId } = await session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/signals' }, ctx);
    const t = await session.handle('lab.signals.traces', { signalsId, rows: [3, 997], shaping: { ...SHAPING, gain: 'M1k' } }, ctx);
    expect(t.nSamples).toBe(3000);
    expect(t.shaping).toMatchObject({ k: 450, m: 60, M: 3600, gain: 'M1k', baselineSamples: 500 });
    const f = await H5File.open(SIGNALS);
    try {
      const info = numericDatasetInfo(f, '/signals', [2], 'signals');
      for (const [i, row] of [3, 997].entries()) {
        const one = shapeOneSignal(readNumericRows(f, info, row, 1), 3000, 0, { ...SHAPING, gain: 'M1k', baselineSamples: 500 });
        expect(Array.from(t.raw.subarray(i * 3000, (i + 1) * 3000))).toEqual(Array.from(one.raw));
        expect(Array.from(t.shaped.subarray(i * 3000, (i + 1) * 3000))).toEqual(Array.from(one.shaped));
        expect(t.baseline[i]).toBe(one.baseline);
      }
    } finally {
      f.close();
    }
    await expect(session.handle('lab.signals.traces', { signalsId, rows: [1000], shaping: SHAPING }, ctx)).rejects.toThrow(
      /signal 1000 does not exist: \/signals has signals 0…999/,
    );
    await expect(
      session.handle('lab.signals.traces', { signalsId, rows: [0], shaping: { k: 450, m: 60, M: 3600, baselineSamples: 5000 } }, ctx),
    ).rejects.toThrow(/baseline samples/);
  });

  it('Cancel stops the shaping: the job ends cancelled and there is no spectrum', async () => {
    const { signalsId } = await session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/signals' }, ctx);
    const end = next(session, 'lab-job', (m) => m.targetId === signalsId && !!m.finished);
    const { jobId } = await session.handle('lab.signals.shape', { signalsId, shaping: SHAPING, jobId: 'cancel-me' }, ctx);
    expect(jobId).toBe('cancel-me');
    expect((await session.handle('lab.cancel', { jobId }, ctx)).cancelled).toBe(true);
    const m = await end;
    expect(m.finished).toEqual({ ok: false, cancelled: true, message: 'shaping cancelled' });
    await expect(session.handle('lab.spectrum', { signalsId }, ctx)).rejects.toThrow(/not shaped yet/);
    expect((await session.handle('lab.cancel', { jobId }, ctx)).cancelled).toBe(false);
  }, 120_000);

  it("shapes every signal as a job with progress; the spectrum and its fits are analyseSpectrum's", async () => {
    const { signalsId } = await session.handle('lab.signals.open', { fileId: signalsFile, dataset: '/signals' }, ctx);
    const messages: LabJobMessage[] = [];
    const listener = (m: LabJobMessage) => m.targetId === signalsId && messages.push(m);
    session.on('lab-job', listener);
    const end = next(session, 'lab-job', (m) => m.targetId === signalsId && !!m.finished);
    const { jobId } = await session.handle('lab.signals.shape', { signalsId, shaping: SHAPING }, ctx);
    await expect(session.handle('lab.signals.shape', { signalsId, shaping: SHAPING }, ctx)).rejects.toThrow(/being shaped already/);
    const m = await end;
    session.off('lab-job', listener);
    expect(m).toMatchObject({ jobId, kind: 'shape', done: 1000, total: 1000, finished: { ok: true } });
    expect(messages.some((x) => !x.finished)).toBe(true);
    const listed = (await session.handle('lab.list', {}, ctx)).signals.find((s) => s.signalsId === signalsId)!;
    expect(listed.shaped).toMatchObject({ count: 1000, shaping: { k: 450, m: 60, M: 3600, gain: 'Mk', amplitude: 'max', baselineSamples: 500 } });

    // the same shaping and analysis, run here
    const pool = new WorkerPool(1);
    let own;
    try {
      own = await shapeSignals({ input: SIGNALS, shaping: { ...SHAPING, baselineSamples: 500, riseTime: true }, pool });
    } finally {
      await pool.close();
    }
    const ref = analyseSpectrum(own.amplitude, own.riseTime, { bins: 1024 });
    const s = await session.handle('lab.spectrum', { signalsId, bins: 1024 }, ctx);
    expect(s.nSignals).toBe(1000);
    expect(Array.from(s.edges)).toEqual(Array.from(ref.histogram.edges));
    expect(Array.from(s.counts)).toEqual(Array.from(ref.histogram.counts));
    expect(s.peaks.length).toBe(ref.peaks.length);
    expect(s.peaks.length).toBeGreaterThan(0);
    s.peaks.forEach((p, i) => {
      expect(p.centroid).toBe(ref.peaks[i].centroid);
      expect(p.fwhm).toBe(ref.peaks[i].fwhm);
      // the drawn curve is the fitted model: at the centroid, the Gaussian height on the background
      const j = p.curve.x.findIndex((x) => x >= p.centroid);
      expect(p.curve.y[j]).toBeCloseTo(
        p.amplitude * Math.exp(-0.5 * ((p.curve.x[j] - p.centroid) / p.sigma) ** 2) + p.background + p.slope * (p.curve.x[j] - p.x0),
        9,
      );
    });

    // calibrated and rise-time corrected: the Cs-137 line at 661.7 keV (the calibration's own line: a consistency check)
    const cal = await session.handle(
      'lab.spectrum',
      {
        signalsId,
        calibration: [
          { adc: 0, keV: 0 },
          { adc: 1315.7, keV: 661.657 },
        ],
        riseTimeCorrection: true,
      },
      ctx,
    );
    const refCal = analyseSpectrum(own.amplitude, own.riseTime, {
      calibration: [
        { adc: 0, keV: 0 },
        { adc: 1315.7, keV: 661.657 },
      ],
      riseTimeCorrection: true,
    });
    expect(cal.peaks.map((p) => p.keV!.centroid)).toEqual(refCal.peaks.map((p) => p.keV!.centroid));
    expect(cal.correction).toBeDefined();
    expect(cal.edgesKeV![cal.edgesKeV!.length - 1]).toBeCloseTo((cal.edges[cal.edges.length - 1] * 661.657) / 1315.7, 9);
    const top = cal.peaks.reduce((a, b) => (b.netCounts > a.netCounts ? b : a));
    expect(Math.abs(top.keV!.centroid - 661.657)).toBeLessThan(0.5);
    await expect(
      session.handle(
        'lab.spectrum',
        {
          signalsId,
          calibration: [
            { adc: 5, keV: 0 },
            { adc: 5, keV: 661 },
          ],
        },
        ctx,
      ),
    ).rejects.toThrow(/two different ADC values/);
  }, 180_000);

  it('MLEM: load, 10 iterations streamed, maximum at polar 90°, azimuth 0°; stop, continue, reset', async () => {
    const loaded = await session.handle('lab.mlem.load', { fileId: sysmatFile, dataset: '/sysmat' }, ctx);
    expect(loaded).toMatchObject({ imageShape: [181, 361], shapeFrom: 'attribute', format: 'dense', nCones: 100, iteration: 0, running: false });
    const { mlemId } = loaded;
    const images: MlemImageMessage[] = [];
    const listener = (m: MlemImageMessage) => m.mlemId === mlemId && images.push(m);
    session.on('lab-mlem', listener);
    const end = next(session, 'lab-mlem', (m) => m.mlemId === mlemId && !m.running);
    const started = await session.handle('lab.mlem.run', { mlemId, iterations: 10 }, ctx);
    expect(started.running).toBe(true);
    await expect(session.handle('lab.mlem.run', { mlemId, iterations: 1 }, ctx)).rejects.toThrow(/running already/);
    const done = await end;
    expect(done.iteration).toBe(10);
    expect(done.stopped).toBe(false);
    expect(done.maximum).toMatchObject({ row: 90, column: 180 });
    expect(images.every((m, i) => i === 0 || m.iteration >= images[i - 1].iteration)).toBe(true);

    // the same reconstruction here
    const f = await H5File.open(SYSMAT);
    let ref: Float64Array, bp: Float64Array;
    try {
      const src = readSystemMatrix(f, { path: '/sysmat' });
      const mlem = new MlemReconstruction(src.matrix, src.sensitivity, 'auto');
      bp = mlem.backprojection.slice();
      for (let i = 0; i < 10; i++) mlem.iterate();
      ref = mlem.image();
    } finally {
      f.close();
    }
    const max = Math.max(...ref);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(done.image[i] - ref[i]) / max);
    expect(worst).toBeLessThan(1e-12);
    expect(Array.from(loaded.image.subarray(0, 2000))).toEqual(Array.from(bp.subarray(0, 2000)));

    // a long run stopped after its first image, continued by 5, then reset
    const first = next(session, 'lab-mlem', (m) => m.mlemId === mlemId && m.running && m.iteration > 10);
    const stopped = next(session, 'lab-mlem', (m) => m.mlemId === mlemId && !m.running);
    await session.handle('lab.mlem.run', { mlemId, iterations: 100_000 }, ctx);
    await first;
    await session.handle('lab.mlem.stop', { mlemId }, ctx);
    const s = await stopped;
    expect(s.stopped).toBe(true);
    expect(s.iteration).toBeGreaterThan(10);
    expect(s.iteration).toBeLessThan(100_010);
    const more = next(session, 'lab-mlem', (m) => m.mlemId === mlemId && !m.running);
    await session.handle('lab.mlem.run', { mlemId, iterations: 5 }, ctx);
    expect((await more).iteration).toBe(s.iteration + 5);
    const reset = await session.handle('lab.mlem.reset', { mlemId }, ctx);
    expect(reset.iteration).toBe(0);
    expect(Array.from(reset.image.subarray(30000, 32000))).toEqual(Array.from(bp.subarray(30000, 32000)));
    expect((await session.handle('lab.mlem.image', { mlemId }, ctx)).iteration).toBe(0);
    session.off('lab-mlem', listener);
    expect((await session.handle('lab.mlem.close', { mlemId }, ctx)).closed).toBe(true);
    await expect(session.handle('lab.mlem.image', { mlemId }, ctx)).rejects.toThrow(/no system matrix/);

    await expect(session.handle('lab.mlem.load', { fileId: signalsFile, dataset: '/signals' }, ctx)).rejects.toThrow(
      /cannot load \/signals .* as a system matrix: .*3000 pixel columns/,
    );
    await expect(session.handle('lab.mlem.load', { fileId: sysmatFile, dataset: '/sysmat', imageShape: [100, 100] }, ctx)).rejects.toThrow(
      /the given shape 100×100/,
    );
  }, 180_000);

  it('image stacks: a glob, one image windowed and cropped, its channels, per-label statistics', async () => {
    const stack = await session.handle('lab.stack.open', { pattern: 'test/fixtures/lab/export/*/*/*/*.png' }, ctx);
    expect(stack.paths.length).toBe(24);
    expect(stack.classes).toEqual(['ER', 'NR']);
    expect(stack.paths.every((p, i) => p.includes(`/${stack.labels[i]}/${stack.energies[i]}_keV/`))).toBe(true);
    const img = await session.handle('lab.stack.image', { stackId: stack.stackId, index: 5, window: [60, 130], crop: 64 }, ctx);
    expect([img.width, img.height, img.source.width, img.source.bitDepth]).toEqual([128, 128, 576, 8]);
    const ref = processPixels(decodeImageFile(stack.paths[5]), { window: [60, 130], crop: 64 });
    expect(Array.from(img.pixels)).toEqual(Array.from(ref.pixels));
    expect(img.histogram.lo).toBe(0);
    expect(img.histogram.hi).toBe(1);
    expect(img.histogram.counts.reduce((a, b) => a + b, 0)).toBe(128 * 128);
    const raw = await session.handle('lab.stack.image', { stackId: stack.stackId, index: 0 }, ctx);
    expect([raw.width, raw.histogram.hi, raw.histogram.counts.length]).toEqual([576, 256, 256]);

    const ch = await session.handle('lab.stack.channels', { stackId: stack.stackId, index: 0 }, ctx);
    expect(ch.channels.map((c) => c.name)).toEqual(['grey']);
    expect(Array.from(ch.channels[0].values)).toEqual(Array.from(raw.pixels));

    const end = next(session, 'lab-job', (m) => m.targetId === stack.stackId && !!m.finished);
    await session.handle('lab.stack.statistics', { stackId: stack.stackId, window: [60, 130], crop: 64 }, ctx);
    expect((await end).finished).toEqual({ ok: true });
    const stats = await session.handle('lab.stack.statisticsResult', { stackId: stack.stackId }, ctx);
    const own = new StackStatistics(100, 0, 1);
    stack.paths.forEach((p, i) => own.add(stack.labels[i], 128, 128, processPixels(decodeImageFile(p), { window: [60, 130], crop: 64 }).pixels));
    const expected = own.result();
    expect(stats.labels.map((l) => [l.label, l.count])).toEqual(expected.map((l) => [l.label, l.count]));
    stats.labels.forEach((l, i) => {
      expect(Array.from(l.mean)).toEqual(Array.from(expected[i].mean));
      expect(Array.from(l.histogram)).toEqual(Array.from(expected[i].histogram));
    });

    await expect(session.handle('lab.stack.open', { pattern: 'test/fixtures/lab/export/*/*/*/*.tif' }, ctx)).rejects.toThrow(/no PNG or TIFF files match/);
    await expect(session.handle('lab.stack.open', { pattern: 'test/fixtures/lab/export/*/*/*/*.png', label: '/(XR)/' }, ctx)).rejects.toThrow(
      /label expression .* does not match/,
    );
    await expect(session.handle('lab.stack.open', { pattern: 'test/fixtures/lab/export/*/*/*/*.png', label: '([' }, ctx)).rejects.toThrow(
      /not a valid regular expression/,
    );
    await expect(session.handle('lab.stack.image', { stackId: stack.stackId, index: 24 }, ctx)).rejects.toThrow(/image 24 does not exist/);
    await expect(session.handle('lab.stack.image', { stackId: stack.stackId, index: 0, crop: 400 }, ctx)).rejects.toThrow(
      /does not fit in the 576 × 576 image/,
    );
  }, 120_000);

  it('requests are validated, and the heavy ones need the control role', () => {
    const bad = (method: string, params: unknown) => validateRequest({ type: 'request', id: 1, method, params });
    expect(bad('lab.signals.traces', { signalsId: 's', rows: Array.from({ length: 17 }, (_, i) => i), shaping: SHAPING }).ok).toBe(false);
    expect(bad('lab.signals.shape', { signalsId: 's', shaping: { k: 450, m: 60, M: -1 } }).ok).toBe(false);
    expect(bad('lab.stack.image', { stackId: 's', index: 0, window: [130, 60] }).ok).toBe(false);
    expect(bad('lab.signals.open', { fileId: 'f', dataset: 'signals' }).ok).toBe(false);
    expect(bad('lab.spectrum', { signalsId: 's', calibration: [{ adc: 1, keV: 2 }] }).ok).toBe(false);
    expect(bad('lab.mlem.run', { mlemId: 'm', iterations: 10 }).ok).toBe(true);
    for (const m of ['lab.signals.shape', 'lab.mlem.load', 'lab.mlem.run', 'lab.stack.open', 'lab.stack.statistics', 'lab.cancel'] as const)
      expect(roleAllows('view', m)).toBe(false);
    for (const m of [
      'lab.list',
      'lab.signals.open',
      'lab.signals.traces',
      'lab.spectrum',
      'lab.mlem.image',
      'lab.stack.image',
      'lab.stack.channels',
      'lab.stack.statisticsResult',
    ] as const)
      expect(roleAllows('view', m)).toBe(true);
  });
});

describe('lab image stacks in serve mode stay inside the data directories', () => {
  let dir: string;
  let session: Session;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lightpool-lab-access-'));
    const inside = join(dir, 'data');
    mkdirSync(join(inside, 'NR', '6_keV'), { recursive: true });
    copyFileSync(join(LAB, 'export/NR/6_keV/run001/frame_0000.png'), join(inside, 'NR', '6_keV', 'a.png'));
    const outside = join(dir, 'elsewhere', 'ER', '3_keV');
    mkdirSync(outside, { recursive: true });
    copyFileSync(join(LAB, 'export/ER/3_keV/run003/frame_0002.png'), join(outside, 'b.png'));
    symlinkSync(join(dir, 'elsewhere', 'ER'), join(inside, 'ER'));
    session = new Session({ autoStart: false, threads: 1, access: await DataDirectories.create([inside]) });
  });
  afterAll(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses patterns outside, "..", and links that lead outside; opens what is inside', async () => {
    const inside = join(dir, 'data');
    const ok = await session.handle('lab.stack.open', { pattern: `${inside}/NR/*/*.png` }, ctx);
    expect(ok.paths).toEqual([join(inside, 'NR/6_keV/a.png')]);
    await expect(session.handle('lab.stack.open', { pattern: `${LAB}/export/*/*/*/*.png` }, ctx)).rejects.toThrow(/outside this server's data directories/);
    await expect(session.handle('lab.stack.open', { pattern: `${inside}/NR/../../elsewhere/*/*/*.png` }, ctx)).rejects.toThrow(/".." is not allowed/);
    await expect(session.handle('lab.stack.open', { pattern: `${inside}/{NR,../elsewhere}/*/*.png` }, ctx)).rejects.toThrow(/".." is not allowed/);
    await expect(session.handle('lab.stack.open', { pattern: `${inside}/*/*/*.png` }, ctx)).rejects.toThrow(/outside this server's data directories/);
  });
});
