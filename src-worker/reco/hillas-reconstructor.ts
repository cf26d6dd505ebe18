/**
 * Stereo shower geometry from Hillas parameters, as ctapipe 0.26's
 * `ctapipe.reco.HillasReconstructor` computes it (telescope-frame Hillas
 * parameters, i.e. what ctapipe-process writes to
 * /dl1/event/telescope/parameters):
 *
 * 1. Telescope selection: the telescope events passing the StereoQualityQuery
 *    (see stereo-quality-query.ts); fewer than 2, or a width that is NaN or 0,
 *    make the event invalid.
 * 2. Per telescope, two points on the image axis in the telescope frame: the
 *    cog (fov_lon, fov_lat) and cog + 0.1·R·(cos ψ, sin ψ), with R the camera
 *    radius in deg (`guess_radius` converted with the camera frame's focal
 *    length). Both go to alt/az with the telescope's pointing, then to
 *    right-handed ground-aligned unit vectors c_i, p_i. The shower plane's
 *    normal is n_i = c_i × p_i.
 * 3. Direction: for every pair i < j the crossing n_i × n_j (flipped to point
 *    up), averaged with weights w_i·w_j, where w = intensity · length / width,
 *    then normalised. alt = its latitude, az = −longitude wrapped to
 *    [0°, 360°). The direction uncertainty (alt_uncert = az_uncert) is the mean
 *    angle between the average and the crossings.
 * 4. Core: both axis points go to a pseudo camera frame of the *array*
 *    pointing, where the corrected ψ' = atan(Δy/Δx) (x ∝ fov_lat,
 *    y ∝ fov_lon). In the TiltedGroundFrame of the array pointing the lines
 *    through each telescope along (cos ψ', sin ψ', 0) are intersected in the
 *    least-squares sense, giving core_tilted_{x,y}; `project_to_ground` gives
 *    core_{x,y}.
 * 5. h_max: least-squares intersection of the lines from each telescope's
 *    ground position along c_i; its z plus the observation level (the
 *    geodetic height of the subarray reference location).
 *
 * Inputs and outputs are in ctapipe's units: deg, m, p.e.
 */
import {
  DEG,
  type Vec3,
  altAzCartesianToRightHanded,
  altAzCartesianToTelescope,
  cross,
  dot,
  groundToTilted,
  norm,
  projectTiltedToGround,
  telescopeToAltAzCartesian,
} from './coordinate-frames.js';
import { lineLineIntersection3d } from './line-intersection.js';
import {
  CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA,
  type StereoQualityCriterion,
  type StereoQualityParameters,
  passesStereoQuality,
} from './stereo-quality-query.js';
import type { QualityCounts } from '../selection/quality-query.js';
import type { TelescopeFrameHillas } from '../containers/hillas.js';

/** Hillas parameters in the telescope frame (ctapipe HillasParametersContainer). */
export interface StereoTelescopeEvent {
  telId: number;
  /** telescope position in the GroundFrame (x north, y west, z up), m */
  position: Vec3;
  /** telescope pointing altitude, deg */
  pointingAlt: number;
  /** telescope pointing azimuth, deg (north → east) */
  pointingAz: number;
  hillas: TelescopeFrameHillas;
  /**
   * camera radius in the telescope frame, deg (see camera-radius.ts:
   * cameraRadiusDeg(guessCameraRadius(...), focal length of the camera frame))
   */
  camRadiusDeg: number;
  /**
   * the parameters the quality query tests; when omitted only the Hillas
   * intensity and width are known, and criteria on the others fail
   */
  quality?: Partial<StereoQualityParameters>;
}

export interface HillasReconstructorInput {
  /** every telescope event of the array event, in ascending tel_id order */
  telescopes: readonly StereoTelescopeEvent[];
  /** array pointing altitude, deg */
  arrayPointingAlt: number;
  /** array pointing azimuth, deg */
  arrayPointingAz: number;
  /** geodetic height of the subarray reference location, m (added to h_max) */
  observationLevel: number;
}

export interface HillasReconstructorOptions {
  /** telescope selection; default: ctapipe-process base_config criteria */
  qualityCriteria?: readonly StereoQualityCriterion[];
  /** counts the selection as ctapipe's StereoQualityQuery does (every telescope event evaluated) */
  qualityCounts?: QualityCounts;
}

export type InvalidReason = 'too few telescopes' | 'invalid width';

export interface ReconstructedGeometry {
  isValid: boolean;
  /** why the event could not be reconstructed (only when !isValid) */
  invalidReason?: InvalidReason;
  /** deg */
  alt: number;
  /** deg, [0, 360) */
  az: number;
  /** deg (ctapipe sets alt_uncert = az_uncert = mean angle to the pairwise crossings) */
  altUncert: number;
  azUncert: number;
  /** GroundFrame, m */
  coreX: number;
  coreY: number;
  /** TiltedGroundFrame of the array pointing, m */
  coreTiltedX: number;
  coreTiltedY: number;
  /** height of the shower maximum above sea level, m */
  hMax: number;
  /** telescopes used, in input order */
  telIds: number[];
  /** mean Hillas intensity of the telescopes used, p.e. */
  averageIntensity: number;
  /** ctapipe's core-corrected ψ of each used telescope (parameters.core.psi), deg */
  corePsi: Float64Array;
}

function invalid(reason: InvalidReason): ReconstructedGeometry {
  return {
    isValid: false,
    invalidReason: reason,
    alt: NaN,
    az: NaN,
    altUncert: NaN,
    azUncert: NaN,
    coreX: NaN,
    coreY: NaN,
    coreTiltedX: NaN,
    coreTiltedY: NaN,
    hMax: NaN,
    telIds: [],
    averageIntensity: NaN,
    corePsi: new Float64Array(0),
  };
}

