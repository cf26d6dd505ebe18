/**
 * ctapipe 0.26's integration correction (`ctapipe.image.extractor.integration_correction`):
 * per gain channel, 1 / (the fraction of the reference pulse that a window of
 * `windowWidth` samples, starting `windowShift` samples before the pulse
 * maximum, integrates), so that a noise-free unit pulse extracts 1.
 *
 * The reference pulse (sampled every `referencePulseSampleWidthNs`) is
 * rebinned to the waveform sampling with numpy's weighted, normalised
 * histogram: sample positions x_i = i × ref_width, bin edges
 * 0, w, 2w, ... below size × ref_width (np.arange, so the last partial bin is
 * dropped), bin contents from the cumulative sum of the weights at the edges
 * (np.histogram's path for explicit edges), divided by the bin width and by
 * their (pairwise) sum. The window is clipped to the rebinned pulse; an empty
 * window leaves the correction at 1.
 */
import { pairwiseSum64 } from '../numeric/numpy-pairwise-sum.js';

/** numpy.arange(0, stop, step).length for floats */
function arangeLength(stop: number, step: number): number {
  return Math.max(0, Math.ceil(stop / step));
}

/** The reference pulse of one gain rebinned to the waveform sampling: np.histogram(x, edges, weights, density=True)[0]. */
export function sampledReferencePulse(pulse: Float64Array, referencePulseSampleWidthNs: number, sampleWidthNs: number): Float64Array {
  const size = pulse.length;
  const pulseMax = size * referencePulseSampleWidthNs;
  const nX = arangeLength(pulseMax, referencePulseSampleWidthNs);
  if (nX !== size) {
    throw new RangeError(`integration correction: the reference pulse has ${size} samples but numpy.arange gives ${nX} positions (ctapipe fails here too)`);
  }
  const nEdges = arangeLength(pulseMax, sampleWidthNs);
  const nBins = nEdges - 1;
  if (nBins < 1) return new Float64Array(0);
  // cumulative weights: cw[k] = sum of the first k weights (positions are already sorted)
  const cw = new Float64Array(size + 1);
  for (let i = 0; i < size; i++) cw[i + 1] = cw[i] + pulse[i];
  // cum_n at each edge: weights of x < edge (searchsorted left), the last edge inclusive (right)
  const cum = new Float64Array(nEdges);
  let k = 0;
  for (let e = 0; e < nEdges; e++) {
    const edge = e * sampleWidthNs;
    if (e < nEdges - 1) while (k < size && k * referencePulseSampleWidthNs < edge) k++;
    else while (k < size && k * referencePulseSampleWidthNs <= edge) k++;
    cum[e] = 0 + cw[k];
  }
  const n = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) n[b] = cum[b + 1] - cum[b];
  const total = pairwiseSum64(n, nBins);
  const out = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) {
    const db = (b + 1) * sampleWidthNs - b * sampleWidthNs;
    out[b] = n[b] / db / total;
  }
  return out;
}

/**
 * The correction per gain channel. `referencePulseShape` is `(nGains, nRef)`
 * row-major (sim_telarray's ref_shape as float64).
 */
export function integrationCorrection(
  referencePulseShape: Float64Array,
  nGains: number,
  referencePulseSampleWidthNs: number,
  sampleWidthNs: number,
  windowWidth: number,
  windowShift: number,
): Float64Array {
  if (!Number.isInteger(nGains) || nGains < 1 || referencePulseShape.length % nGains !== 0) {
    throw new RangeError(`integration correction: ${referencePulseShape.length} reference pulse samples do not split into ${nGains} gain channels`);
  }
  if (!(referencePulseSampleWidthNs > 0) || !(sampleWidthNs > 0)) {
    throw new RangeError(`integration correction: sample widths must be positive (reference ${referencePulseSampleWidthNs} ns, waveform ${sampleWidthNs} ns)`);
  }
  const nRef = referencePulseShape.length / nGains;
  const correction = new Float64Array(nGains).fill(1);
  for (let g = 0; g < nGains; g++) {
    const sampled = sampledReferencePulse(referencePulseShape.subarray(g * nRef, (g + 1) * nRef), referencePulseSampleWidthNs, sampleWidthNs);
    const n = sampled.length;
    if (n === 0) continue; // np.argmax of an empty array raises in ctapipe; no correction here
    let max = 0;
    for (let i = 1; i < n; i++) if (sampled[i] > sampled[max] || (sampled[i] !== sampled[i] && sampled[max] === sampled[max])) max = i;
    let start = max - windowShift;
    if (start < 0) start = 0;
    let end = start + windowWidth;
    if (end > n) end = n;
    if (start >= end) continue;
    const integration = new Float64Array(end - start);
    for (let i = start; i < end; i++) integration[i - start] = sampled[i] * sampleWidthNs;
    correction[g] = 1.0 / pairwiseSum64(integration, integration.length);
  }
  return correction;
}

/**
 * ImageExtractor._apply_correction for float32 charges `(nRows, nPixels)`:
 * each charge times its channel's correction (the selected gain's when
 * `selectedGainChannel` is given, else the row's), rounded to float32.
 */
export function applyIntegrationCorrection(
  charge: Float32Array,
  nRows: number,
  nPixels: number,
  correction: Float64Array,
  selectedGainChannel: Int8Array | null,
): void {
  for (let r = 0; r < nRows; r++) {
    for (let p = 0; p < nPixels; p++) {
      const g = selectedGainChannel ? selectedGainChannel[p] : r;
      if (g < 0 || g >= correction.length)
        throw new RangeError(`integration correction: pixel ${p} uses gain ${g}, corrections exist for ${correction.length}`);
      charge[r * nPixels + p] *= correction[g];
    }
  }
}
