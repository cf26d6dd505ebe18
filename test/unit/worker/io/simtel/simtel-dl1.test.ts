/**
 * sim_telarray file → DL1 images and parameters (SimtelDL1Processor over
 * Lightpool's own reader) against what ctapipe-process 0.26 wrote from the
 * same files with its default configuration and
 * `--SimTelEventSource.focal_length_choice=EQUIVALENT`
 * (test/fixtures/simtel/*.ctapipe.dl1.h5), on every fixture with events:
 *
 * - images within 1e-4 relative or 1e-3 p.e., peak times within 1e-3 ns
 *   where the image is ≥ 1 p.e. (issue 15); the test also counts how many
 *   are bit-identical (all, today);
 * - masks identical;
 * - parameters within the parity tolerances of `process`
 *   (test/unit/main/process/compare-process.py): |d| ≤ 1e-6 |ref| or
 *   |d| ≤ 1e-9, timing |d| ≤ 1e-5 max(1, |ref|), NaN exactly where ctapipe
 *   has NaN, integers equal;
 * - the image quality counts equal ctapipe's /dl1/service/image_statistics
 *   less the true images ctapipe also counts there.
 *
 * Each file is read in one pass (`iterEvents`), as `process` and the
 * benchmark read it, and once more by random access (`event(i)`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../src-worker/io/hdf5/table-reader.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/index.js';
import { DL1_IMAGE_STATUS, SimtelDL1Processor, type SimtelDL1Event } from '../../../../../src-worker/io/simtel/simtel-dl1.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/simtel/', import.meta.url));
const FILES = ['lst_muons_with_true_photons', 'gamma_with_obslevel_particles', 'aux_traces_2029', '40k_pixels'] as const;

interface ReferenceRow {
  image: Float32Array;
  peakTime: Float32Array;
  mask: ArrayLike<number | boolean>;
  parameters: Record<string, number>;
}

interface Reference {
  /** by "tel_id/event_id" */
  rows: Map<string, ReferenceRow>;
  imageStatistics: { criteria: string[]; counts: number[]; cumulative: number[] };
  /** telescope events with a true image (ctapipe counts them in image_statistics too) */
  trueImages: number;
}

async function readReference(path: string): Promise<Reference> {
  const file = await H5File.open(path);
  try {
    const cache = new ChunkCache();
    const rows = new Map<string, ReferenceRow>();
    const tels = file.keys('/dl1/event/telescope/images');
    let trueImages = 0;
    for (const tel of tels) {
      const images = new TableReader(file, `/dl1/event/telescope/images/${tel}`, cache);
      const params = new TableReader(file, `/dl1/event/telescope/parameters/${tel}`, cache);
      const pIds = params.column('event_id');
      for (let i = 0; i < images.nRows; i++) {
        const r = images.row(i);
        const id = Number(r.event_id);
        let j = -1;
        for (let k = 0; k < pIds.length; k++) if (Number(pIds[k]) === id) j = k;
        expect(j, `${path} ${tel}: parameters of event ${id}`).toBeGreaterThanOrEqual(0);
        const pr = params.row(j);
        const parameters: Record<string, number> = {};
        for (const [k, v] of Object.entries(pr)) if (typeof v === 'number' || typeof v === 'bigint') parameters[k] = Number(v);
        rows.set(`${Number(r.tel_id)}/${id}`, {
          image: r.image as Float32Array,
          peakTime: r.peak_time as Float32Array,
          mask: r.image_mask as ArrayLike<number>,
          parameters,
        });
      }
      if (file.hasDataset(`/simulation/event/telescope/images/${tel}`)) {
        const sim = new TableReader(file, `/simulation/event/telescope/images/${tel}`, cache);
        for (let i = 0; i < sim.nRows; i++) {
          const t = sim.row(i).true_image as ArrayLike<number>;
          if (t && t.length) trueImages++;
        }
      }
    }
    const st = new TableReader(file, '/dl1/service/image_statistics', cache);
    const dec = (v: unknown) => (typeof v === 'string' ? v : new TextDecoder().decode(v as Uint8Array)).replace(/\0+$/, '');
    const imageStatistics = { criteria: [] as string[], counts: [] as number[], cumulative: [] as number[] };
    for (let i = 0; i < st.nRows; i++) {
      const r = st.row(i);
      imageStatistics.criteria.push(dec(r.criteria));
      imageStatistics.counts.push(Number(r.counts));
      imageStatistics.cumulative.push(Number(r.cumulative_counts));
    }
    return { rows, imageStatistics, trueImages };
  } finally {
    file.close();
  }
}

/** compare-process.py's tolerance for one parameter column. */
function parameterOk(column: string, ours: number, ref: number, integer: boolean): boolean {
  if (Number.isNaN(ref) || Number.isNaN(ours)) return Number.isNaN(ref) && Number.isNaN(ours);
  if (integer) return ours === ref;
  const d = Math.abs(ours - ref);
  if (column.startsWith('timing_')) return d <= 1e-5 * Math.max(1, Math.abs(ref));
  return d <= 1e-9 || d <= 1e-6 * Math.abs(ref);
}

const INTEGER_COLUMNS = new Set([
  'morphology_n_pixels',
  'morphology_n_islands',
  'morphology_n_small_islands',
  'morphology_n_medium_islands',
  'morphology_n_large_islands',
]);

interface Tally {
  images: number;
  imageValues: number;
  imageIdentical: number;
  timeValues: number;
  timeIdentical: number;
  masks: number;
  parameterValues: number;
  failures: string[];
}

