/**
 * Descriptive statistics of a float32 sample (pixel intensities or peak
 * times of the cleaned pixels) as ctapipe 0.26 `descriptive_statistics`
 * computes them: max, min, mean and std (ddof 0) with numpy on the float32
 * array (float32 pairwise sums), skewness and kurtosis with ctapipe's numba
 * functions, i.e. scipy.stats' biased definitions
 *     skewness = mean(((x - mean) / std)³),  kurtosis = mean(((x - mean) / std)⁴) - 3
 * evaluated in float32 (sequential float32 accumulation), the kurtosis'
 * "- 3" in float64. A single value gives std 0 and NaN skewness/kurtosis.
 */
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';
import type { DescriptiveStatistics } from '../containers/image-parameters.js';

export function emptyDescriptiveStatistics(): DescriptiveStatistics {
  return { max: NaN, min: NaN, mean: NaN, std: NaN, skewness: NaN, kurtosis: NaN };
}

const f = Math.fround;

/**
 * @param values float32 sample, n values used
 * @param scratch float32 scratch of length >= n
 */
export function descriptiveStatistics(
  values: Float32Array,
  n: number,
  scratch: Float32Array = new Float32Array(n),
  out: DescriptiveStatistics = emptyDescriptiveStatistics(),
): DescriptiveStatistics {
  if (n === 0) throw new Error('zero-size array to reduction operation maximum which has no identity');
  let max = values[0],
    min = values[0];
  for (let i = 1; i < n; i++) {
    const v = values[i];
    if (v > max || v !== v) max = v;
    if (v < min || v !== v) min = v;
  }
  const mean = f(pairwiseSum32(values, n) / n);
  for (let i = 0; i < n; i++) {
    const d = f(values[i] - mean);
    scratch[i] = f(d * d);
  }
  const variance = f(pairwiseSum32(scratch, n) / n);
  const std = f(Math.sqrt(variance));

  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const z = f(f(values[i] - mean) / std);
    const z2 = f(z * z);
    s3 = f(s3 + f(z * z2));
    s4 = f(s4 + f(z2 * z2));
  }
  out.max = max;
  out.min = min;
  out.mean = mean;
  out.std = std;
  out.skewness = f(s3 / n);
  out.kurtosis = f(s4 / n) - 3.0;
  return out;
}
