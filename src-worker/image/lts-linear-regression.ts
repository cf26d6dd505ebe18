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
 * differs from ctapipe's refit only by summation order. A C-step touches
 * only the pixels whose squared residual lies between the smallest outside
 * and the largest inside the sample (the only ones that can change sides)
 * and updates the sample's sums Σx², Σx, Σxy, Σy with them, so the refit is
 * O(1) (equal to ctapipe's up to float64 rounding); the residual pass does
 * not branch on the membership; scratch loops run over the n points, never
 * the workspace's capacity (a camera's pixel count).
 *
 * Shape: `ltsLinearRegression` runs the starts; `LtsFit` holds one call's
 * state (the points, the current line, the trimmed sample with its
 * signature and sums, the bounds of the last residual pass), so nothing
 * is returned through module-level variables, and the sample changes in one
 * place (`LtsFit.setMember`).
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
  /** the membership as factors: 1 inside the sample, 0 outside */
  inFactor: Float64Array;
  /** the membership as penalties: 0 outside the sample, +Infinity inside */
  outPenalty: Float64Array;
  res2: Float64Array;
  select: Float64Array;
  ties: Int32Array;
  /** final (converged) trimmed samples of earlier starts: membership, signature, error, line */
  finals: Uint8Array[];
  finalSig: Float64Array;
  finalError: Float64Array;
  finalB0: Float64Array;
  finalB1: Float64Array;
  /** the state of a call, kept for the next one */
  fit?: LtsFit;
}