function compareEvent(name: string, dl1: SimtelDL1Event, columns: string[], ref: Reference, t: Tally): void {
  for (const tel of dl1.tel) {
    const what = `${name} tel ${tel.telId} event ${dl1.eventId}`;
    const r = ref.rows.get(`${tel.telId}/${dl1.eventId}`);
    if (!r) {
      t.failures.push(`${what}: not in the reference file`);
      continue;
    }
    t.images++;
    expect(tel.image.length, `${what}: pixels`).toBe(r.image.length);
    for (let i = 0; i < r.image.length; i++) {
      t.imageValues++;
      if (tel.image[i] === r.image[i]) t.imageIdentical++;
      else if (!(Math.abs(tel.image[i] - r.image[i]) <= Math.max(1e-4 * Math.abs(r.image[i]), 1e-3)) && t.failures.length < 20)
        t.failures.push(`${what}: image[${i}] ${tel.image[i]} vs ${r.image[i]}`);
      if (r.image[i] >= 1) {
        t.timeValues++;
        if (tel.peakTime[i] === r.peakTime[i]) t.timeIdentical++;
        else if (!(Math.abs(tel.peakTime[i] - r.peakTime[i]) <= 1e-3) && t.failures.length < 20)
          t.failures.push(`${what}: peak_time[${i}] ${tel.peakTime[i]} vs ${r.peakTime[i]}`);
      }
    }
    let maskDiffers = 0;
    for (let i = 0; i < r.image.length; i++) if (tel.mask[i] !== (r.mask[i] ? 1 : 0)) maskDiffers++;
    if (maskDiffers) t.failures.push(`${what}: ${maskDiffers} mask pixels differ`);
    else t.masks++;
    let nMask = 0;
    for (let i = 0; i < tel.mask.length; i++) nMask += tel.mask[i];
    expect(tel.selected.length, `${what}: selected pixels = mask`).toBe(nMask);
    columns.forEach((c, k) => {
      const refValue = r.parameters[c];
      if (refValue === undefined) {
        t.failures.push(`${what}: the reference has no column ${c}`);
        return;
      }
      t.parameterValues++;
      if (!parameterOk(c, tel.parameters[k], refValue, INTEGER_COLUMNS.has(c)) && t.failures.length < 20)
        t.failures.push(`${what}: ${c} ${tel.parameters[k]} vs ${refValue}`);
    });
    if (tel.status === DL1_IMAGE_STATUS.error) t.failures.push(`${what}: a parameter raised: ${tel.error}`);
  }
}

describe('sim_telarray → DL1 images and parameters (SimtelDL1Processor) against ctapipe-process 0.26', () => {
  const references = new Map<string, Reference>();

  beforeAll(async () => {
    for (const f of FILES) references.set(f, await readReference(`${FIXTURES}${f}.ctapipe.dl1.h5`));
  }, 300_000);

  it('leaves calibration events out, saying why (ctapipe selects no gain for them)', () => {
    const file = openSimtelFile(`${FIXTURES}calib_true_pe.simtel.zst`, { calibrationEvents: true, focalLengthChoice: 'EQUIVALENT' });
    try {
      expect(file.nEvents).toBeGreaterThan(0);
      const proc = new SimtelDL1Processor(file.subarray);
      for (const ev of file.iterEvents()) {
        expect(ev.kind).toBe('calibration');
        const out = proc.process(ev);
        expect(out.tel).toEqual([]);
        expect(out.skipped).toMatch(/calibration event/);
      }
    } finally {
      file.close();
    }
  });

  for (const name of FILES) {
    it(`${name}: every image, peak time, mask and parameter row as ctapipe-process wrote them`, () => {
      const ref = references.get(name)!;
      const file = openSimtelFile(`${FIXTURES}${name}.simtel.zst`, { index: 'lazy', focalLengthChoice: 'EQUIVALENT' });
      const tally: Tally = { images: 0, imageValues: 0, imageIdentical: 0, timeValues: 0, timeIdentical: 0, masks: 0, parameterValues: 0, failures: [] };
      try {
        const proc = new SimtelDL1Processor(file.subarray);
        let events = 0;
        for (const ev of file.iterEvents()) {
          compareEvent(name, proc.process(ev), proc.parameterColumns, ref, tally);
          events++;
        }
        expect(tally.failures).toEqual([]);
        expect(tally.images, `${name}: every reference image was made`).toBe(ref.rows.size);
        expect(tally.masks).toBe(ref.rows.size);
        expect(tally.timeValues, `${name}: pixels ≥ 1 p.e. to compare peak times on`).toBeGreaterThan(0);
        // ctapipe counts the true images in the same statistics table (ImageProcessor checks them too)
        const st = ref.imageStatistics;
        expect(st.criteria).toEqual(['TOTAL', ...proc.quality!.map((c) => c.name)]);
        const counts = proc.qualityCounts!;
        expect(Array.from(counts.counts).map((c, i) => c + (i === 0 || st.counts[i] === st.counts[0] ? ref.trueImages : 0))).toEqual(st.counts);
        console.log(
          `${name}: ${events} events, ${tally.images} images: image ${tally.imageIdentical}/${tally.imageValues} and peak time ${tally.timeIdentical}/${tally.timeValues} bit-identical, ` +
            `${tally.masks} masks identical, ${tally.parameterValues} parameter values within tolerance`,
        );

        // the same by random access, into fresh arrays
        const again = new SimtelDL1Processor(file.subarray);
        const t2: Tally = { ...tally, failures: [], images: 0, masks: 0 };
        for (let i = file.nEvents - 1; i >= 0; i--) {
          const out = again.process(file.event(i), { fresh: true });
          compareEvent(name, out, again.parameterColumns, ref, t2);
        }
        expect(t2.failures).toEqual([]);
        expect(t2.images).toBe(ref.rows.size);
      } finally {
        file.close();
      }
    }, 300_000);
  }
});
