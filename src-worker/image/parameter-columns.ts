/**
 * Image parameters packed into a Float64Array row per image, in the column
 * order of ctapipe's ImageParametersContainer (`imageParameterColumns`), so a
 * batch of results travels between threads as one transferable array.
 * Integers (morphology) are exact in float64; NaN stays NaN.
 */
import { imageParameterColumns } from './image-parameters.js';
import type { ParameterFrame } from '../containers/image-parameters.js';
import type { DescriptiveStatistics } from '../containers/image-parameters.js';
import type { ImageParameters } from '../containers/image-parameters.js';

/** Number of packed columns (same in both frames: only the names of x, y differ). */
export const N_PARAMETER_COLUMNS = imageParameterColumns('CameraFrame').length;

/** Column names of the packed rows in `frame`. */
export function packedParameterColumns(frame: ParameterFrame): string[] {
  return imageParameterColumns(frame);
}

function packStatistics(s: DescriptiveStatistics, out: Float64Array, o: number): number {
  out[o++] = s.max;
  out[o++] = s.min;
  out[o++] = s.mean;
  out[o++] = s.std;
  out[o++] = s.skewness;
  out[o++] = s.kurtosis;
  return o;
}

/** Writes `p` into out[offset .. offset + N_PARAMETER_COLUMNS). */
export function packImageParameters(p: ImageParameters, out: Float64Array, offset: number): void {
  const h = p.hillas;
  let o = offset;
  out[o++] = h.intensity;
  out[o++] = h.x;
  out[o++] = h.y;
  out[o++] = h.r;
  out[o++] = h.phi;
  out[o++] = h.length;
  out[o++] = h.lengthUncertainty;
  out[o++] = h.width;
  out[o++] = h.widthUncertainty;
  out[o++] = h.psi;
  out[o++] = h.psiUncertainty;
  out[o++] = h.skewness;
  out[o++] = h.kurtosis;
  out[o++] = h.transverseCogUncertainty;
  out[o++] = p.timing.slope;
  out[o++] = p.timing.intercept;
  out[o++] = p.timing.deviation;
  out[o++] = p.leakage.pixelsWidth1;
  out[o++] = p.leakage.pixelsWidth2;
  out[o++] = p.leakage.intensityWidth1;
  out[o++] = p.leakage.intensityWidth2;
  out[o++] = p.concentration.cog;
  out[o++] = p.concentration.core;
  out[o++] = p.concentration.pixel;
  const m = p.morphology;
  out[o++] = m.nPixels;
  out[o++] = m.nIslands;
  out[o++] = m.nSmallIslands;
  out[o++] = m.nMediumIslands;
  out[o++] = m.nLargeIslands;
  o = packStatistics(p.intensityStatistics, out, o);
  o = packStatistics(p.peakTimeStatistics, out, o);
  if (o - offset !== N_PARAMETER_COLUMNS) throw new Error(`packed ${o - offset} parameter columns, expected ${N_PARAMETER_COLUMNS}`);
}

/** Writes ctapipe's default ImageParametersContainer (NaN, morphology -1) into out[offset .. offset + N_PARAMETER_COLUMNS). */
export function packDefaultImageParameters(out: Float64Array, offset: number): void {
  out.fill(NaN, offset, offset + N_PARAMETER_COLUMNS);
  const m0 = imageParameterColumns('CameraFrame').indexOf('morphology_n_pixels');
  out.fill(-1, offset + m0, offset + m0 + 5);
}
