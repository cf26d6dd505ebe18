/**
 * Least-trimmed-squares line fit y = b0 * x + b1 exactly as ctapipe 0.26
 * `ctapipe.fitting.lts_linear_regression` (numba) does it:
 *
 * - numba's `np.random.seed(0)` at the start of every call;
 * - for each of `samples` starts: two distinct points drawn with
 *   `np.random.choice(n, 2, replace=False)` (= first two entries of
 *   `np.random.permutation(n)`), a 2-point fit, then up to `maxIterations`
 *   C-steps: refit on the floor(relativeSampleSize * n) points with the
 *   smallest squared residuals until the residual sum of squares changes by
 *   less than `eps`;
 * - the start with the smallest residual sum of squares wins;
 * - a fit whose normal matrix has det(XᵀX) < 2·eps64 gives NaN (so a fit on
 *   fewer than 2 distinct x is NaN and a 2-pixel image has NaN timing);
 * - fewer than 2 points raise numpy's "Cannot take a larger sample than
 *   population when 'replace=False'" ValueError, as ctapipe does.
 *
 * 2×2 determinants and inverses follow LAPACK's LU (getrf: pivot on the
 * larger |a_i0|, multiply by the reciprocal pivot).
 */
import { MT19937 } from '../numeric/mt19937.js';

/** ctapipe.fitting.EPS = 2 * float64 eps */
const DET_EPS = 2 * 2 ** -52;

export class LtsSampleError extends Error {
  constructor() {
    super("Cannot take a larger sample than population when 'replace=False'");
    this.name = 'ValueError';
  }
}

export interface LtsOptions {
  samples: number;
  relativeSampleSize: number;
  maxIterations: number;
  eps: number;
}

export const LTS_DEFAULTS: LtsOptions = { samples: 20, relativeSampleSize: 0.85, maxIterations: 20, eps: 1e-12 };

export interface LtsResult {
  slope: number;
  intercept: number;
  /** residual sum of squares of the best fit (on its trimmed sample) */
  error: number;
}

export interface LtsWorkspace {
  perm: Int32Array;
  order: Int32Array;
  res2: Float64Array;
  rng: MT19937;
}

/** A generator right after `np.random.seed(0)`; copied instead of reseeding. */
const SEEDED_0 = new MT19937(0);

export function createLtsWorkspace(capacity: number): LtsWorkspace {
  return { perm: new Int32Array(capacity), order: new Int32Array(capacity), res2: new Float64Array(capacity), rng: new MT19937(0) };
}

function ensureCapacity(ws: LtsWorkspace, n: number): LtsWorkspace {
  if (ws.perm.length >= n) return ws;
  const c = Math.max(n, ws.perm.length * 2);
  ws.perm = new Int32Array(c);
  ws.order = new Int32Array(c);
  ws.res2 = new Float64Array(c);
  return ws;
}

// result of the last fit() call (avoids allocating)
let fitB0 = NaN;
let fitB1 = NaN;

/** Linear regression on the points idx[0..m): ctapipe.fitting.linear_regression. */
function fit(x: Float64Array, y: Float64Array, idx: Int32Array, m: number): void {
  // mat = XᵀX
  let sxx = 0, sx = 0;
  for (let k = 0; k < m; k++) {
    const v = x[idx[k]];
    sxx += v * v;
    sx += v;
  }
  const a = sxx, b = sx, c = sx, d = m;
  // LU with partial pivoting (getrf), then getri
  let det: number, inv00: number, inv01: number, inv10: number, inv11: number;
  if (Math.abs(a) >= Math.abs(c)) {
    if (a === 0) {
      fitB0 = fitB1 = NaN;
      return;
    }
    const l = c * (1 / a);
    const u22 = d - l * b;
    det = a * u22;
    if (!(det >= DET_EPS)) {
      fitB0 = fitB1 = NaN;
      return;
    }
    const iu11 = 1 / a;
    const iu22 = 1 / u22;
    const iu12 = iu11 * b * -iu22;
    inv00 = iu11 - iu12 * l;
    inv01 = iu12;
    inv10 = -(iu22 * l);
    inv11 = iu22;
  } else {
    // rows swapped: [[c, d], [a, b]]
    const l = a * (1 / c);
    const u22 = b - l * d;
    det = -(c * u22);
    if (!(det >= DET_EPS)) {
      fitB0 = fitB1 = NaN;
      return;
    }
    const iu11 = 1 / c;
    const iu22 = 1 / u22;
    const iu12 = iu11 * d * -iu22;
    // inverse of the row-swapped matrix, then undo the swap on the columns
    const j00 = iu11 - iu12 * l;
    const j01 = iu12;
    const j10 = -(iu22 * l);
    const j11 = iu22;
    inv00 = j01;
    inv01 = j00;
    inv10 = j11;
    inv11 = j10;
  }
  // beta = (inv @ Xᵀ) @ y
  let b0 = 0, b1 = 0;
  for (let k = 0; k < m; k++) {
    const i = idx[k];
    const xi = x[i];
    const yi = y[i];
    b0 += (inv00 * xi + inv01) * yi;
    b1 += (inv10 * xi + inv11) * yi;
  }
  fitB0 = b0;
  fitB1 = b1;
}