export function createLtsWorkspace(capacity: number): LtsWorkspace {
  return {
    pair: new Int32Array(2),
    order: new Int32Array(capacity),
    inSample: new Uint8Array(capacity),
    inFactor: new Float64Array(capacity),
    outPenalty: new Float64Array(capacity),
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
    ws.inFactor = new Float64Array(c);
    ws.outPenalty = new Float64Array(c);
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

/** A fitted line y = b0 * x + b1 (NaN when the normal matrix is singular). */
interface Line {
  b0: number;
  b1: number;
}

/**
 * Inverse of XᵀX = [[Σx², Σx], [Σx, m]] into `inv` (row-major) as LAPACK's
 * getrf + getri compute it (LU with partial pivoting); false when
 * det < ctapipe's EPS (ctapipe: NaN fit).
 */
function invertNormal(sxx: number, sx: number, m: number, inv: Float64Array): boolean {
  const a = sxx,
    b = sx,
    c = sx,
    d = m;
  if (Math.abs(a) >= Math.abs(c)) {
    if (a === 0) return false;
    const l = c * (1 / a);
    const u22 = d - l * b;
    const det = a * u22;
    if (!(det >= DET_EPS)) return false;
    const iu11 = 1 / a;
    const iu22 = 1 / u22;
    const iu12 = iu11 * b * -iu22;
    inv[0] = iu11 - iu12 * l;
    inv[1] = iu12;
    inv[2] = -(iu22 * l);
    inv[3] = iu22;
    return true;
  }
  // rows swapped: [[c, d], [a, b]]
  const l = a * (1 / c);
  const u22 = b - l * d;
  const det = -(c * u22);
  if (!(det >= DET_EPS)) return false;
  const iu11 = 1 / c;
  const iu22 = 1 / u22;
  const iu12 = iu11 * d * -iu22;
  // inverse of the row-swapped matrix, then undo the swap on the columns
  inv[0] = iu12;
  inv[1] = iu11 - iu12 * l;
  inv[2] = iu22;
  inv[3] = -(iu22 * l);
  return true;
}

/**
 * The k-th smallest value of a[0..n) (1 <= k <= n), reordering a
 * (quickselect, Hoare partition around a median of three).
 */
const pivotSample = new Float64Array(7);

function kthSmallest(a: Float64Array, n: number, k: number): number {
  let lo = 0,
    hi = n - 1;
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
    let pivot: number;
    const size = hi - lo + 1;
    if (size >= 48) {
      // the pivot at the target's rank in a sorted sample of 7: the target
      // (e.g. 85 % of n) ends up in a small part, and the scans below are
      // mostly one-sided (well predicted)
      for (let q = 0; q < 7; q++) {
        const v = a[lo + Math.floor((size * (2 * q + 1)) / 14)];
        let b = q - 1;
        while (b >= 0 && pivotSample[b] > v) {
          pivotSample[b + 1] = pivotSample[b];
          b--;
        }
        pivotSample[b + 1] = v;
      }
      pivot = pivotSample[Math.round(((target - lo) / (size - 1)) * 6)];
    } else {
      const mid = (lo + hi) >>> 1;
      const x0 = a[lo],
        x1 = a[mid],
        x2 = a[hi];
      pivot = x0 < x1 ? (x1 < x2 ? x1 : x0 < x2 ? x2 : x0) : x0 < x2 ? x0 : x1 < x2 ? x2 : x1;
    }
    let i = lo,
      j = hi;
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

/** One call's state: the points, the line, the trimmed sample (membership, signature, sums) and the last residual pass. */
class LtsFit {
  readonly line: Line = { b0: NaN, b1: NaN };
  private readonly inv = new Float64Array(4);
  // the signature of a sample is Σ (i² + 1) over its pixel indices: order-independent,
  // exact in float64, cheap; equal signatures are confirmed element by element
  sig = 0;
  private sxx = 0;
  private sx = 0;
  private sxy = 0;
  private sy = 0;
  /** the largest squared residual inside the sample and the smallest outside, of the last residual pass */
  maxIn = -Infinity;
  minOut = Infinity;

  private x: Float64Array = new Float64Array(0);
  private y: Float64Array = new Float64Array(0);
  n = 0;
  ws!: LtsWorkspace;

  /** a new call on these points (one LtsFit per workspace: nothing is allocated per call) */
  begin(x: Float64Array, y: Float64Array, n: number, ws: LtsWorkspace): this {
    this.x = x;
    this.y = y;
    this.n = n;
    this.ws = ws;
    this.line.b0 = this.line.b1 = NaN;
    return this;
  }

  /** Linear regression on the points idx[0..m): ctapipe.fitting.linear_regression, beta = (inv @ Xᵀ) @ y. */
  fitPoints(idx: Int32Array, m: number): void {
    const { x, y, inv, line } = this;
    let sxx = 0,
      sx = 0;
    for (let k = 0; k < m; k++) {
      const v = x[idx[k]];
      sxx += v * v;
      sx += v;
    }
    if (!invertNormal(sxx, sx, m, inv)) {
      line.b0 = line.b1 = NaN;
      return;
    }
    let b0 = 0,
      b1 = 0;
    for (let k = 0; k < m; k++) {
      const i = idx[k];
      const xi = x[i];
      const yi = y[i];
      b0 += (inv[0] * xi + inv[1]) * yi;
      b1 += (inv[2] * xi + inv[3]) * yi;
    }
    line.b0 = b0;
    line.b1 = b1;
  }

  /**
   * The same regression on the trimmed sample from its sums Σx², Σx, Σxy, Σy
   * (beta = inv @ (Xᵀy)): equal to `fitPoints` up to float64 rounding, and
   * O(1), since a C-step that moves a few pixels in or out of the sample
   * updates the sums instead of refitting.
   */
  fitSample(m: number): void {
    const { inv, line } = this;
    if (!invertNormal(this.sxx, this.sx, m, inv)) {
      line.b0 = line.b1 = NaN;
      return;
    }
    line.b0 = inv[0] * this.sxy + inv[1] * this.sy;
    line.b1 = inv[2] * this.sxy + inv[3] * this.sy;
  }

  /** residual sum of squares of the line on the points idx[0..m) */
  rss(idx: Int32Array, m: number): number {
    const { x, y } = this;
    const { b0, b1 } = this.line;
    let s = 0;
    for (let k = 0; k < m; k++) {
      const i = idx[k];
      const r = y[i] - (x[i] * b0 + b1);
      s += r * r;
    }
    return s;
  }

  /** pixel i in (1) or out of (0) the trimmed sample: membership and sums follow */
  setMember(i: number, now: 0 | 1): void {
    const ws = this.ws;
    if (ws.inSample[i] === now) return;
    ws.inSample[i] = now;
    ws.inFactor[i] = now;
    ws.outPenalty[i] = now ? Infinity : 0;
    const sign = now ? 1 : -1;
    const v = this.x[i],
      w = this.y[i];
    this.sig += sign * (i * i + 1);
    this.sxx += sign * (v * v);
    this.sx += sign * v;
    this.sxy += sign * (v * w);
    this.sy += sign * w;
  }

  /** the empty sample */
  private clearSample(): void {
    const { inSample, inFactor, outPenalty } = this.ws;
    for (let i = 0; i < this.n; i++) {
      inSample[i] = 0;
      inFactor[i] = 0;
      outPenalty[i] = 0;
    }
    this.sig = this.sxx = this.sx = this.sxy = this.sy = 0;
  }

  /**
   * Squared residuals of the line for all n points into ws.res2 (NaN as
   * +Infinity, numba's sort order). Without a sample, a copy goes to
   * ws.select for the first C-step's selection; with one, `maxIn` / `minOut`
   * are set and the residual sum of squares of the sample is returned.
   */
  residualPass(haveSample: boolean): number {
    const { x, y, n, ws } = this;
    const { b0, b1 } = this.line;
    const res2 = ws.res2;
    if (!haveSample) {
      const select = ws.select;
      for (let i = 0; i < n; i++) {
        const r = y[i] - (x[i] * b0 + b1);
        const r2 = r * r;
        const v = r2 === r2 ? r2 : Infinity;
        res2[i] = v;
        select[i] = v;
      }
      this.maxIn = -Infinity;
      this.minOut = Infinity;
      return 0;
    }
    // no branch on the (unpredictable) membership: it enters as a factor
    // (0/1) and a penalty (+Infinity/0); exact, since r2 >= 0 and adding +0
    // leaves a sum of squares unchanged
    const inFactor = ws.inFactor,
      outPenalty = ws.outPenalty;
    let maxIn = -Infinity,
      minOut = Infinity,
      sum = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i] - (x[i] * b0 + b1);
      const r2 = r * r;
      res2[i] = r2;
      // a NaN or infinite r2 makes r2 * factor NaN or infinite, so the sum tells
      const rin = r2 * inFactor[i];
      sum += rin;
      if (rin > maxIn) maxIn = rin;
      const rout = r2 + outPenalty[i];
      if (rout < minOut) minOut = rout;
    }
    if (!(sum < Infinity)) {
      // NaN or infinite residuals (non-finite inputs): NaN sorts last as +Infinity (numba's order)
      const inSample = ws.inSample;
      maxIn = -Infinity;
      minOut = Infinity;
      sum = 0;
      for (let i = 0; i < n; i++) {
        let r2 = res2[i];
        if (inSample[i]) sum += r2;
        if (r2 !== r2) r2 = res2[i] = Infinity;
        if (inSample[i]) {
          if (r2 > maxIn) maxIn = r2;
        } else if (r2 < minOut) {
          minOut = r2;
        }
      }
    }
    this.maxIn = maxIn;
    this.minOut = minOut;
    return sum;
  }

  /**
   * The first C-step of a start: the sampleSize smallest squared residuals
   * of all n points (ties: lower index first). ws.select holds a copy of
   * res2, written by the residual pass of the start's 2-point line.
   */
  firstSample(sampleSize: number): void {
    const { n, ws } = this;
    const { res2, ties } = ws;
    const threshold = kthSmallest(ws.select, n, sampleSize);
    this.clearSample();
    let below = 0,
      nTies = 0;
    for (let i = 0; i < n; i++) {
      const r2 = res2[i];
      if (r2 < threshold) {
        this.setMember(i, 1);
        below++;
      } else if (r2 === threshold) {
        ties[nTies++] = i;
      }
    }
    // equal residuals at the threshold: lower index first
    for (let t = 0; below < sampleSize && t < nTies; t++) {
      this.setMember(ties[t], 1);
      below++;
    }
  }

  /**
   * A later C-step: only pixels of the sample at or above the smallest
   * outside, and pixels outside at or below the largest inside, can change
   * sides; the new sample is the sample without them plus the smallest of
   * them (by squared residual, then index).
   */
  nextSample(): void {
    const { n, ws } = this;
    const { res2, ties, inSample, select } = ws;
    const maxIn = this.maxIn,
      minOut = this.minOut;
    // (a pixel inside has r2 <= maxIn and one outside r2 >= minOut, so the
    // candidates are exactly those in [minOut, maxIn]: a test that does not
    // depend on the membership and is rarely true, hence well predicted)
    let nc = 0,
      nLeave = 0;
    for (let i = 0; i < n; i++) {
      const r2 = res2[i];
      if (r2 >= minOut && r2 <= maxIn) {
        ties[nc++] = i;
        nLeave += inSample[i];
      }
    }
    // the nLeave smallest candidates by (squared residual, index) go in, the others out
    if (nc <= 32) {
      // insertion sort of the few candidates
      for (let a = 1; a < nc; a++) {
        const v = ties[a],
          rv = res2[v];
        let b = a - 1;
        while (b >= 0 && (res2[ties[b]] > rv || (res2[ties[b]] === rv && ties[b] > v))) {
          ties[b + 1] = ties[b];
          b--;
        }
        ties[b + 1] = v;
      }
      for (let a = 0; a < nc; a++) this.setMember(ties[a], a < nLeave ? 1 : 0);
      return;
    }
    // many candidates: the nLeave-th smallest of their residuals, ties by ascending index
    for (let a = 0; a < nc; a++) select[a] = res2[ties[a]];
    const threshold = kthSmallest(select, nc, nLeave);
    let below = 0;
    for (let a = 0; a < nc; a++) below += res2[ties[a]] < threshold ? 1 : 0;
    for (let a = 0; a < nc; a++) {
      const i = ties[a];
      const r2 = res2[i];
      let now: 0 | 1 = r2 < threshold ? 1 : 0;
      if (r2 === threshold && below < nLeave) {
        now = 1;
        below++;
      }
      this.setMember(i, now);
    }
  }

  /** an earlier start's converged sample equal to the current one, or -1 */
  findFinal(nFinals: number): number {
    const { n, ws } = this;
    for (let f = 0; f < nFinals; f++) {
      if (ws.finalSig[f] !== this.sig) continue;
      const m = ws.finals[f];
      let equal = true;
      for (let i = 0; i < n && equal; i++) equal = m[i] === ws.inSample[i];
      if (equal) return f;
    }
    return -1;
  }

  /** keeps the current (converged) sample, its error and line as final number f */
  recordFinal(f: number, error: number): void {
    const { n, ws } = this;
    const fm = ws.finals[f];
    for (let i = 0; i < n; i++) fm[i] = ws.inSample[i];
    ws.finalSig[f] = this.sig;
    ws.finalError[f] = error;
    ws.finalB0[f] = this.line.b0;
    ws.finalB1[f] = this.line.b1;
  }
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
  const fit = (ws.fit ??= new LtsFit()).begin(x, y, n, ws);
  const line = fit.line;
  const pairs = initialPairs(n, options.samples);
  const sampleSize = Math.trunc(options.relativeSampleSize * n);
  let nFinals = 0;

  let bestB0 = NaN,
    bestB1 = NaN,
    bestError = Infinity;
  for (let s = 0; s < options.samples; s++) {
    ws.pair[0] = pairs[2 * s];
    ws.pair[1] = pairs[2 * s + 1];
    fit.fitPoints(ws.pair, 2);
    if (line.b0 !== line.b0) continue; // error NaN never wins
    let error = fit.rss(ws.pair, 2);

    let haveSample = false;
    let converged = false;
    let fresh = false; // res2 (and maxIn / minOut) belong to the current line
    for (let it = 0; it < options.maxIterations; it++) {
      if (!fresh) fit.residualPass(haveSample);
      // the trimmed sample would not change: refitting it gives the same
      // line and residual sum of squares, which is ctapipe's convergence
      if (haveSample && fit.maxIn < fit.minOut) {
        converged = true;
        break;
      }
      // the sampleSize smallest squared residuals (ties: lower index first)
      if (haveSample) fit.nextSample();
      else fit.firstSample(sampleSize);
      haveSample = true;
      // an earlier start already converged on this very sample: this start
      // ends there too (a converged sample is a fixed point of the C-step)
      const same = fit.findFinal(nFinals);
      if (same >= 0) {
        line.b0 = ws.finalB0[same];
        line.b1 = ws.finalB1[same];
        error = ws.finalError[same];
        converged = false; // already recorded
        haveSample = false;
        break;
      }
      fit.fitSample(sampleSize);
      const lastError = error;
      // residuals of the new line: its residual sum of squares on the sample,
      // and the input of the next C-step
      error = fit.residualPass(true);
      fresh = true;
      if (Math.abs(lastError - error) < options.eps) {
        converged = true;
        break;
      }
    }
    if (converged && haveSample && nFinals < ws.finals.length) fit.recordFinal(nFinals++, error);
    if (error < bestError) {
      bestError = error;
      bestB0 = line.b0;
      bestB1 = line.b1;
    }
  }
  out.slope = bestB0;
  out.intercept = bestB1;
  out.error = bestError;
  return out;
}
