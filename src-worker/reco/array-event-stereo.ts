/**
 * HillasReconstructor over a whole file's telescope tables: groups the
 * per-telescope parameter rows (telescope frame, deg) by array event, runs
 * `reconstructHillasGeometry` per event, and gives back per event the
 * geometry and per telescope row ctapipe's core ψ and the impact distance —
 * what ctapipe-process writes to /dl2/event/subarray/geometry, the
 * parameters' core_psi and /dl2/event/telescope/impact.
 */
import type { Vec3 } from './coordinate-frames.js';
import { reconstructHillasGeometry, type ReconstructedGeometry, type StereoTelescopeEvent } from './hillas-reconstructor.js';
import { showerImpactDistance } from './impact-distance.js';
import type { StereoQualityCriterion } from './stereo-quality-query.js';
import type { QualityCounts } from '../selection/quality-query.js';

/** The parameter columns of one telescope's rows, column-wise. */
export interface TelescopeRows {
  telId: number;
  /** GroundFrame, m */
  position: Vec3;
  /** deg */
  pointingAlt: number;
  pointingAz: number;
  /** deg (camera radius converted with the effective focal length) */
  camRadiusDeg: number;
  n: number;
  /** array event index of each row (-1: not in the event list) */
  eventIndex: Int32Array;
  intensity: Float64Array;
  fovLon: Float64Array;
  fovLat: Float64Array;
  length: Float64Array;
  width: Float64Array;
  psi: Float64Array;
  nPixels: Float64Array;
  leakageIntensityWidth2: Float64Array;
  /** any other parameter column of a row by ctapipe's column name, for quality criteria on it */
  column?: (name: string, row: number) => number;
}

export interface ArrayStereoInput {
  nEvents: number;
  /** telescopes in ascending tel_id order */
  telescopes: TelescopeRows[];
  arrayPointingAlt: number;
  arrayPointingAz: number;
  observationLevel: number;
  qualityCriteria?: readonly StereoQualityCriterion[];
  /** filled with ctapipe's StereoQualityQuery counts (TOTAL, then per criterion) */
  qualityCounts?: QualityCounts;
}

export interface ArrayStereoResult {
  geometry: ReconstructedGeometry[];
  /** per telescope (input order), per row: core ψ in deg (NaN when not used) */
  corePsi: Float64Array[];
  /** per telescope, per row: impact distance, m (NaN for invalid events) */
  impactDistance: Float64Array[];
}

export function reconstructArrayEvents(input: ArrayStereoInput, onEvent?: (done: number) => void): ArrayStereoResult {
  const { nEvents, telescopes } = input;
  // rows of each event: (telescope index, row), telescopes ascending
  const count = new Int32Array(nEvents + 1);
  for (const t of telescopes) for (let r = 0; r < t.n; r++) if (t.eventIndex[r] >= 0) count[t.eventIndex[r] + 1]++;
  for (let e = 0; e < nEvents; e++) count[e + 1] += count[e];
  const fill = count.slice(0, nEvents);
  const telOf = new Int32Array(count[nEvents]);
  const rowOf = new Int32Array(count[nEvents]);
  telescopes.forEach((t, ti) => {
    for (let r = 0; r < t.n; r++) {
      const e = t.eventIndex[r];
      if (e < 0) continue;
      telOf[fill[e]] = ti;
      rowOf[fill[e]++] = r;
    }
  });
  const corePsi = telescopes.map((t) => new Float64Array(t.n).fill(NaN));
  const impactDistance = telescopes.map((t) => new Float64Array(t.n).fill(NaN));
  const geometry: ReconstructedGeometry[] = new Array(nEvents);
  for (let e = 0; e < nEvents; e++) {
    const events: StereoTelescopeEvent[] = [];
    for (let k = count[e]; k < count[e + 1]; k++) {
      const t = telescopes[telOf[k]];
      const r = rowOf[k];
      events.push({
        telId: t.telId,
        position: t.position,
        pointingAlt: t.pointingAlt,
        pointingAz: t.pointingAz,
        camRadiusDeg: t.camRadiusDeg,
        hillas: { intensity: t.intensity[r], fovLon: t.fovLon[r], fovLat: t.fovLat[r], length: t.length[r], width: t.width[r], psi: t.psi[r] },
        quality: {
          nPixels: t.nPixels[r],
          leakageIntensityWidth2: t.leakageIntensityWidth2[r],
          column: t.column ? (name: string) => t.column!(name, r) : undefined,
        },
      });
    }
    const g = reconstructHillasGeometry(
      { telescopes: events, arrayPointingAlt: input.arrayPointingAlt, arrayPointingAz: input.arrayPointingAz, observationLevel: input.observationLevel },
      { qualityCriteria: input.qualityCriteria, qualityCounts: input.qualityCounts },
    );
    geometry[e] = g;
    for (let k = count[e]; k < count[e + 1]; k++) {
      const ti = telOf[k];
      const r = rowOf[k];
      const t = telescopes[ti];
      impactDistance[ti][r] = showerImpactDistance(g.coreX, g.coreY, g.alt, g.az, [t.position])[0];
      const u = g.telIds.indexOf(t.telId);
      if (u >= 0) corePsi[ti][r] = g.corePsi[u];
    }
    onEvent?.(e + 1);
  }
  return { geometry, corePsi, impactDistance };
}
