/**
 * Parity check of Lightpool's cleaning and image parameters against ctapipe
 * reference values (format of test/fixtures/samples/ctapipe_refvalues_sample.jsonl.gz).
 *
 * For every image and cleaning setting it recomputes the tailcuts mask and
 * the parameters in the camera and telescope frames and compares:
 * - masks: identical pixel lists;
 * - status: identical ("ok" or ctapipe's error message, e.g. for empty masks);
 * - Hillas, leakage, concentration, morphology: |Δ| <= 1e-6·|ref| or |Δ| <= 1e-9;
 * - timing: |Δ| <= 1e-5·max(1, |ref|) (relative, absolute below |ref| = 1);
 * - intensity_ / peak_time_ statistics (float32 in ctapipe): |Δ| <= 1e-6·|ref| or |Δ| <= 1e-9;
 * - NaN (null) must be NaN on both sides.
 * A parameter set (one image × one setting, both frames) agrees when every
 * column of both frames does. Neighbour lists of every camera are compared too.
 *
 * One case is ill-posed in ctapipe itself and is recognised, not hidden: with
 * exactly 3 cleaned pixels the least-trimmed-squares fit keeps 2 points, so
 * every pair of pixels is an exact fit (residual sum of squares 0 in exact
 * arithmetic) and ctapipe returns whichever of them has the smallest
 * floating-point rounding residue (~1e-29), which depends on its BLAS and
 * SIMD math library (it even differs between its own camera and telescope
 * frame for the same pixels). Such a timing result counts as agreeing when
 * ctapipe's slope, intercept and deviation equal (within the timing
 * tolerance) those of one of the three exact pair fits; these cases are
 * counted and listed separately in the report.
 *
 * With exactly 2 cleaned pixels the trimmed sample holds 1 point, so every
 * C-step "fits" a line through a single point: the normal matrix is
 * singular, and ctapipe's result is NaN or whatever LAPACK's LU of that
 * singular matrix rounds to (for two pixels far apart its determinant's
 * rounding noise can exceed ctapipe's EPS, and the "inverse" gives arbitrary
 * numbers). Such a timing result is not a measurement; it is accepted,
 * counted and listed in the same way, and nothing else of the row is.
 */
import type { CameraGeometry } from '../../src-worker/containers/camera-geometry.js';
import { computePixelNeighbors, neighborsToLists, type PixelNeighbors } from '../../src-worker/instrument/neighbors.js';
import { createTailcutsWorkspace, tailcutsCleanInto } from '../../src-worker/image/tailcuts.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  emptyImageParameters,
  imageParametersRecord,
  STATUS_OK,
  prepareImageGeometry,
  type ImageGeometry,
} from '../../src-worker/image/image-parameters.js';
import { toFloat32Array, type RefParameters, type RefValues } from './ctapipe-refvalues.js';
import type { ParameterFrame } from '../../src-worker/containers/image-parameters.js';
import type { HillasParameters } from '../../src-worker/containers/image-parameters.js';

export interface Tolerance {
  rel: number;
  abs: number;
  /** 'either': |Δ| <= max(rel·|ref|, abs); 'scaled': |Δ| <= rel·max(1, |ref|) */
  kind: 'either' | 'scaled';
}

export const TOLERANCES: Record<string, Tolerance> = {
  hillas: { rel: 1e-6, abs: 1e-9, kind: 'either' },
  leakage: { rel: 1e-6, abs: 1e-9, kind: 'either' },
  concentration: { rel: 1e-6, abs: 1e-9, kind: 'either' },
  morphology: { rel: 1e-6, abs: 1e-9, kind: 'either' },
  timing: { rel: 1e-5, abs: 1e-5, kind: 'scaled' },
  intensity: { rel: 1e-6, abs: 1e-9, kind: 'either' },
  peak_time: { rel: 1e-6, abs: 1e-9, kind: 'either' },
};

/** Reference columns that are diagnostics of the reference generator, not ctapipe parameters. */
const IGNORED_COLUMNS = new Set(['timing_slope_rerun_spread']);

/** The column group ("hillas", "timing", "peak_time", ...) that sets a column's tolerance. */
export function columnGroup(column: string): string {
  for (const prefix of Object.keys(TOLERANCES)) if (column.startsWith(`${prefix}_`)) return prefix;
  throw new Error(`no tolerance defined for column ${column}`);
}

