/**
 * ctapipe's ImageQualityQuery: criteria on the cleaned pixels (`image[mask]`,
 * float32) that decide whether an image is parameterised. The criteria are
 * ctapipe's expressions, parsed once (../selection/quality-query.ts).
 */
import { applyQualityQuery, compileCriteria, type QualityCounts, type QualityCriterion } from '../selection/quality-query.js';

/** ctapipe's ImageQualityQuery default (what ctapipe-process applies without a config). */
export const CTAPIPE_DEFAULT_IMAGE_QUALITY: readonly QualityCriterion[] = compileCriteria(
  [['size_greater_0', 'image.sum() > 0']],
  'image',
  'ImageQualityQuery',
);

/** ctapipe-process's base_config.yaml ImageQualityQuery. */
export const CTAPIPE_PROCESS_IMAGE_QUALITY: readonly QualityCriterion[] = compileCriteria(
  [
    ['enough_pixels', 'np.count_nonzero(image) > 2'],
    ['enough_charge', 'image.sum() > 50'],
  ],
  'image',
  'ImageQualityQuery',
);

/** ctapipe's ImageQualityQuery on the cleaned pixels (`image[mask]`, float32), counted into `counts` when given. */
export function passesImageQuality(
  image: Float32Array,
  selected: Int32Array,
  n: number,
  scratch: Float32Array,
  criteria: readonly QualityCriterion[],
  counts?: QualityCounts,
): boolean {
  for (let k = 0; k < n; k++) scratch[k] = image[selected[k]];
  return applyQualityQuery(criteria, { image: scratch, n, scratch }, counts);
}
