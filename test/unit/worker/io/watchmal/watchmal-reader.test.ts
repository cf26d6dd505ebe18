/**
 * The WatChMaL reader on the two real sample files (digitised and true hits):
 * event 0 equals what h5py (/usr/bin/python3) reads in the same run, and the
 * IWCD geometry is chosen by PMT count.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { WatchmalReader } from '../../../../../src-worker/io/watchmal/watchmal-reader.js';
import { choosePmtGeometry, loadPmtGeometry } from '../../../../../src-worker/io/watchmal/pmt-geometry.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('h5py');

const SAMPLES = fileURLToPath(new URL('../../../../../test/fixtures/samples/', import.meta.url));
const PY = fileURLToPath(new URL('./watchmal-event0.py', import.meta.url));

interface PyEvent0 {
  n_events: number;
  n_hits: number;
  hit_pmt: number[];
  hit_time: number[];
  hit_charge?: number[];
  hit_parent?: number[];
  label: number;
  event_id: number;
  energy: number;
  position: number[];
  angles: number[];
  root_file: string;
  veto: boolean;
  veto2: boolean;
  fully_contained?: boolean;
  max_hit_pmt: number;
  attrs: Record<string, string>;
}

for (const [kind, name, nEvents] of [
  ['digi', 'watchmal_iwcd4pi_sample_digihits.h5', 150],
  ['true', 'watchmal_iwcd4pi_sample_truehits.h5', 40],
] as const) {
  describe(`WatChMaL ${kind}-hit sample`, () => {
    const path = SAMPLES + name;
    itWith([REF_PY], 'event 0 equals h5py', async () => {
      const ref = JSON.parse(execFileSync(REF_PY.path, [PY, path], { encoding: 'utf8', maxBuffer: 64 << 20 })) as PyEvent0;
      const f = await H5File.open(path);
      try {
        const r = new WatchmalReader(f);
        expect(r.kind).toBe('watchmal-hits');
        expect(r.hitKind).toBe(kind);
        expect(r.nEvents).toBe(nEvents);
        expect(r.nEvents).toBe(ref.n_events);
        expect(r.nHits).toBe(ref.n_hits);
        const ev = r.event(0);
        expect(ev.nHits).toBe(ref.hit_pmt.length);
        expect(ev.nHits).toBeGreaterThan(0);
        expect(Array.from(ev.hitPmt!)).toEqual(ref.hit_pmt);
        expect(Array.from(ev.hitTime!)).toEqual(ref.hit_time);
        if (kind === 'digi') {
          expect(Array.from(ev.hitCharge!)).toEqual(ref.hit_charge);
          expect(ev.hitParent).toBeUndefined();
          expect(ev.fullyContained).toBe(ref.fully_contained);
        } else {
          expect(Array.from(ev.hitParent!)).toEqual(ref.hit_parent);
          expect(ev.hitCharge).toBeUndefined();
          expect(ev.fullyContained).toBeNull();
        }
        expect(ev.label).toBe(ref.label);
        expect(ev.eventId).toBe(ref.event_id);
        expect(ev.energy).toBe(ref.energy);
        expect(ev.position).toEqual(ref.position);
        expect(ev.angles).toEqual(ref.angles);
        expect(ev.rootFile).toBe(ref.root_file);
        expect(ev.veto).toBe(ref.veto);
        expect(ev.veto2).toBe(ref.veto2);
        const s = r.summary();
        for (const [k, v] of Object.entries(ref.attrs)) expect(s.rootAttributes[k]).toBe(v);
        expect(Object.values(s.labelCounts).reduce((a, b) => a + b, 0)).toBe(nEvents);
        // the hit ranges tile the hit arrays
        let total = 0;
        for (let i = 0; i < r.nEvents; i++) total += r.hitRange(i)[1] - r.hitRange(i)[0];
        expect(total).toBe(ref.n_hits);
        // geometry by PMT count: IWCD (15,808 PMTs)
        const g = r.suggestGeometry();
        expect(g?.maxHitPmt).toBe(ref.max_hit_pmt);
        expect(g?.name).toBe('iwcd_mpmt_4pi');
      } finally {
        f.close();
      }
    });
  });
}

describeWith([REF_PY], 'PMT geometries', () => {
  it('loads the IWCD table with 15,808 PMTs, y as the tank axis', () => {
    const g = loadPmtGeometry('iwcd_mpmt_4pi');
    expect(g.nPmts).toBe(15808);
    expect(g.axis).toBe('y');
    expect(g.x[0]).toBe(Math.fround(367.52124));
    expect(g.mpmtId![18]).toBe(0);
    expect(g.mpmtId![19]).toBe(1);
    const counts = [0, 0, 0];
    for (const r of g.region) counts[r]++;
    expect(counts).toEqual([12160, 1824, 1824]);
  });

  it('chooses the smallest geometry that fits, or the one named in the file', () => {
    expect(choosePmtGeometry(11000, [])?.name).toBe('sk');
    expect(choosePmtGeometry(11000, ['/data/IWCD_mPMT_x.root'])?.name).toBe('iwcd_mpmt_4pi');
    expect(choosePmtGeometry(16000, [])?.name).toBe('hk_20inch');
    expect(choosePmtGeometry(30000, [])).toBeNull();
  });
});