export function toleranceFor(column: string): Tolerance {
  return TOLERANCES[columnGroup(column)];
}

export function withinTolerance(ours: number, ref: number | null, tol: Tolerance): boolean {
  if (ref === null || Number.isNaN(ref)) return Number.isNaN(ours);
  if (Number.isNaN(ours)) return false;
  if (ours === ref) return true;
  const d = Math.abs(ours - ref);
  if (tol.kind === 'scaled') return d <= tol.rel * Math.max(1, Math.abs(ref));
  return d <= tol.abs || d <= tol.rel * Math.abs(ref);
}

export interface ParityMismatch {
  camera: string;
  globalIndex: number;
  setting: string;
  frame?: ParameterFrame;
  what: string;
  ours: string;
  ref: string;
}

export interface ParityGroup {
  camera: string;
  setting: string;
  images: number;
  masksIdentical: number;
  parametersAgree: number;
}

export interface ParityReport {
  neighbors: { identical: number; total: number };
  masks: { identical: number; total: number };
  parameters: { agree: number; total: number };
  /** parameter sets that agree only because the timing fit is the degenerate 3-pixel case (see module doc) */
  degenerateTiming: ParityMismatch[];
  groups: ParityGroup[];
  mismatches: ParityMismatch[];
  /** largest |Δ| / allowed per column group, over all compared values */
  worstRatio: Record<string, number>;
  summaryLine: string;
  allIdentical: boolean;
}

export interface ParityOptions {
  /** loads the CameraGeometry of a camera name (e.g. from assets/cameras) */
  loadGeometry: (name: string) => CameraGeometry;
  /** keep at most this many mismatch details (default 50) */
  maxMismatches?: number;
}

interface CameraSetup {
  neighbors: PixelNeighbors;
  frames: Record<ParameterFrame, ImageGeometry>;
}

/**
 * For a 3-pixel image: the pair of pixels whose exact line fit (slope,
 * intercept, and deviation over the 3 pixels) equals ctapipe's timing
 * result within the timing tolerance, or null.
 */
function matchingPairFit(geom: ImageGeometry, h: HillasParameters, sel: Int32Array, peakTime: Float32Array, ref: RefParameters): string | null {
  const g = geom.geometry;
  const cos = Math.cos(h.psiRad),
    sin = Math.sin(h.psiRad);
  const x = Array.from(sel, (i) => (g.pixX[i] - h.x) * cos + (g.pixY[i] - h.y) * sin);
  const t = Array.from(sel, (i) => peakTime[i]);
  const tol = TOLERANCES.timing;
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ]) {
    if (x[a] === x[b]) continue;
    const slope = (t[b] - t[a]) / (x[b] - x[a]);
    const intercept = t[a] - slope * x[a];
    const deviation = Math.sqrt(x.reduce((s, xi, k) => s + (xi * slope + intercept - t[k]) ** 2, 0) / 3);
    if (
      withinTolerance(slope, ref.timing_slope ?? null, tol) &&
      withinTolerance(intercept, ref.timing_intercept ?? null, tol) &&
      withinTolerance(deviation, ref.timing_deviation ?? null, tol)
    ) {
      return `${sel[a]} and ${sel[b]}`;
    }
  }
  return null;
}

