/**
 * ctapipe's StereoQualityQuery: which telescope events enter the stereo
 * reconstruction. A telescope is used when every criterion is true; a NaN
 * parameter fails its comparison, as in ctapipe's Python expressions. The
 * criteria are ctapipe's `[name, expression]` pairs on `parameters`
 * (../quality/quality-expression.ts), so a ctapipe configuration's own
 * criteria apply unchanged.
 */
import { applyQualityQuery, compileCriteria, type QualityCounts, type QualityCriterion } from '../selection/quality-query.js';

/** The DL1 parameters the stereo quality criteria look at (telescope frame, deg). */
export interface StereoQualityParameters {
  /** hillas_intensity, p.e. */
  intensity: number;
  /** hillas_width, deg (or m in the camera frame) */
  width: number;
  /** morphology_n_pixels */
  nPixels: number;
  /** leakage_intensity_width_2, fraction (float32, as ctapipe's container keeps it) */
  leakageIntensityWidth2: number;
  /** any other parameter column by ctapipe's column name (NaN when not known) */
  column?: (name: string) => number;
}

export type StereoQualityCriterion = QualityCriterion;

/** Defaults of ctapipe.reco.reconstructor.StereoQualityQuery (0.26): what ctapipe-process applies without a config. */
export const CTAPIPE_DEFAULT_STEREO_QUALITY_CRITERIA: readonly StereoQualityCriterion[] = compileCriteria(
  [
    ['> 50 phe', 'parameters.hillas.intensity > 50'],
    ['Positive width', 'parameters.hillas.width.value > 0'],
    ['> 3 pixels', 'parameters.morphology.n_pixels > 3'],
  ],
  'parameters',
  'StereoQualityQuery',
);

/**
 * The criteria of ctapipe-process's base_config.yaml
 * (ShowerProcessor.HillasReconstructor.StereoQualityQuery), which the sample
 * DL1 files record in /dl2/service/tel_event_statistics/HillasReconstructor.
 */
export const CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA: readonly StereoQualityCriterion[] = compileCriteria(
  [
    ['enough intensity', 'parameters.hillas.intensity > 50'],
    ['Positive width', 'parameters.hillas.width.value > 0'],
    ['enough pixels', 'parameters.morphology.n_pixels > 3'],
    ['not clipped', 'parameters.leakage.intensity_width_2 < 0.5'],
  ],
  'parameters',
  'StereoQualityQuery',
);

function columnOf(p: StereoQualityParameters, name: string): number {
  switch (name) {
    case 'hillas_intensity':
      return p.intensity;
    case 'hillas_width':
      return p.width;
    case 'morphology_n_pixels':
      return p.nPixels;
    case 'leakage_intensity_width_2':
      return p.leakageIntensityWidth2;
    default:
      return p.column ? p.column(name) : NaN;
  }
}

export function passesStereoQuality(
  p: StereoQualityParameters,
  criteria: readonly StereoQualityCriterion[] = CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA,
  counts?: QualityCounts,
): boolean {
  return applyQualityQuery(criteria, { param: (c) => columnOf(p, c) }, counts);
}
