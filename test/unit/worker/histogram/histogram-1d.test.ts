import { describe, expect, it } from 'vitest';
import {
  type Histogram1D,
  binCenters,
  binErrors,
  cloneHistogram1D,
  createHistogram1D,
  fill,
  fillArray,
  findBin,
  histogramMoments,
  mergeInto,
  resetHistogram1D,
} from '../../../../src-worker/histogram/histogram-1d.js';
import { seededRandom } from '../fit/seeded-random.js';

/** Reference bin search: binary search on the stored edges. */
function referenceBin(h: Histogram1D, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < h.edges[0] || (h.scale === 'log' && x <= 0)) return -1;
  if (x >= h.edges[h.nBins]) return h.nBins;
  let a = 0;
  let b = h.nBins;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (x >= h.edges[m]) a = m;
    else b = m;
  }
  return a;
}

describe('Histogram1D, linear bins', () => {
  it('puts edges in the upper bin, lo in bin 0, hi in overflow, NaN apart', () => {
    const h = createHistogram1D({ nBins: 10, lo: 0, hi: 1 });
    expect(h.edges[3]).toBeCloseTo(0.3, 15);
    for (let i = 0; i < 10; i++) expect(findBin(h, h.edges[i])).toBe(i);
    // the value just below an edge stays in the lower bin
    for (let i = 1; i < 10; i++) expect(findBin(h, h.edges[i] - Number.EPSILON * h.edges[i])).toBe(i - 1);
    fillArray(h, [0, 1, -0.1, NaN, 0.999999, 0.3, Infinity, -Infinity]);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[9]).toBe(1);
    expect(h.counts[findBin(h, 0.3)]).toBe(1);
    expect(h.overflow).toBe(2);
    expect(h.underflow).toBe(2);
    expect(h.nan).toBe(1);
    expect(h.entries).toBe(8);
  });

  it('fill, fillArray and a binary search on the edges agree on random and edge values', () => {
    const rng = seededRandom(1);
    const h1 = createHistogram1D({ nBins: 37, lo: -2.5, hi: 7.1 });
    const h2 = createHistogram1D({ nBins: 37, lo: -2.5, hi: 7.1 });
    const values = new Float64Array(20000);
    for (let i = 0; i < values.length; i++) {
      values[i] = i % 4 === 0 ? h1.edges[Math.floor(rng.uniform() * 38)] : rng.uniform() * 12 - 3.5;
    }
    const expected = new Float64Array(37);
    let under = 0;
    let over = 0;
    for (const x of values) {
      fill(h1, x);
      const b = referenceBin(h1, x);
      if (b < 0) under++;
      else if (b >= 37) over++;
      else expected[b]++;
    }
    fillArray(h2, values);
    expect(Array.from(h1.counts)).toEqual(Array.from(expected));
    expect(Array.from(h2.counts)).toEqual(Array.from(expected));
    expect([h1.underflow, h1.overflow]).toEqual([under, over]);
    expect([h2.underflow, h2.overflow]).toEqual([under, over]);
    expect(h2.sumw).toBe(h1.sumw);
  });

  it('keeps weights, squared weights and moments', () => {
    const h = createHistogram1D({ nBins: 4, lo: 0, hi: 4 });
    fillArray(h, Float32Array.from([0.5, 0.5, 1.5, 3.5, 5]), Float32Array.from([2, 3, 1, 0.5, 7]));
    expect(Array.from(h.counts)).toEqual([5, 1, 0, 0.5]);
    expect(Array.from(h.sumw2)).toEqual([13, 1, 0, 0.25]);
    expect(Array.from(binErrors(h))).toEqual([Math.sqrt(13), 1, 0, 0.5]);
    expect(h.overflow).toBe(7);
    const m = histogramMoments(h);
    const mean = (5 * 0.5 + 1.5 + 0.5 * 3.5) / 6.5;
    expect(m.mean).toBeCloseTo(mean, 14);
    expect(m.std).toBeCloseTo(Math.sqrt((5 * 0.25 + 2.25 + 0.5 * 12.25) / 6.5 - mean * mean), 14);
    expect(Array.from(binCenters(h))).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it('fills only the first `count` values when asked', () => {
    const h = createHistogram1D({ nBins: 2, lo: 0, hi: 2 });
    fillArray(h, [0.5, 1.5, 1.5], undefined, 2);
    expect(Array.from(h.counts)).toEqual([1, 1]);
    expect(h.entries).toBe(2);
  });
});

describe('Histogram1D, log bins', () => {
  it('has geometric edges and centres, and puts x ≤ 0 in underflow', () => {
    const h = createHistogram1D({ nBins: 3, lo: 10, hi: 10000, scale: 'log' });
    expect(h.edges[1]).toBeCloseTo(100, 10);
    expect(h.edges[2]).toBeCloseTo(1000, 9);
    expect(binCenters(h)[0]).toBeCloseTo(Math.sqrt(1000), 10);
    fillArray(h, [0, -5, 10, 99.999, 100.0001, 9999, 10000, NaN]);
    expect(h.underflow).toBe(2);
    expect(Array.from(h.counts)).toEqual([2, 1, 1]);
    expect(h.overflow).toBe(1);
    expect(h.nan).toBe(1);
  });

  it('agrees with a binary search on the edges', () => {
    const rng = seededRandom(2);
    const h = createHistogram1D({ nBins: 50, lo: 1, hi: 1e5, scale: 'log' });
    const values = Float64Array.from({ length: 20000 }, (_, i) => (i % 5 === 0 ? h.edges[Math.floor(rng.uniform() * 51)] : Math.exp(rng.uniform() * 13 - 1)));
    fillArray(h, values);
    const expected = new Float64Array(50);
    for (const x of values) {
      const b = referenceBin(h, x);
      if (b >= 0 && b < 50) expected[b]++;
    }
    expect(Array.from(h.counts)).toEqual(Array.from(expected));
  });
});

describe('merging', () => {
  it('merging equals filling everything into one histogram', () => {
    const rng = seededRandom(3);
    const spec = { nBins: 20, lo: 0, hi: 10 };
    const a = createHistogram1D(spec);
    const b = createHistogram1D(spec);
    const all = createHistogram1D(spec);
    const va = Float64Array.from({ length: 1000 }, () => rng.normal(5, 3));
    const vb = Float64Array.from({ length: 700 }, () => rng.normal(4, 2));
    fillArray(a, va);
    fillArray(b, vb);
    fillArray(all, va);
    fillArray(all, vb);
    const merged = mergeInto(cloneHistogram1D(a), b);
    expect(Array.from(merged.counts)).toEqual(Array.from(all.counts));
    expect([merged.underflow, merged.overflow, merged.entries]).toEqual([all.underflow, all.overflow, all.entries]);
    expect(merged.sumwx).toBeCloseTo(all.sumwx, 9);
    // the clone was merged, not a
    expect(a.entries).toBe(1000);
    resetHistogram1D(a);
    expect(a.counts.every((c) => c === 0) && a.entries === 0).toBe(true);
  });

  it('refuses different binnings', () => {
    expect(() => mergeInto(createHistogram1D({ nBins: 10, lo: 0, hi: 1 }), createHistogram1D({ nBins: 10, lo: 0, hi: 2 }))).toThrow(/different binning/);
    expect(() => mergeInto(createHistogram1D({ nBins: 10, lo: 1, hi: 2 }), createHistogram1D({ nBins: 10, lo: 1, hi: 2, scale: 'log' }))).toThrow();
  });

  it('rejects invalid specs', () => {
    expect(() => createHistogram1D({ nBins: 0, lo: 0, hi: 1 })).toThrow();
    expect(() => createHistogram1D({ nBins: 5, lo: 1, hi: 1 })).toThrow();
    expect(() => createHistogram1D({ nBins: 5, lo: 0, hi: 1, scale: 'log' })).toThrow();
  });
});

describe('a million values', () => {
  // (fill speed is the live benchmarks' business: bench/live-throughput.bench.ts aggregates every event)
  it('counts every value once, in a bin or in under/overflow', () => {
    const rng = seededRandom(4);
    const values = Float32Array.from({ length: 1_000_000 }, () => Math.exp(rng.normal(5, 1.5)));
    const lin = createHistogram1D({ nBins: 100, lo: 0, hi: 2000 });
    const log = createHistogram1D({ nBins: 100, lo: 10, hi: 1e5, scale: 'log' });
    fillArray(lin, values);
    fillArray(log, values);
    for (const h of [lin, log]) {
      expect(h.entries).toBe(1_000_000);
      expect(h.counts.reduce((a, b) => a + b, 0) + h.underflow + h.overflow).toBe(1_000_000);
    }
    // the same split as counting by hand
    expect(lin.overflow).toBe(values.filter((v) => v >= 2000).length);
    expect(log.underflow).toBe(values.filter((v) => v < 10).length);
  });
});