export function runParity(ref: RefValues, options: ParityOptions): ParityReport {
  const maxMismatches = options.maxMismatches ?? 50;
  const mismatches: ParityMismatch[] = [];
  const addMismatch = (m: ParityMismatch) => {
    if (mismatches.length < maxMismatches) mismatches.push(m);
  };
  const worstRatio: Record<string, number> = {};

  // cameras: neighbours and per-frame geometry
  const setups = new Map<string, CameraSetup>();
  let nbIdentical = 0;
  for (const [name, cam] of ref.cameras) {
    const geometry = options.loadGeometry(name);
    if (geometry.nPixels !== cam.n_pixels) throw new Error(`camera ${name}: geometry has ${geometry.nPixels} pixels, reference ${cam.n_pixels}`);
    const neighbors = computePixelNeighbors(geometry.pixX, geometry.pixY, geometry.pixType);
    const lists = neighborsToLists(neighbors);
    let same = lists.length === cam.neighbors.length;
    for (let i = 0; same && i < lists.length; i++) {
      const a = lists[i],
        b = cam.neighbors[i];
      same = a.length === b.length && a.every((v, k) => v === b[k]);
    }
    if (same) nbIdentical++;
    else addMismatch({ camera: name, globalIndex: -1, setting: '-', what: 'neighbors', ours: 'differ', ref: 'ctapipe lists' });
    const focalLength = cam.focal_length_m_used_for_telescope_frame;
    setups.set(name, {
      neighbors,
      frames: {
        CameraFrame: prepareImageGeometry(geometry, { frame: 'CameraFrame', neighbors }),
        TelescopeFrame: prepareImageGeometry(geometry, { frame: 'TelescopeFrame', focalLength }),
      },
    });
  }

  const groups = new Map<string, ParityGroup>();
  let masksIdentical = 0,
    paramsAgree = 0;
  const degenerate: ParityMismatch[] = [];
  const params = emptyImageParameters();
  for (const r of ref.results) {
    const setup = setups.get(r.camera);
    if (!setup) throw new Error(`image ${r.global_index}: camera ${r.camera} has no "camera" record in the reference file`);
    const data = ref.imageData.get(r.global_index);
    if (!data) throw new Error(`image ${r.global_index}: no image_data record`);
    const key = `${r.camera}\u0000${r.setting}`;
    let group = groups.get(key);
    if (!group) {
      group = { camera: r.camera, setting: r.setting, images: 0, masksIdentical: 0, parametersAgree: 0 };
      groups.set(key, group);
    }
    group.images++;

    const n = setup.neighbors.nPixels;
    const image = toFloat32Array(data.image);
    const peakTime = toFloat32Array(data.peak_time);
    const ws = createTailcutsWorkspace(n);
    const mask = new Uint8Array(n);
    const nSel = tailcutsCleanInto(
      setup.neighbors,
      image,
      {
        pictureThresh: r.picture_thresh,
        boundaryThresh: r.boundary_thresh,
        keepIsolatedPixels: r.keep_isolated_pixels,
        minNumberPictureNeighbors: r.min_number_picture_neighbors,
      },
      mask,
      ws,
    );
    const sel = ws.selected.subarray(0, nSel);
    const maskSame = nSel === r.mask_pixel_indices.length && r.mask_pixel_indices.every((v, k) => v === sel[k]);
    if (maskSame) {
      masksIdentical++;
      group.masksIdentical++;
    } else {
      addMismatch({
        camera: r.camera,
        globalIndex: r.global_index,
        setting: r.setting,
        what: 'mask',
        ours: `${nSel} pixels`,
        ref: `${r.mask_pixel_indices.length} pixels`,
      });
    }

    // parameters are computed on ctapipe's mask, so a mask difference does not cascade
    const refSel = Int32Array.from(r.mask_pixel_indices);
    let agree = true;
    for (const frame of ['CameraFrame', 'TelescopeFrame'] as const) {
      const refParams: RefParameters = frame === 'CameraFrame' ? r.camera_frame : r.telescope_frame;
      const refStatus = frame === 'CameraFrame' ? r.camera_frame_status : r.telescope_frame_status;
      const wsp = createImageParametersWorkspace(n);
      computeImageParameters(setup.frames[frame], image, peakTime, refSel, refSel.length, wsp, params);
      if (params.status !== refStatus) {
        agree = false;
        addMismatch({ camera: r.camera, globalIndex: r.global_index, setting: r.setting, frame, what: 'status', ours: params.status, ref: refStatus });
      }
      const rec = imageParametersRecord(params, frame);
      const timingMismatches: ParityMismatch[] = [];
      for (const [column, refValue] of Object.entries(refParams)) {
        if (IGNORED_COLUMNS.has(column)) continue;
        const ours = rec[column];
        if (ours === undefined) {
          agree = false;
          addMismatch({ camera: r.camera, globalIndex: r.global_index, setting: r.setting, frame, what: column, ours: 'missing', ref: String(refValue) });
          continue;
        }
        const tol = toleranceFor(column);
        const ok = withinTolerance(ours, refValue, tol);
        if (refValue !== null && Number.isFinite(ours) && ok) {
          const d = Math.abs(ours - refValue);
          const allowed = tol.kind === 'scaled' ? tol.rel * Math.max(1, Math.abs(refValue)) : Math.max(tol.abs, tol.rel * Math.abs(refValue));
          const group = columnGroup(column);
          worstRatio[group] = Math.max(worstRatio[group] ?? 0, d / allowed);
        }
        if (!ok) {
          const m = { camera: r.camera, globalIndex: r.global_index, setting: r.setting, frame, what: column, ours: String(ours), ref: String(refValue) };
          if (column.startsWith('timing_')) {
            timingMismatches.push(m);
          } else {
            agree = false;
            addMismatch(m);
          }
        }
      }
      if (timingMismatches.length > 0) {
        const pair =
          refSel.length === 3 && params.status === STATUS_OK ? matchingPairFit(setup.frames[frame], params.hillas, refSel, peakTime, refParams) : null;
        if (pair) {
          degenerate.push({
            ...timingMismatches[0],
            what: 'timing',
            ours: `slope ${params.timing.slope}`,
            ref: `slope ${refParams.timing_slope} = exact fit through pixels ${pair}`,
          });
        } else if (refSel.length === 2 && params.status === STATUS_OK) {
          degenerate.push({
            ...timingMismatches[0],
            what: 'timing',
            ours: `slope ${params.timing.slope}`,
            ref: `slope ${refParams.timing_slope}: 2 pixels, a line fitted through 1 point (singular)`,
          });
        } else {
          agree = false;
          for (const m of timingMismatches) addMismatch(m);
        }
      }
    }
    if (agree) {
      paramsAgree++;
      group.parametersAgree++;
    }
  }

  const total = ref.results.length;
  const summaryLine = `parity: masks ${masksIdentical}/${total} identical, parameters ${paramsAgree}/${total} within tolerance`;
  return {
    neighbors: { identical: nbIdentical, total: ref.cameras.size },
    masks: { identical: masksIdentical, total },
    parameters: { agree: paramsAgree, total },
    degenerateTiming: degenerate,
    groups: [...groups.values()],
    mismatches,
    worstRatio,
    summaryLine,
    allIdentical: masksIdentical === total && paramsAgree === total && nbIdentical === ref.cameras.size && total > 0,
  };
}