function qualityOf(t: StereoTelescopeEvent): StereoQualityParameters {
  return {
    intensity: t.quality?.intensity ?? t.hillas.intensity,
    width: t.quality?.width ?? t.hillas.width,
    nPixels: t.quality?.nPixels ?? NaN,
    leakageIntensityWidth2: t.quality?.leakageIntensityWidth2 ?? NaN,
    column: t.quality?.column,
  };
}

/** The telescopes ctapipe's HillasReconstructor would use (before its width checks). */
export function selectStereoTelescopes(
  telescopes: readonly StereoTelescopeEvent[],
  criteria: readonly StereoQualityCriterion[] = CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA,
  counts?: QualityCounts,
): StereoTelescopeEvent[] {
  return telescopes.filter((t) => passesStereoQuality(qualityOf(t), criteria, counts));
}

export function reconstructHillasGeometry(input: HillasReconstructorInput, options: HillasReconstructorOptions = {}): ReconstructedGeometry {
  const used = selectStereoTelescopes(input.telescopes, options.qualityCriteria, options.qualityCounts);
  if (used.length < 2) return invalid('too few telescopes');
  for (const t of used) {
    if (Number.isNaN(t.hillas.width) || t.hillas.width === 0) return invalid('invalid width');
  }

  const n = used.length;
  const arrayAlt = input.arrayPointingAlt * DEG;
  const arrayAz = input.arrayPointingAz * DEG;

  const cogDir: Vec3[] = new Array(n);
  const normals: Vec3[] = new Array(n);
  const weights = new Float64Array(n);
  const corePsi = new Float64Array(n);
  const positions: Vec3[] = new Array(n);
  const tiltedPositions: Vec3[] = new Array(n);
  const coreLineDirs: Vec3[] = new Array(n);
  let intensitySum = 0;

  for (let i = 0; i < n; i++) {
    const t = used[i];
    const h = t.hillas;
    const alt = t.pointingAlt * DEG;
    const az = t.pointingAz * DEG;
    const psi = h.psi * DEG;
    const step = 0.1 * t.camRadiusDeg;
    const p2Lon = h.fovLon + step * Math.cos(psi);
    const p2Lat = h.fovLat + step * Math.sin(psi);

    const cogAltAz = telescopeToAltAzCartesian(h.fovLon * DEG, h.fovLat * DEG, alt, az);
    const p2AltAz = telescopeToAltAzCartesian(p2Lon * DEG, p2Lat * DEG, alt, az);
    const c = altAzCartesianToRightHanded(cogAltAz);
    const p = altAzCartesianToRightHanded(p2AltAz);
    cogDir[i] = c;
    normals[i] = cross(c, p);
    weights[i] = (h.intensity * h.length) / h.width;
    intensitySum += h.intensity;

    // ψ in a camera frame pointing like the array: x ∝ fov_lat, y ∝ fov_lon
    const [cogLon, cogLat] = altAzCartesianToTelescope(cogAltAz, arrayAlt, arrayAz);
    const [p2LonA, p2LatA] = altAzCartesianToTelescope(p2AltAz, arrayAlt, arrayAz);
    const cpsi = Math.atan((cogLon - p2LonA) / (cogLat - p2LatA));
    corePsi[i] = cpsi / DEG;

    positions[i] = t.position;
    tiltedPositions[i] = groundToTilted(t.position, arrayAlt, arrayAz);
    coreLineDirs[i] = [Math.cos(cpsi), Math.sin(cpsi), 0];
  }

  // direction: weighted mean of the pairwise plane crossings
  const crossings: Vec3[] = [];
  let sx = 0,
    sy = 0,
    sz = 0,
    sw = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const k = cross(normals[a], normals[b]);
      if (k[2] < 0) {
        k[0] = -k[0];
        k[1] = -k[1];
        k[2] = -k[2];
      }
      crossings.push(k);
      const w = weights[a] * weights[b];
      sx += w * k[0];
      sy += w * k[1];
      sz += w * k[2];
      sw += w;
    }
  }
  const mean: Vec3 = [sx / sw, sy / sw, sz / sw];
  const len = norm(mean);
  const dir: Vec3 = [mean[0] / len, mean[1] / len, mean[2] / len];

  let offSum = 0;
  for (const k of crossings) {
    const cosang = dot(dir, k) / (norm(dir) * norm(k));
    offSum += Math.acos(Math.min(1, Math.max(-1, cosang)));
  }
  const dirUncert = offSum / crossings.length / DEG;

  const alt = Math.atan2(dir[2], Math.hypot(dir[0], dir[1])) / DEG;
  let az = -Math.atan2(dir[1], dir[0]) / DEG;
  az = ((az % 360) + 360) % 360;

  const coreTilted = lineLineIntersection3d(coreLineDirs, tiltedPositions);
  const [coreX, coreY] = projectTiltedToGround([coreTilted[0], coreTilted[1], 0], arrayAlt, arrayAz);

  const showerMax = lineLineIntersection3d(cogDir, positions);

  return {
    isValid: true,
    alt,
    az,
    altUncert: dirUncert,
    azUncert: dirUncert,
    coreX,
    coreY,
    coreTiltedX: coreTilted[0],
    coreTiltedY: coreTilted[1],
    hMax: showerMax[2] + input.observationLevel,
    telIds: used.map((t) => t.telId),
    averageIntensity: intensitySum / n,
    corePsi,
  };
}
