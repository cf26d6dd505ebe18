/**
 * The image parameters of one cleaned image, with ctapipe's meaning and
 * units (ctapipe.containers: HillasParametersContainer, TimingParametersContainer,
 * LeakageContainer, ConcentrationContainer, MorphologyContainer,
 * IntensityStatisticsContainer / PeakTimeStatisticsContainer,
 * ImageParametersContainer). Positions and lengths are in m in the camera
 * frame, in deg in the telescope frame.
 */

export type ParameterFrame = 'CameraFrame' | 'TelescopeFrame';

export interface HillasParameters {
  /** total charge, p.e. */
  intensity: number;
  /** centroid: camera frame x (m) or telescope frame fov_lon (deg) */
  x: number;
  /** centroid: camera frame y (m) or telescope frame fov_lat (deg) */
  y: number;
  /** centroid distance from the camera centre (m or deg) */
  r: number;
  /** centroid polar angle, deg */
  phi: number;
  length: number;
  lengthUncertainty: number;
  width: number;
  widthUncertainty: number;
  /** orientation of the major axis, deg, in (-90, 90] */
  psi: number;
  /** psi in rad, as used by the timing and concentration parameters */
  psiRad: number;
  /** deg */
  psiUncertainty: number;
  skewness: number;
  kurtosis: number;
  transverseCogUncertainty: number;
}

export interface TimingParameters {
  /** ns per m (camera frame) or ns per deg (telescope frame) */
  slope: number;
  /** ns */
  intercept: number;
  /** ns */
  deviation: number;
}

export interface LeakageParameters {
  pixelsWidth1: number;
  pixelsWidth2: number;
  intensityWidth1: number;
  intensityWidth2: number;
}

export interface ConcentrationParameters {
  cog: number;
  core: number;
  pixel: number;
}

export interface MorphologyParameters {
  nPixels: number;
  nIslands: number;
  nSmallIslands: number;
  nMediumIslands: number;
  nLargeIslands: number;
}

export interface DescriptiveStatistics {
  max: number;
  min: number;
  mean: number;
  std: number;
  skewness: number;
  kurtosis: number;
}

export interface ImageParameters {
  /** "ok" or the error ctapipe raised (see module doc) */
  status: string;
  hillas: HillasParameters;
  leakage: LeakageParameters;
  concentration: ConcentrationParameters;
  timing: TimingParameters;
  morphology: MorphologyParameters;
  intensityStatistics: DescriptiveStatistics;
  peakTimeStatistics: DescriptiveStatistics;
}