/** Human-readable report lines; the last one is the summary line. */
export function formatParityReport(report: ParityReport): string[] {
  const lines: string[] = [];
  lines.push(`neighbours: ${report.neighbors.identical}/${report.neighbors.total} cameras identical to ctapipe`);
  const wCam = Math.max(6, ...report.groups.map((g) => g.camera.length));
  const wSet = Math.max(7, ...report.groups.map((g) => g.setting.length));
  lines.push(`${'camera'.padEnd(wCam)}  ${'setting'.padEnd(wSet)}  masks identical  parameters within tolerance`);
  for (const g of report.groups) {
    lines.push(
      `${g.camera.padEnd(wCam)}  ${g.setting.padEnd(wSet)}  ${`${g.masksIdentical}/${g.images}`.padStart(15)}  ${`${g.parametersAgree}/${g.images}`.padStart(27)}`,
    );
  }
  lines.push(
    'tolerances: masks identical; hillas/leakage/concentration/morphology and intensity_/peak_time_ statistics 1e-6 relative or 1e-9 absolute; timing 1e-5 relative (absolute below |ref| = 1); NaN must match NaN; status must match',
  );
  const worst = Object.entries(report.worstRatio)
    .map(([k, v]) => `${k} ${v.toExponential(1)}`)
    .join(', ');
  lines.push(`largest deviation as a fraction of its tolerance: ${worst}`);
  if (report.degenerateTiming.length > 0) {
    lines.push(
      `degenerate timing fits: ${report.degenerateTiming.length} (3 cleaned pixels: every pair is an exact LTS fit, ctapipe's pick, decided by ~1e-29 rounding residue, is one of them; 2 cleaned pixels: the LTS fits lines through single points, ctapipe's result is LAPACK rounding of a singular matrix; accepted as agreeing):`,
    );
    for (const m of report.degenerateTiming) {
      lines.push(`  ${m.camera} image ${m.globalIndex} ${m.setting} ${m.frame}: ours ${m.ours}, ctapipe ${m.ref}`);
    }
  }
  for (const m of report.mismatches) {
    lines.push(`MISMATCH ${m.camera} image ${m.globalIndex} ${m.setting}${m.frame ? ` ${m.frame}` : ''} ${m.what}: ours ${m.ours}, ctapipe ${m.ref}`);
  }
  lines.push(report.summaryLine);
  return lines;
}
