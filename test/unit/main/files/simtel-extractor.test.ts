/**
 * file.extractor: the image extractor a sim_telarray file's images are
 * computed with, chosen as ctapipe's CameraCalibrator.image_extractor_type
 * and the extractor's traits. After choosing one, file.event's images and
 * peak times equal ctapipe's CameraCalibrator configured the same way, run
 * in the same test (extractor-oracle.py), and file.waveforms shows that
 * extractor's window and charge; `null` goes back to ctapipe's default;
 * files that hold their images (DL1) refuse the choice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FileService } from '../../../../src-main/files/file-service.js';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';
import { HistogramService } from '../../../../src-main/files/histogram-service.js';
import { ctapipe as ctapipeTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';
import type { ImageExtractorConfig } from '../../../../src-worker/calib/image-extractor.js';

const CTAPIPE = ctapipeTool();
const SIMTEL = fileURLToPath(new URL('../../../../test/fixtures/simtel/', import.meta.url));
const ORACLE = fileURLToPath(new URL('./extractor-oracle.py', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));

interface Oracle {
  events: { obs_id: number; event_id: number; tel: Record<string, { image: number[]; peak_time: number[] }> }[];
}

function ctapipeWith(file: string, spec: Record<string, unknown>): Oracle {
  return JSON.parse(execFileSync(CTAPIPE.path, [ORACLE, file, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Oracle;
}

/** the same extractor in ctapipe's names (class, snake_case traits) and in ours */
const CHOICES: { ours: ImageExtractorConfig; ctapipe: Record<string, unknown> }[] = [
  { ours: { type: 'LocalPeakWindowSum', windowWidth: 5, windowShift: 2 }, ctapipe: { type: 'LocalPeakWindowSum', window_width: 5, window_shift: 2 } },
  { ours: { type: 'GlobalPeakWindowSum' }, ctapipe: { type: 'GlobalPeakWindowSum' } },
  {
    ours: { type: 'FixedWindowSum', peakIndex: 12, windowWidth: 6, windowShift: 1, applyIntegrationCorrection: false },
    ctapipe: { type: 'FixedWindowSum', peak_index: 12, window_width: 6, window_shift: 1, apply_integration_correction: false },
  },
  {
    ours: { type: 'NeighborPeakWindowSum', windowWidth: 9, windowShift: 4, localWeight: 1 },
    ctapipe: { type: 'NeighborPeakWindowSum', window_width: 9, window_shift: 4, local_weight: 1 },
  },
];

