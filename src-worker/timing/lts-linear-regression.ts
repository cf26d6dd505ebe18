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
 *
 * Speed: the initial pairs depend only on n and are cached; a C-step whose
 * trimmed sample would not change stops the iteration at once (ctapipe
 * refits the same points and stops on the unchanged residual sum); a start
 * that reaches the converged sample of an earlier start ends with that
 * start's line (a converged sample is a fixed point of the C-step), which
 * differs from ctapipe's refit only by summation order.
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
  pair: Int32Array;
  order: Int32Array;
  inSample: Uint8Array;
  res2: Float64Array;
  select: Float64Array;
  ties: Int32Array;
  /** final (converged) trimmed samples of earlier starts: membership, signature, error, line */
  finals: Uint8Array[];
  finalSig: Float64Array;
  finalError: Float64Array;
  finalB0: Float64Array;
  finalB1: Float64Array;
}

export function createLtsWorkspace(capacity: number): LtsWorkspace {
  return {
    pair: new Int32Array(2),
    order: new Int32Array(capacity),
    inSample: new Uint8Array(capacity),
    res2: new Float64Array(capacity),
    select: new Float64Array(capacity),
    ties: new Int32Array(capacity),
    finals: [],
    finalSig: new Float64Array(0),
    finalError: new Float64Array(0),
    finalB0: new Float64Array(0),
    finalB1: new Float64Array(0),
  };
}

function ensureCapacity(ws: LtsWorkspace, n: number, samples: number): LtsWorkspace {
  if (ws.order.length < n) {
    const c = Math.max(n, ws.order.length * 2);
    ws.order = new Int32Array(c);
    ws.inSample = new Uint8Array(c);
    ws.res2 = new Float64Array(c);
    ws.select = new Float64Array(c);
    ws.ties = new Int32Array(c);
    ws.finals = [];
  }
  if (ws.finals.length < samples) {
    for (let s = ws.finals.length; s < samples; s++) ws.finals.push(new Uint8Array(ws.order.length));
    ws.finalSig = new Float64Array(samples);
    ws.finalError = new Float64Array(samples);
    ws.finalB0 = new Float64Array(samples);
    ws.finalB1 = new Float64Array(samples);
  }
  return ws;
}

// the signature of a sample is Σ (i² + 1) over its pixel indices: order-independent,
// exact in float64, cheap; equal signatures are confirmed element by element

/**
 * The initial pairs of all starts depend only on n (the generator is seeded
 * with 0 on every call), so they are computed once per (n, samples).
 */
const pairCache = new Map<number, Int32Array>();

export function initialPairs(n: number, samples: number): Int32Array {
  const key = n * 4096 + samples;
  let pairs = samples < 4096 ? pairCache.get(key) : undefined;
  if (pairs) return pairs;
  pairs = new Int32Array(2 * samples);
  const rng = new MT19937(0);
  const perm = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    // np.random.choice(n, 2, replace=False) = np.random.permutation(n)[:2]
    for (let i = 0; i < n; i++) perm[i] = i;
    rng.shuffle(perm, n);
    pairs[2 * s] = perm[0];
    pairs[2 * s + 1] = perm[1];
  }
  if (samples < 4096 && pairCache.size < 200_000) pairCache.set(key, pairs);
  return pairs;
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
  fitWithSums(x, y, idx, m, sxx, sx);
}

/** linear_regression given Σx² and Σx of the points idx[0..m) */
function fitWithSums(x: Float64Array, y: Float64Array, idx: Int32Array, m: number, sxx: number, sx: number): void {
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

let passMaxIn = -Infinity;
let passMinOut = Infinity;

/**
 * Squared residuals of the line (b0, b1) for all n points into res2
 * (NaN as +Infinity, numba's sort order); with a current sample, the
 * largest squared residual inside it and the smallest outside
 * (passMaxIn / passMinOut). Returns the residual sum of squares of the sample.
 */
function residualPass(
  x: Float64Array, y: Float64Array, n: number, b0: number, b1: number,
  res2: Float64Array, inSample: Uint8Array, haveSample: boolean,
): number {
  let maxIn = -Infinity, minOut = Infinity, sum = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - (x[i] * b0 + b1);
    let r2 = r * r;
    if (haveSample && inSample[i]) sum += r2;
    if (r2 !== r2) r2 = Infinity;
    res2[i] = r2;
    if (haveSample) {
      if (inSample[i]) {
        if (r2 > maxIn) maxIn = r2;
      } else if (r2 < minOut) {
        minOut = r2;
      }
    }
  }
  passMaxIn = maxIn;
  passMinOut = minOut;
  return sum;
}

/**
 * The k-th smallest value of a[0..n) (1 <= k <= n), reordering a
 * (quickselect, Hoare partition around a median of three).
 */
