/**
 * Timing parameters as ctapipe 0.26 `timing_parameters`: the peak times of
 * the cleaned pixels are fitted against their longitudinal coordinate along
 * the Hillas major axis with ctapipe's least-trimmed-squares line fit
 * (5 starts, 85 % of the pixels):
 *     slope (ns/m in the camera frame, ns/deg in the telescope frame),
 *     intercept (ns, at the centroid),
 *     deviation = RMS of (longi * slope + intercept - peak_time) over all cleaned pixels.
 * Negative charges are refused as in ctapipe.
 */
import { createLtsWorkspace, ltsLinearRegression, type LtsOptions, type LtsResult, type LtsWorkspace } from './lts-linear-regression.js';
import type { HillasParameters } from '../containers/image-parameters.js';
import type { TimingParameters } from '../containers/image-parameters.js';

/** ctapipe's timing_parameters call: lts_linear_regression(..., samples=5) with its defaults. */
export const TIMING_LTS_OPTIONS: LtsOptions = { samples: 5, relativeSampleSize: 0.85, maxIterations: 20, eps: 1e-12 };

export interface TimingWorkspace {
  longi: Float64Array;
  time: Float64Array;
  lts: LtsWorkspace;
  result: LtsResult;
}

export function createTimingWorkspace(capacity: number): TimingWorkspace {
  return {
    longi: new Float64Array(capacity),
    time: new Float64Array(capacity),
    lts: createLtsWorkspace(capacity),
    result: { slope: NaN, intercept: NaN, error: NaN },
  };
}

/**
 * @param pixX, pixY positions of the n selected pixels (frame of `hillas`)
 * @param image charges of the selected pixels (p.e.)
 * @param peakTime peak times of the selected pixels (ns, float32 values)
 * @throws Error when a charge is negative; LtsSampleError for fewer than 2 pixels
 */
export function timingParameters(
  pixX: Float64Array,
  pixY: Float64Array,
  image: ArrayLike<number>,
  peakTime: ArrayLike<number>,
  n: number,
  hillas: HillasParameters,
  workspace: TimingWorkspace = createTimingWorkspace(n),
  out: TimingParameters = { slope: NaN, intercept: NaN, deviation: NaN },
): TimingParameters {
  if (workspace.longi.length < n) {
    workspace.longi = new Float64Array(n);
    workspace.time = new Float64Array(n);
  }
  const { longi, time } = workspace;
  const cosPsi = Math.cos(hillas.psiRad);
  const sinPsi = Math.sin(hillas.psiRad);
  let negative = false;
  for (let i = 0; i < n; i++) {
    if (image[i] < 0) negative = true;
    longi[i] = (pixX[i] - hillas.x) * cosPsi + (pixY[i] - hillas.y) * sinPsi;
    time[i] = peakTime[i];
  }
  if (negative) throw new Error('The non-masked pixels must verify signal >= 0');
  const fit = ltsLinearRegression(longi, time, n, TIMING_LTS_OPTIONS, workspace.lts, workspace.result);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = longi[i] * fit.slope + fit.intercept - time[i];
    s += r * r;
  }
  out.slope = fit.slope;
  out.intercept = fit.intercept;
  out.deviation = Math.sqrt(s / n);
  return out;
}
