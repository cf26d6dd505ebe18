/**
 * Fixed-binning 1D histogram for live aggregation: linear or logarithmic
 * bins, under/overflow, weighted fills from typed arrays, merging.
 *
 * The histogram is plain data (numbers and Float64Arrays), so it can be
 * posted between threads; the functions below operate on it in place.
 *
 * Bins are half-open [edge_i, edge_{i+1}); x < lo goes to underflow,
 * x ≥ hi to overflow, NaN to `nan`. With log bins the edges are
 * lo·(hi/lo)^(i/nBins) and x ≤ 0 counts as underflow. A value is always put
 * in the bin whose stored edges contain it (the computed index is checked
 * against `edges`), so there are no off-by-one surprises at bin edges.
 */

export type BinScale = 'linear' | 'log';

export interface Histogram1DSpec {
  nBins: number;
  /** lower edge of the first bin */
  lo: number;
  /** upper edge of the last bin */
  hi: number;
  /** default 'linear' */
  scale?: BinScale;
}

export interface Histogram1D {
  nBins: number;
  lo: number;
  hi: number;
  scale: BinScale;
  /** bin edges, nBins + 1 */
  edges: Float64Array;
  /** sum of weights per bin */
  counts: Float64Array;
  /** sum of squared weights per bin (for errors of weighted fills) */
  sumw2: Float64Array;
  underflow: number;
  overflow: number;
  /** number of NaN values seen */
  nan: number;
  /** number of values filled, including under/overflow and NaN */
  entries: number;
  /** Σw, Σw·x, Σw·x² over the in-range values (mean and std of the filled data) */
  sumw: number;
  sumwx: number;
  sumwx2: number;
}

export function createHistogram1D(spec: Histogram1DSpec): Histogram1D {
  const { nBins, lo, hi } = spec;
  const scale = spec.scale ?? 'linear';
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`nBins must be a positive integer, got ${nBins}`);
  if (!(hi > lo)) throw new Error(`need lo < hi, got [${lo}, ${hi}]`);
  if (scale === 'log' && !(lo > 0)) throw new Error(`log bins need lo > 0, got ${lo}`);
  const edges = new Float64Array(nBins + 1);
  if (scale === 'linear') {
    const w = (hi - lo) / nBins;
    for (let i = 0; i <= nBins; i++) edges[i] = lo + i * w;
  } else {
    const a = Math.log(lo);
    const w = (Math.log(hi) - a) / nBins;
    for (let i = 0; i <= nBins; i++) edges[i] = Math.exp(a + i * w);
  }
  edges[0] = lo;
  edges[nBins] = hi;
  return {
    nBins,
    lo,
    hi,
    scale,
    edges,
    counts: new Float64Array(nBins),
    sumw2: new Float64Array(nBins),
    underflow: 0,
    overflow: 0,
    nan: 0,
    entries: 0,
    sumw: 0,
    sumwx: 0,
    sumwx2: 0,
  };
}

/** Bin index of x: 0..nBins−1, −1 for underflow, nBins for overflow, NaN for NaN. */
export function findBin(h: Histogram1D, x: number): number {
  if (Number.isNaN(x)) return NaN;
  const { edges, nBins } = h;
  if (!(x >= h.lo)) return -1; // also x ≤ 0 for log bins, since lo > 0
  if (x >= h.hi) return nBins;
  let i = h.scale === 'linear' ? Math.floor(((x - h.lo) / (h.hi - h.lo)) * nBins) : Math.floor((Math.log(x / h.lo) / Math.log(h.hi / h.lo)) * nBins);
  if (i < 0) i = 0;
  else if (i >= nBins) i = nBins - 1;
  // exact placement against the stored edges (rounding can be one bin off)
  while (i > 0 && x < edges[i]) i--;
  while (i < nBins - 1 && x >= edges[i + 1]) i++;
  return i;
}

/** Adds one value with weight w (default 1); returns its bin (as findBin). */
export function fill(h: Histogram1D, x: number, w = 1): number {
  h.entries++;
  const i = findBin(h, x);
  if (Number.isNaN(i)) {
    h.nan++;
  } else if (i < 0) {
    h.underflow += w;
  } else if (i >= h.nBins) {
    h.overflow += w;
  } else {
    h.counts[i] += w;
    h.sumw2[i] += w * w;
    h.sumw += w;
    h.sumwx += w * x;
    h.sumwx2 += w * x * x;
  }
  return i;
}