function kthSmallest(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  const target = k - 1;
  while (hi > lo) {
    if (hi - lo < 12) {
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return a[target];
    }
    const mid = (lo + hi) >>> 1;
    const x0 = a[lo], x1 = a[mid], x2 = a[hi];
    const pivot = x0 < x1 ? (x1 < x2 ? x1 : x0 < x2 ? x2 : x0) : x0 < x2 ? x0 : x1 < x2 ? x2 : x1;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
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
  const ws = ensureCapacity(workspace, n, options.samples);
  const { pair, order, inSample, res2, select, ties, finals, finalSig, finalError, finalB0, finalB1 } = ws;
  const pairs = initialPairs(n, options.samples);
  const sampleSize = Math.trunc(options.relativeSampleSize * n);
  let nFinals = 0;

  let bestB0 = NaN, bestB1 = NaN, bestError = Infinity;
  for (let s = 0; s < options.samples; s++) {
    pair[0] = pairs[2 * s];
    pair[1] = pairs[2 * s + 1];
    fit(x, y, pair, 2);
    let b0 = fitB0, b1 = fitB1;
    if (b0 !== b0) continue; // error NaN never wins
    let error = rss(x, y, pair, 2, b0, b1);

    let haveSample = false;
    let converged = false;
    let fresh = false; // res2 (and passMaxIn / passMinOut) belong to the current line
    let sig = 0;
    for (let it = 0; it < options.maxIterations; it++) {
      if (!fresh) residualPass(x, y, n, b0, b1, res2, inSample, haveSample);
      // the trimmed sample would not change: refitting it gives the same
      // line and residual sum of squares, which is ctapipe's convergence
      if (haveSample && passMaxIn < passMinOut) {
        converged = true;
        break;
      }
      // the sampleSize smallest squared residuals (ties: lower index first)
      let incremental = false;
      if (haveSample) {
        // only pixels of the sample at or above the smallest outside, and
        // pixels outside at or below the largest inside, can change sides:
        // new sample = (sample without them) + the smallest of them
        let nc = 0, nLeave = 0;
        const maxIn = passMaxIn, minOut = passMinOut;
        for (let i = 0; i < n; i++) {
          const r2 = res2[i];
          if (inSample[i] ? r2 >= minOut : r2 <= maxIn) {
            ties[nc++] = i;
            nLeave += inSample[i];
          }
        }
        if (nc <= 32 || nc * 8 <= n) {
          incremental = true;
          // insertion sort of the candidates by (squared residual, index)
          for (let a = 1; a < nc; a++) {
            const v = ties[a], rv = res2[v];
            let b = a - 1;
            while (b >= 0 && (res2[ties[b]] > rv || (res2[ties[b]] === rv && ties[b] > v))) {
              ties[b + 1] = ties[b];
              b--;
            }
            ties[b + 1] = v;
          }
          for (let a = 0; a < nc; a++) inSample[ties[a]] = a < nLeave ? 1 : 0;
        }
      }
      if (!incremental) {
        select.set(res2); // same capacity: a plain copy
        const threshold = kthSmallest(select, n, sampleSize);
        let below = 0;
        for (let i = 0; i < n; i++) {
          const isBelow = res2[i] < threshold;
          inSample[i] = isBelow ? 1 : 0;
          below += isBelow ? 1 : 0;
        }
        for (let i = 0; below < sampleSize && i < n; i++) {
          if (res2[i] === threshold) {
            inSample[i] = 1;
            below++;
          }
        }
      }
      let m = 0, sxx = 0, sx = 0;
      sig = 0;
      for (let i = 0; i < n; i++) {
        if (inSample[i]) {
          order[m++] = i;
          sig += i * i + 1;
          const v = x[i];
          sxx += v * v;
          sx += v;
        }
      }
      haveSample = true;
      // an earlier start already converged on this very sample: this start
      // ends there too (a converged sample is a fixed point of the C-step)
      let same = -1;
      for (let f = 0; f < nFinals && same < 0; f++) {
        if (finalSig[f] !== sig) continue;
        const m = finals[f];
        let equal = true;
        for (let i = 0; i < n && equal; i++) equal = m[i] === inSample[i];
        if (equal) same = f;
      }
      if (same >= 0) {
        b0 = finalB0[same];
        b1 = finalB1[same];
        error = finalError[same];
        converged = false; // already recorded
        haveSample = false;
        break;
      }
      fitWithSums(x, y, order, sampleSize, sxx, sx);
      b0 = fitB0;
      b1 = fitB1;
      const lastError = error;
      // residuals of the new line: its residual sum of squares on the sample,
      // and the input of the next C-step
      error = residualPass(x, y, n, b0, b1, res2, inSample, true);
      fresh = true;
      if (Math.abs(lastError - error) < options.eps) {
        converged = true;
        break;
      }
    }
    if (converged && haveSample && nFinals < finals.length) {
      finals[nFinals].set(inSample.subarray(0, n));
      finalSig[nFinals] = sig;
      finalError[nFinals] = error;
      finalB0[nFinals] = b0;
      finalB1[nFinals] = b1;
      nFinals++;
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
