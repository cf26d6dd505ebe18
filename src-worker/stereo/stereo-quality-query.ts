/**
 * ctapipe's StereoQualityQuery: which telescope events enter the stereo
 * reconstruction. A telescope is used when every criterion is true; a NaN
 * parameter fails its comparison, as in ctapipe's Python expressions.
 */

/** The DL1 parameters the stereo quality criteria look at (telescope frame, deg). */
export interface StereoQualityParameters {
  /** hillas_intensity, p.e. */
  intensity: number;
  /** hillas_width, deg (or m in the camera frame) */
  width: number;
  /** morphology_n_pixels */
  nPixels: number;
  /** leakage_intensity_width_2, fraction */
  leakageIntensityWidth2: number;
}

export interface StereoQualityCriterion {
  /** ctapipe's criterion name */
  name: string;
  /** ctapipe's expression, for display and provenance */
  expression: string;
  test: (p: StereoQualityParameters) => boolean;
}

const enoughIntensity: StereoQualityCriterion = {
  name: 'enough intensity',
  expression: 'parameters.hillas.intensity > 50',
  test: (p) => p.intensity > 50,
};
const positiveWidth: StereoQualityCriterion = {
  name: 'Positive width',
  expression: 'parameters.hillas.width.value > 0',
  test: (p) => p.width > 0,
};
const enoughPixels: StereoQualityCriterion = {
  name: 'enough pixels',
  expression: 'parameters.morphology.n_pixels > 3',
  test: (p) => p.nPixels > 3,
};
const notClipped: StereoQualityCriterion = {
  name: 'not clipped',
  expression: 'parameters.leakage.intensity_width_2 < 0.5',
  test: (p) => p.leakageIntensityWidth2 < 0.5,
};

/** Defaults of ctapipe.reco.reconstructor.StereoQualityQuery (0.26). */
export const CTAPIPE_DEFAULT_STEREO_QUALITY_CRITERIA: readonly StereoQualityCriterion[] = [
  enoughIntensity,
  positiveWidth,
  enoughPixels,
];

/**
 * The criteria of ctapipe-process's base_config.yaml
 * (ShowerProcessor.HillasReconstructor.StereoQualityQuery), which the sample
 * DL1 files record in /dl2/service/tel_event_statistics/HillasReconstructor.
 */
export const CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA: readonly StereoQualityCriterion[] = [
  enoughIntensity,
  positiveWidth,
  enoughPixels,
  notClipped,
];

export function passesStereoQuality(
  p: StereoQualityParameters,
  criteria: readonly StereoQualityCriterion[] = CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA,
): boolean {
  for (const c of criteria) if (!c.test(p)) return false;
  return true;
}
