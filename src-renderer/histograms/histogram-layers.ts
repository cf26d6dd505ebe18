/**
 * Histograms as drawable layers: several histograms (runs, telescopes) with
 * possibly different binnings share one x array for uPlot, each drawn as a
 * step function (value of the bin holding x, null outside the histogram).
 * Pure functions, no DOM: used by the plot, the SVG export and the tests.
 */

export interface HistogramLayer {
  label: string;
  /** nBins + 1 edges */
  edges: ArrayLike<number>;
  /** nBins contents */
  counts: ArrayLike<number>;
  color: string;
}

/** Colours of overlaid layers (colour-blind friendly, readable on the dark panel and on white). */
export const LAYER_COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#f06292', '#ba68c8', '#fff176', '#4db6ac', '#e57373', '#9575cd', '#a1887f'];

/** Index of the bin of `edges` holding x ([e_i, e_{i+1}); the last edge belongs to the last bin), −1 outside. */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  const n = edges.length - 1;
  if (!(x >= edges[0]) || !(x <= edges[n])) return -1;
  if (x === edges[n]) return n - 1;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Sorted unique union of every layer's edges and the extra x values. */
export function unionX(layers: readonly HistogramLayer[], extra: ArrayLike<number> = []): Float64Array {
  const all: number[] = [];
  for (const l of layers) for (let i = 0; i < l.edges.length; i++) all.push(l.edges[i]);
  for (let i = 0; i < extra.length; i++) all.push(extra[i]);
  const sorted = Float64Array.from(all.filter(Number.isFinite)).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i];
  return sorted.slice(0, k);
}

/**
 * The layer as a step series over `xs`: y(x) = content of the bin holding x,
 * null outside the histogram, and null where y ≤ 0 on a log axis.
 * `scale` multiplies the contents (normalisation).
 */
export function stepSeries(layer: HistogramLayer, xs: ArrayLike<number>, logY: boolean, scale = 1): (number | null)[] {
  const out: (number | null)[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const b = binIndex(layer.edges, xs[i]);
    if (b < 0) {
      out[i] = null;
      continue;
    }
    const v = layer.counts[b] * scale;
    out[i] = logY && !(v > 0) ? null : v;
  }
  return out;
}

export function layerTotal(layer: HistogramLayer): number {
  let s = 0;
  for (let i = 0; i < layer.counts.length; i++) s += layer.counts[i];
  return s;
}

/** Sample points for a smooth curve over [lo, hi] (log-spaced on a log axis). */
export function curveX(lo: number, hi: number, n: number, logX: boolean): Float64Array {
  const out = new Float64Array(n);
  if (logX && lo > 0) {
    const a = Math.log(lo);
    const b = Math.log(hi);
    for (let i = 0; i < n; i++) out[i] = Math.exp(a + ((b - a) * i) / (n - 1));
  } else {
    for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  }
  return out;
}
