import type { Histogram1D } from '../histogram/histogram-1d.js';
import type { HistogramFitData } from './histogram-fit.js';

/**
 * The fit input of a Histogram1D: its edges and contents. Unweighted
 * histograms (Σw² = Σw in every bin) get Poisson errors from the fit's error
 * model; weighted ones supply √Σw² as errors.
 */
export function fitDataFromHistogram(h: Histogram1D): HistogramFitData {
  let weighted = false;
  for (let i = 0; i < h.nBins; i++) {
    if (h.sumw2[i] !== h.counts[i]) {
      weighted = true;
      break;
    }
  }
  return {
    binEdges: h.edges,
    counts: h.counts,
    errors: weighted ? h.sumw2.map(Math.sqrt) : undefined,
  };
}