/**
 * Adds every value of `values` (weights 1, or `weights[i]`), optionally only
 * the first `count` ones.
 */
export function fillArray(h: Histogram1D, values: ArrayLike<number>, weights?: ArrayLike<number>, count: number = values.length): void {
  if (weights && weights.length < count) throw new Error('weights shorter than values');
  const { edges, nBins, counts, sumw2, lo, hi } = h;
  const linear = h.scale === 'linear';
  const factor = linear ? nBins / (hi - lo) : nBins / Math.log(hi / lo);
  let under = 0,
    over = 0,
    nan = 0,
    sw = 0,
    swx = 0,
    swx2 = 0;
  for (let k = 0; k < count; k++) {
    const x = values[k];
    const w = weights ? weights[k] : 1;
    if (x >= lo) {
      if (x < hi) {
        let i = Math.floor(linear ? (x - lo) * factor : Math.log(x / lo) * factor);
        if (i >= nBins) i = nBins - 1;
        else if (i < 0) i = 0;
        while (i > 0 && x < edges[i]) i--;
        while (i < nBins - 1 && x >= edges[i + 1]) i++;
        counts[i] += w;
        sumw2[i] += w * w;
        sw += w;
        swx += w * x;
        swx2 += w * x * x;
      } else {
        over += w;
      }
    } else if (x !== x) {
      nan++;
    } else {
      under += w;
    }
  }
  h.entries += count;
  h.underflow += under;
  h.overflow += over;
  h.nan += nan;
  h.sumw += sw;
  h.sumwx += swx;
  h.sumwx2 += swx2;
}

function sameBinning(a: Histogram1D, b: Histogram1D): boolean {
  return a.nBins === b.nBins && a.lo === b.lo && a.hi === b.hi && a.scale === b.scale;
}

/** Adds `other` into `into` (same binning required). */
export function mergeInto(into: Histogram1D, other: Histogram1D): Histogram1D {
  if (!sameBinning(into, other)) {
    throw new Error(
      `cannot merge histograms with different binning: ${into.nBins} ${into.scale} bins [${into.lo}, ${into.hi}) vs ${other.nBins} ${other.scale} bins [${other.lo}, ${other.hi})`,
    );
  }
  for (let i = 0; i < into.nBins; i++) {
    into.counts[i] += other.counts[i];
    into.sumw2[i] += other.sumw2[i];
  }
  into.underflow += other.underflow;
  into.overflow += other.overflow;
  into.nan += other.nan;
  into.entries += other.entries;
  into.sumw += other.sumw;
  into.sumwx += other.sumwx;
  into.sumwx2 += other.sumwx2;
  return into;
}

export function cloneHistogram1D(h: Histogram1D): Histogram1D {
  return {
    ...h,
    edges: Float64Array.from(h.edges),
    counts: Float64Array.from(h.counts),
    sumw2: Float64Array.from(h.sumw2),
  };
}

export function resetHistogram1D(h: Histogram1D): void {
  h.counts.fill(0);
  h.sumw2.fill(0);
  h.underflow = 0;
  h.overflow = 0;
  h.nan = 0;
  h.entries = 0;
  h.sumw = 0;
  h.sumwx = 0;
  h.sumwx2 = 0;
}

/** Bin centres: arithmetic for linear bins, geometric (√(a·b)) for log bins. */
export function binCenters(h: Histogram1D): Float64Array {
  const c = new Float64Array(h.nBins);
  for (let i = 0; i < h.nBins; i++) {
    const a = h.edges[i];
    const b = h.edges[i + 1];
    c[i] = h.scale === 'linear' ? 0.5 * (a + b) : Math.sqrt(a * b);
  }
  return c;
}

/** Standard errors of the bin contents, √Σw². */
export function binErrors(h: Histogram1D): Float64Array {
  return h.sumw2.map(Math.sqrt);
}

/** Weighted mean and standard deviation of the in-range values (NaN when empty). */
export function histogramMoments(h: Histogram1D): { mean: number; std: number } {
  if (!(h.sumw > 0)) return { mean: NaN, std: NaN };
  const mean = h.sumwx / h.sumw;
  const variance = Math.max(0, h.sumwx2 / h.sumw - mean * mean);
  return { mean, std: Math.sqrt(variance) };
}
