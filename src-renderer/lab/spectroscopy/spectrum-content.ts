/**
 * What the spectrum plot and the photopeak box show, from the backend's
 * analysis (SpectrumWire): the histogram in ADC or, calibrated, in keV; the
 * fitted peaks marked; the chosen peak's model curve; its numbers as
 * "value ± error" with the same two decimals `lightpool spectrum` prints.
 * Pure, so it is unit-tested; the renderer computes no physics here, it
 * only picks and formats what the backend sent.
 */
import type { SpectrumPeakWire, SpectrumWire } from '../../../src-main/api/lab-contract.js';
import type { PlotContent } from '../../histograms/histogram-plot.js';

export interface SpectrumView {
  /** x axis in keV (needs a calibration) */
  keV: boolean;
  logY: boolean;
  /** index into peaks of the peak whose fit is drawn */
  selected: number;
}

/** Two decimals, as `lightpool spectrum` prints; NaN and ±∞ as such. */
export function fixed2(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : String(v);
}

/** The photopeak of a spectrum: the fitted peak with the most net counts (−1 when none). */
export function photopeakIndex(s: Pick<SpectrumWire, 'peaks'>): number {
  let best = -1;
  s.peaks.forEach((p, i) => {
    if (best < 0 || p.netCounts > s.peaks[best].netCounts) best = i;
  });
  return best;
}

export function canShowKeV(s: Pick<SpectrumWire, 'edgesKeV' | 'calibration'>): boolean {
  return !!s.edgesKeV && !!s.calibration;
}

/** The lines of a peak's fit box. */
export function peakLines(p: SpectrumPeakWire, index: number, keV: boolean): string[] {
  const lines = [`peak ${index + 1}: Gaussian${p.backgroundModel === 'linear' ? ' + linear background' : ''}`];
  if (keV && p.keV) {
    lines.push(`centroid ${fixed2(p.keV.centroid)} ± ${fixed2(p.keV.centroidError)} keV`);
    lines.push(`FWHM ${fixed2(p.keV.fwhm)} ± ${fixed2(p.keV.fwhmError)} keV`);
    lines.push(`(${fixed2(p.centroid)} ± ${fixed2(p.centroidError)} ADC)`);
  } else {
    lines.push(`centroid ${fixed2(p.centroid)} ± ${fixed2(p.centroidError)} ADC`);
    lines.push(`FWHM ${fixed2(p.fwhm)} ± ${fixed2(p.fwhmError)} ADC`);
  }
  lines.push(`resolution ${fixed2(100 * p.resolution)} %`);
  lines.push(`net counts ${p.netCounts.toFixed(0)} ± ${p.netCountsError.toFixed(0)}`);
  lines.push(`χ²/ndf ${p.chi2.toFixed(1)}/${p.ndf}`);
  return lines;
}

/** Linear interpolation over sampled (x ascending, y); NaN outside, and below `floor`. */
export function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, floor = -Infinity): (x: number) => number {
  const n = xs.length;
  return (x) => {
    if (!(n > 1) || !(x >= xs[0] && x <= xs[n - 1])) return NaN;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    const t = (x - xs[lo]) / (xs[hi] - xs[lo] || 1);
    const y = ys[lo] + t * (ys[hi] - ys[lo]);
    return y >= floor ? y : NaN;
  };
}

export function spectrumPlotContent(s: SpectrumWire, v: SpectrumView, title: string): PlotContent {
  const keV = v.keV && canShowKeV(s);
  const edges = keV ? s.edgesKeV! : s.edges;
  const p = s.peaks[v.selected];
  const curveX = p ? (keV && p.curve.xKeV ? p.curve.xKeV : p.curve.x) : undefined;
  // a peak in the right half of the spectrum keeps the fit box out of its way on the left
  const mid = 0.5 * (edges[0] + edges[edges.length - 1]);
  const peakX = p ? (keV && p.keV ? p.keV.centroid : p.centroid) : mid;
  return {
    title,
    xLabel: keV ? 'energy (keV)' : `pulse height (ADC${s.shaping.gain === 'Mk' ? ', gain M·k' : ', gain (M+1)·k'})`,
    yLabel: 'counts per bin',
    // one layer, no legend (the exported figure's top corners hold the fit box and the peak marks)
    layers: [{ label: '', edges, counts: s.counts, color: '#4fc3f7' }],
    logY: v.logY,
    // on a log axis the Gaussian's far tails (1e-9 counts) would stretch the axis: the curve stops at 0.1 count
    fit:
      p && curveX
        ? { f: interpolate(curveX, p.curve.y, v.logY ? 0.1 : -Infinity), range: [curveX[0], curveX[curveX.length - 1]], lines: peakLines(p, v.selected, keV) }
        : undefined,
    markers: s.peaks.map((q, i) => ({ x: keV && q.keV ? q.keV.centroid : q.centroid, label: String(i + 1) })),
    fitBox: peakX > mid ? 'left' : 'right',
  };
}