function rss(x: Float64Array, y: Float64Array, idx: Int32Array, m: number, b0: number, b1: number): number {
  let s = 0;
  for (let k = 0; k < m; k++) {
    const i = idx[k];
    const r = y[i] - (x[i] * b0 + b1);
    s += r * r;
  }
  return s;
}

/**
 * Reorders idx[0..n) so that its first k entries are the k pixels with the
 * smallest key (quickselect; the order inside the two parts is arbitrary).
 */
function selectSmallest(idx: Int32Array, key: Float64Array, n: number, k: number): void {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    if (hi - lo < 16) {
      // insertion sort for short ranges
      for (let i = lo + 1; i <= hi; i++) {
        const v = idx[i];
        const kv = key[v];
        let j = i - 1;
        while (j >= lo && lessKey(kv, key[idx[j]])) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
      return;
    }
    // median of three pivot
    const mid = (lo + hi) >>> 1;
    const a = key[idx[lo]], b = key[idx[mid]], c = key[idx[hi]];
    let pivot: number;
    if (lessKey(a, b)) pivot = lessKey(b, c) ? b : lessKey(a, c) ? c : a;
    else pivot = lessKey(a, c) ? a : lessKey(b, c) ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (lessKey(key[idx[i]], pivot)) i++;
      while (lessKey(pivot, key[idx[j]])) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** numba's float ordering: NaN sorts last */
function lessKey(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/**
 * LTS fit of y on x over n points. Throws LtsSampleError for n < 2.
 */
export function ltsLinearRegression(
  x: Float64Array,
  y: Float64Array,
  n: number,
  options: LtsOptions = LTS_DEFAULTS,
  workspace: LtsWorkspace = createLtsWorkspace(n),
  out: LtsResult = { slope: NaN, intercept: NaN, error: NaN },
): LtsResult {
  if (n < 2) throw new LtsSampleError();
  const ws = ensureCapacity(workspace, n);
  const { perm, order, res2, rng } = ws;
  rng.copyFrom(SEEDED_0);
  const sampleSize = Math.trunc(options.relativeSampleSize * n);

  let bestB0 = NaN, bestB1 = NaN, bestError = Infinity;
  for (let s = 0; s < options.samples; s++) {
    // np.random.choice(n, 2, replace=False)
    for (let i = 0; i < n; i++) perm[i] = i;
    rng.shuffle(perm, n);
    fit(x, y, perm, 2);
    let b0 = fitB0, b1 = fitB1;
    if (b0 !== b0) continue; // error NaN never wins
    let error = rss(x, y, perm, 2, b0, b1);

    for (let it = 0; it < options.maxIterations; it++) {
      for (let i = 0; i < n; i++) {
        const r = y[i] - (x[i] * b0 + b1);
        res2[i] = r * r;
        order[i] = i;
      }
      selectSmallest(order, res2, n, sampleSize);
      fit(x, y, order, sampleSize);
      b0 = fitB0;
      b1 = fitB1;
      const lastError = error;
      error = rss(x, y, order, sampleSize, b0, b1);
      if (Math.abs(lastError - error) < options.eps) break;
    }
    if (error < bestError) {
      bestError = error;
      bestB0 = b0;
      bestB1 = b1;
    }
  }
  out.slope = bestB0;
  out.intercept = bestB1;
  out.error = bestError;
  return out;
}