describeWith([CTAPIPE], 'file.extractor: a sim_telarray file calibrated with the extractor the user chooses, as ctapipe does', () => {
  let client: Hdf5Client;
  let files: FileService;
  const lst = `${SIMTEL}lst_muons_with_true_photons.simtel.zst`;

  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker(), timeoutMs: 600_000 });
    files = new FileService({ client });
  }, 600_000);
  afterAll(async () => {
    await files.dispose();
  });

  it('says which extractor is in use: ctapipe’s default until one is chosen', async () => {
    const f = await files.open(lst);
    const r = await files.handlers['file.extractor']({ fileId: f.fileId });
    expect(r).toEqual({
      extractor: { type: 'NeighborPeakWindowSum', windowWidth: 7, windowShift: 3, localWeight: 0, applyIntegrationCorrection: true },
      isDefault: true,
      choosable: true,
      types: ['NeighborPeakWindowSum', 'LocalPeakWindowSum', 'GlobalPeakWindowSum', 'FixedWindowSum'],
    });
    await files.close(f.fileId);
  });

  for (const choice of CHOICES) {
    it(`${JSON.stringify(choice.ours)}: images and peak times of every event equal ctapipe's CameraCalibrator with it`, async () => {
      const ref = ctapipeWith(lst, { ...choice.ctapipe });
      const f = await files.open(lst);
      const set = await files.handlers['file.extractor']({ fileId: f.fileId, extractor: choice.ours });
      expect(set.extractor.type).toBe(choice.ours.type);
      expect(set.isDefault).toBe(false);
      expect(ref.events.length).toBe(f.eventCount);
      let compared = 0,
        timed = 0;
      for (let i = 0; i < f.eventCount; i++) {
        const r = await files.handlers['file.event']({ fileId: f.fileId, index: i });
        if (r.kind !== 'dl1') throw new Error('expected an array event');
        const want = ref.events[i];
        expect(r.event.eventId).toBe(want.event_id);
        for (const [telId, t] of Object.entries(want.tel)) {
          const got = r.event.telescopes.find((x) => x.telId === Number(telId))!;
          const image = got.image!;
          const peak = got.peakTime!;
          expect(image.length).toBe(t.image.length);
          for (let p = 0; p < t.image.length; p++) {
            const tol = Math.max(1e-4 * Math.abs(t.image[p]), 1e-3);
            if (Math.abs(image[p] - t.image[p]) > tol) throw new Error(`event ${i} tel ${telId} pixel ${p}: image ${image[p]} vs ctapipe ${t.image[p]}`);
            compared++;
            if (t.image[p] >= 1) {
              if (Math.abs(peak[p] - t.peak_time[p]) > 1e-3)
                throw new Error(`event ${i} tel ${telId} pixel ${p}: peak time ${peak[p]} vs ctapipe ${t.peak_time[p]}`);
              timed++;
            }
          }
          // the waveform view shows this extractor: its window and the same charge
          const bright = t.image.indexOf(Math.max(...t.image));
          const w = await files.handlers['file.waveforms']({ fileId: f.fileId, index: i, telId: Number(telId), pixels: [bright] });
          expect(w.extractor?.type).toBe(choice.ours.type);
          expect(w.extractor?.windowWidth).toBe(choice.ours.windowWidth ?? 7);
          expect(w.pixels[0].charge).toBeCloseTo(image[bright], 4);
          expect(w.source).toContain(choice.ours.type);
        }
      }
      expect(compared).toBe(3 * 1855);
      expect(timed).toBeGreaterThan(50);
      await files.close(f.fileId);
    }, 300_000);
  }

  it('null goes back to the default: the images are the default ones again', async () => {
    const f = await files.open(lst);
    const before = await files.handlers['file.event']({ fileId: f.fileId, index: 1 });
    await files.handlers['file.extractor']({ fileId: f.fileId, extractor: { type: 'LocalPeakWindowSum', windowWidth: 3 } });
    const other = await files.handlers['file.event']({ fileId: f.fileId, index: 1 });
    const back = await files.handlers['file.extractor']({ fileId: f.fileId, extractor: null });
    expect(back.isDefault).toBe(true);
    const again = await files.handlers['file.event']({ fileId: f.fileId, index: 1 });
    if (before.kind !== 'dl1' || other.kind !== 'dl1' || again.kind !== 'dl1') throw new Error('expected array events');
    expect(Array.from(other.event.telescopes[0].image!)).not.toEqual(Array.from(before.event.telescopes[0].image!));
    expect(Array.from(again.event.telescopes[0].image!)).toEqual(Array.from(before.event.telescopes[0].image!));
    await files.close(f.fileId);
  }, 120_000);

  it('histograms over the file follow the chosen extractor: its hillas_intensity values are those of file.event', async () => {
    const histograms = new HistogramService(files);
    try {
      const f = await files.open(lst);
      const intensities = async () => {
        const v: number[] = [];
        for (let i = 0; i < f.eventCount; i++) {
          const r = await files.handlers['file.event']({ fileId: f.fileId, index: i });
          if (r.kind !== 'dl1') throw new Error('expected an array event');
          for (const t of r.event.telescopes) v.push(Math.fround(t.hillas!.intensity));
        }
        return v.sort((a, b) => a - b);
      };
      // one bin per value: [v - 0.5, v + 0.5) around each (the three muon images are hundreds of p.e. apart)
      const counted = async (values: number[]) => {
        const h = await histograms.fileColumn({
          fileId: f.fileId,
          column: 'hillas_intensity',
          bins: 1,
          range: [values[0] - 0.5, values[values.length - 1] + 0.5],
        });
        const each = await Promise.all(
          values.map((x) => histograms.fileColumn({ fileId: f.fileId, column: 'hillas_intensity', bins: 1, range: [x - 1e-3, x + 1e-3] })),
        );
        return { all: h.histogram.entries, each: each.map((e) => e.histogram.counts[0]) };
      };
      const byDefault = await intensities();
      expect(await counted(byDefault)).toEqual({ all: 3, each: [1, 1, 1] });
      await files.handlers['file.extractor']({ fileId: f.fileId, extractor: { type: 'LocalPeakWindowSum', windowWidth: 3, windowShift: 1 } });
      const local = await intensities();
      expect(local).not.toEqual(byDefault);
      expect(await counted(local)).toEqual({ all: 3, each: [1, 1, 1] });
      await files.close(f.fileId);
    } finally {
      await histograms.dispose();
    }
  }, 300_000);

  it('a DL1 file holds its images: choosing an extractor is refused, saying why', async () => {
    const f = await files.open(`${SAMPLES}dl1_sample_120.blosc.h5`);
    const r = await files.handlers['file.extractor']({ fileId: f.fileId });
    expect(r.choosable).toBe(false);
    expect(() => files.handlers['file.extractor']({ fileId: f.fileId, extractor: { type: 'LocalPeakWindowSum' } })).toThrow(
      /sim_telarray files.*holds its images/,
    );
    await files.close(f.fileId);
  });

  it('a bad trait is refused naming it', async () => {
    const f = await files.open(lst);
    expect(() => files.handlers['file.extractor']({ fileId: f.fileId, extractor: { type: 'LocalPeakWindowSum', windowWidth: 0 } })).toThrow(/windowWidth/);
    await files.close(f.fileId);
  });
});
