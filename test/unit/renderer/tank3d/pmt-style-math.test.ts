/**
 * What the tank views show for real events of the IWCD sample file, compared
 * with h5py in the same run: as many coloured PMTs as distinct hit PMTs, and
 * the summed charge shown equals the file's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { WatchmalReader } from '../../../../src-worker/io/watchmal/watchmal-reader.js';
import { loadPmtGeometry } from '../../../../src-worker/io/watchmal/pmt-geometry.js';
import { PmtHitAccumulator } from '../../../../src-worker/tank/pmt-hits.js';
import { hitLimits, PmtStyler, UNHIT_RGB } from '../../../../src-renderer/tank3d/pmt-style-math.js';
import { colormapLut } from '../../../../src-renderer/colormap/colormaps.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('h5py');

const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/watchmal_iwcd4pi_sample_digihits.h5', import.meta.url));
const PY = fileURLToPath(new URL('../../worker/tank/watchmal-event-sums.py', import.meta.url));
// 12 has no hits; the sample has no repeated PMT within an event (the synthetic test below has)
const EVENTS = [0, 1, 2, 3, 12, 17, 64, 100, 149];

interface Ref {
  n_hits: number;
  distinct: number;
  charge_sum: number;
  pmt_max_charge: number;
  max_pmt_charge: number;
  earliest: Record<string, number>;
}

describeWith([REF_PY], 'tank view colouring of the IWCD sample events', () => {
  let ref: Record<string, Ref>;
  beforeAll(() => {
    ref = JSON.parse(execFileSync(REF_PY.path, [PY, SAMPLE, ...EVENTS.map(String)], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Record<string, Ref>;
  });

  it("colours one PMT per distinct hit PMT and shows the file's summed charge, event after event", async () => {
    const geometry = loadPmtGeometry('iwcd_mpmt_4pi');
    expect(geometry.nPmts).toBe(15808);
    const f = await H5File.open(SAMPLE);
    try {
      const reader = new WatchmalReader(f);
      const hits = new PmtHitAccumulator(geometry.nPmts);
      const styler = new PmtStyler(geometry.nPmts);
      const lut = colormapLut('viridis');
      const faint = UNHIT_RGB.map((c) => Math.fround(c));
      for (const quantity of ['charge', 'time'] as const) {
        for (const i of EVENTS) {
          const ev = reader.event(i);
          hits.set(ev.hitPmt!, ev.hitCharge, ev.hitTime);
          const r = ref[String(i)];
          expect(hits.outOfRange).toBe(0);
          expect(ev.nHits).toBe(r.n_hits);
          const s = styler.apply(hits, quantity, { kind: 'linear', linthresh: 1, ...hitLimits(hits, quantity) }, lut);
          // the styler says how many it coloured; count it independently from the colour buffer too
          let notFaint = 0;
          let flagged = 0;
          let chargeOfFlagged = 0;
          for (let p = 0; p < geometry.nPmts; p++) {
            const c = styler.colors.subarray(3 * p, 3 * p + 3);
            if (c[0] !== faint[0] || c[1] !== faint[1] || c[2] !== faint[2]) notFaint++;
            if (styler.hit[p]) {
              flagged++;
              chargeOfFlagged += hits.charge[p];
            }
          }
          expect(s.colored).toBe(r.distinct);
          expect(flagged).toBe(r.distinct);
          // (a colour-map colour could equal the faint grey only by accident; viridis has none)
          expect(notFaint).toBe(r.distinct);
          expect(s.shownCharge).toBeCloseTo(r.charge_sum, 2);
          expect(Math.abs(chargeOfFlagged - r.charge_sum)).toBeLessThan(1e-6 * Math.max(1, r.charge_sum));
          expect(Math.abs(hits.totalCharge - r.charge_sum)).toBeLessThan(1e-9 * Math.max(1, r.charge_sum));
          // the largest PMT charge (summed over repeated hits) and its PMT, and earliest times
          if (r.distinct === 0) continue;
          expect(hits.charge[r.pmt_max_charge]).toBeCloseTo(r.max_pmt_charge, 4);
          for (const [p, t] of Object.entries(r.earliest)) expect(hits.time[Number(p)]).toBeCloseTo(t, 4);
          // the biggest charge gets the largest size
          expect(styler.scales[r.pmt_max_charge]).toBeCloseTo(2.2, 5);
        }
      }
    } finally {
      f.close();
    }
  });
});

describe('PmtHitAccumulator', () => {
  it('sums repeated PMTs, keeps the earliest time, skips out-of-range PMTs and clears the previous event', () => {
    const h = new PmtHitAccumulator(10);
    h.set([3, 5, 3, 12, -1], [1, 2, 4, 9, 9], [20, 10, 15, 1, 1]);
    expect(h.nHitPmts).toBe(2);
    expect(Array.from(h.hitPmts.subarray(0, 2))).toEqual([3, 5]);
    expect(h.charge[3]).toBe(5);
    expect(h.time[3]).toBe(15);
    expect(h.count[3]).toBe(2);
    expect(h.outOfRange).toBe(2);
    expect(h.totalCharge).toBe(7);
    const styler = new PmtStyler(10);
    expect(styler.apply(h, 'charge', { kind: 'linear', linthresh: 1, ...hitLimits(h, 'charge') }, colormapLut('viridis')).colored).toBe(2);
    h.set([7], [2], [3]);
    expect(h.charge[3]).toBe(0);
    expect(Number.isNaN(h.time[5])).toBe(true);
    expect(h.nHitPmts).toBe(1);
    const s = styler.apply(h, 'time', { kind: 'linear', linthresh: 1, ...hitLimits(h, 'time') }, colormapLut('viridis'));
    expect(s.colored).toBe(1);
    expect(styler.hit[3]).toBe(0);
    expect(Array.from(styler.colors.subarray(9, 12))).toEqual(UNHIT_RGB.map((c) => Math.fround(c)));
  });
});
