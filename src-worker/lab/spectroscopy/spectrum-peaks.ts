/**
 * Peaks of a pulse-height spectrum: the histogram smoothed with a Gaussian
 * kernel of `smoothing` bins, its local maxima (findPulses from the waveform
 * peak finder, on the smoothed counts) that stand out from their
 * surroundings: the prominence (height above the higher of the two minima
 * reached walking down either side, within `window` bins) must exceed
 * `minProminence` counts and `significance` standard deviations of the
 * smoothed counts at the base (Poisson: a smoothed count of b has variance
 * ≈ b / (2√π·σ)). Each candidate comes with a FWHM estimate from the
 * half-prominence crossings.
 */
import { findPulses } from '../waveform/peak-finder.js';

export interface PeakSearchOptions {
  /** σ of the Gaussian smoothing, bins; default 2 */
  smoothing?: number;
  /** least prominence, counts (smoothed); default 3 */
  minProminence?: number;
  /** least prominence in standard deviations of the smoothed base; default 4 */
  significance?: number;
  /** how far to walk down a peak's sides, bins; default 100 */
  window?: number;
  /** keep at most this many (the most prominent); default 12 */
  maxPeaks?: number;
}

export interface SpectrumPeakCandidate {
  /** bin index of the maximum of the smoothed spectrum */
  bin: number;
  /** its centre, in the spectrum's units */
  position: number;
  /** smoothed counts at the maximum */
  height: number;
  /** height above the base */
  prominence: number;
  /** full width at half prominence, in the spectrum's units */
  fwhm: number;
}

export function smoothCounts(counts: ArrayLike<number>, sigma: number): Float64Array {
  const n = counts.length;
  const out = new Float64Array(n);
  if (!(sigma > 0)) {
    for (let i = 0; i < n; i++) out[i] = counts[i];
    return out;
  }
  const r = Math.ceil(4 * sigma);
  const w = new Float64Array(2 * r + 1);
  for (let j = -r; j <= r; j++) w[j + r] = Math.exp((-0.5 * j * j) / (sigma * sigma));
  for (let i = 0; i < n; i++) {
    let s = 0,
      ws = 0;
    for (let j = Math.max(-r, -i); j <= Math.min(r, n - 1 - i); j++) {
      s += w[j + r] * counts[i + j];
      ws += w[j + r];
    }
    out[i] = s / ws;
  }
  return out;
}

export function findSpectrumPeaks(edges: ArrayLike<number>, counts: ArrayLike<number>, options: PeakSearchOptions = {}): SpectrumPeakCandidate[] {
  const n = counts.length;
  if (edges.length !== n + 1) throw new Error(`a spectrum needs ${n + 1} bin edges for ${n} bins, got ${edges.length}`);
  const sigma = options.smoothing ?? 2;
  const minProminence = options.minProminence ?? 3;
  const significance = options.significance ?? 4;
  const window = options.window ?? 100;
  const s = smoothCounts(counts, sigma);
  const centre = (i: number) => 0.5 * (edges[i] + edges[i + 1]);
  const at = (x: number) => {
    // position of fractional bin x (linear between centres)
    const i = Math.max(0, Math.min(n - 1, Math.floor(x)));
    return centre(i) + (x - i) * (centre(Math.min(n - 1, i + 1)) - centre(i) || edges[i + 1] - edges[i]);
  };
  const noiseFactor = 1 / (2 * Math.sqrt(Math.PI) * Math.max(sigma, 0.5));
  const out: SpectrumPeakCandidate[] = [];
  for (const p of findPulses(s, { threshold: minProminence, minDistance: Math.max(1, Math.round(2 * sigma)) })) {
    let l = p,
      lMin = s[p];
    while (l > 0 && p - l < window && s[l - 1] <= s[l]) lMin = s[--l];
    let r = p,
      rMin = s[p];
    while (r < n - 1 && r - p < window && s[r + 1] <= s[r]) rMin = s[++r];
    const base = Math.max(lMin, rMin);
    const prominence = s[p] - base;
    if (prominence < minProminence || prominence < significance * Math.sqrt(Math.max(base, 1) * noiseFactor)) continue;
    const half = base + 0.5 * prominence;
    let a = p;
    while (a > l && s[a - 1] > half) a--;
    let b = p;
    while (b < r && s[b + 1] > half) b++;
    const xa = a > 0 ? a - 1 + (half - s[a - 1]) / (s[a] - s[a - 1] || 1) : a;
    const xb = b < n - 1 ? b + (s[b] - half) / (s[b] - s[b + 1] || 1) : b;
    out.push({ bin: p, position: centre(p), height: s[p], prominence, fwhm: Math.max(at(xb) - at(xa), edges[p + 1] - edges[p]) });
  }
  out.sort((x, y) => y.prominence - x.prominence);
  return out.slice(0, options.maxPeaks ?? 12).sort((x, y) => x.position - y.position);
}
