/**
 * Σ a_k·b_k in the order and with the roundings of one element of a matrix
 * product `A @ B` as numpy computes it through OpenBLAS 0.3.21 (Debian 12's,
 * DYNAMIC_ARCH, Haswell dgemm kernel on x86-64 with AVX2/FMA): the inner
 * dimension K is cut into blocks the way the gemm driver cuts it
 * (level3.c: blocks of GEMM_Q = 256, except that a rest between 256 and 512
 * is halved, rounded up to a multiple of GEMM_UNROLL_M = 4), each block is
 * accumulated from 0 with fused multiply-adds (one rounding per step), and
 * the block sums are added to the result in turn.
 *
 * ctapipe's Hillas covariance is such a product (`np.cov` → `dot(X, (X*w).T)`);
 * for pixels on one line its smaller eigenvalue is rounding noise, and
 * whether that noise falls below ctapipe's tolerance (width exactly 0), above
 * it (a width of ~1e-8) or below zero (width NaN) is decided by these bits.
 * Checked bit for bit against numpy's `np.cov` on this machine kind
 * (test/unit/worker/numeric/openblas-gemm-sum.test.ts).
 *
 * JavaScript has no fused multiply-add; `fma` emulates it exactly (Boldo &
 * Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms
 * using rounding to odd", IEEE Trans. Computers 57(4), 2008): the product
 * split exactly into two doubles (Dekker/Veltkamp), added to c with TwoSum,
 * the two small parts added with rounding to odd, and one final rounding.
 * Exact for finite operands whose product neither overflows nor underflows
 * (far outside the coordinates and charges of an image).
 */

const SPLITTER = 134217729; // 2^27 + 1
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** little-endian: the low word of a double is words[0] */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/** x + y rounded to odd: the exact sum if representable, else the neighbour with an odd last bit. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0 || s === 0 || !Number.isFinite(s)) return s;
  bits[0] = s;
  if ((words[LOW] & 1) === 1) return s;
  // round-to-nearest gave the even neighbour: the odd one lies toward the exact sum
  const up = err > 0 === s > 0; // away from zero
  if (up) {
    words[LOW] = (words[LOW] + 1) >>> 0;
    if (words[LOW] === 0) words[HIGH] = (words[HIGH] + 1) >>> 0;
  } else {
    if (words[LOW] === 0) words[HIGH] = (words[HIGH] - 1) >>> 0;
    words[LOW] = (words[LOW] - 1) >>> 0;
  }
  return bits[0];
}

/** a·b + c with a single rounding (IEEE fusedMultiplyAdd, round to nearest even). */
export function fma(a: number, b: number, c: number): number {
  const uh = a * b;
  if (!Number.isFinite(uh) || !Number.isFinite(c)) return uh + c;
  // Dekker: uh + ul = a·b exactly
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  // TwoSum: th + tl = c + uh exactly
  const th = c + uh;
  const bv = th - c;
  const tl = c - (th - bv) + (uh - bv);
  return th + addRoundToOdd(tl, ul);
}

/** OpenBLAS's blocking of the inner dimension (Haswell dgemm: GEMM_Q 256, GEMM_UNROLL_M 4). */
const GEMM_Q = 256;
const GEMM_UNROLL_M = 4;

/**
 * Σ_{k<n} a[k]·b[k] as one element of an OpenBLAS dgemm product (see above).
 * `a` and `b` are read at a[k], b[k] for k in [0, n).
 */
export function gemmDot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let c = 0;
  let first = true;
  for (let ls = 0; ls < n;) {
    let minL = n - ls;
    if (minL >= 2 * GEMM_Q) minL = GEMM_Q;
    else if (minL > GEMM_Q) minL = Math.floor((Math.floor(minL / 2) + GEMM_UNROLL_M - 1) / GEMM_UNROLL_M) * GEMM_UNROLL_M;
    let acc = 0;
    for (let k = ls; k < ls + minL; k++) acc = fma(a[k], b[k], acc);
    c = first ? acc : c + acc;
    first = false;
    ls += minL;
  }
  return c;
}
