/**
 * numpy's summation order for `np.sum` / `ndarray.mean` of a contiguous 1-d
 * array: the add-reduction starts from 0 and adds, for each buffer of 8192
 * values (the reduction iterator's buffer size: a longer array is reduced
 * buffer by buffer), `pairwise_sum(buffer)`, which sums blocks of up to 128
 * values with 8 interleaved accumulators and splits larger arrays in two
 * halves (multiples of 8). Reproducing that order gives
 * bit-identical results to numpy (checked against numpy 1.24 for float32);
 * for float32 arrays every addition is rounded to float32 (numpy accumulates
 * float32 sums in float32).
 */

/** numpy's reduction buffer (NPY_BUFSIZE): sums of more values go buffer by buffer */
const BUFFER = 8192;

/** Sum of a[0..n) in numpy's float64 pairwise order. */
export function pairwiseSum64(a: Float64Array, n: number): number {
  let res = 0;
  for (let s = 0; s < n; s += BUFFER) res += pairwise64(a, s, Math.min(BUFFER, n - s));
  return res;
}

function pairwise64(a: Float64Array, s: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res += a[s + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[s],
      r1 = a[s + 1],
      r2 = a[s + 2],
      r3 = a[s + 3];
    let r4 = a[s + 4],
      r5 = a[s + 5],
      r6 = a[s + 6],
      r7 = a[s + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const b = s + i;
      r0 += a[b];
      r1 += a[b + 1];
      r2 += a[b + 2];
      r3 += a[b + 3];
      r4 += a[b + 4];
      r5 += a[b + 5];
      r6 += a[b + 6];
      r7 += a[b + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[s + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise64(a, s, n2) + pairwise64(a, s + n2, n - n2);
}

/** Sum of a[0..n) in numpy's float32 pairwise order, every step rounded to float32. */
export function pairwiseSum32(a: Float32Array, n: number): number {
  let res = 0;
  for (let s = 0; s < n; s += BUFFER) res = Math.fround(res + pairwise32(a, s, Math.min(BUFFER, n - s)));
  return res;
}

const f = Math.fround;

function pairwise32(a: Float32Array, s: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res = f(res + a[s + i]);
    return res;
  }
  if (n <= 128) {
    let r0 = a[s],
      r1 = a[s + 1],
      r2 = a[s + 2],
      r3 = a[s + 3];
    let r4 = a[s + 4],
      r5 = a[s + 5],
      r6 = a[s + 6],
      r7 = a[s + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const b = s + i;
      r0 = f(r0 + a[b]);
      r1 = f(r1 + a[b + 1]);
      r2 = f(r2 + a[b + 2]);
      r3 = f(r3 + a[b + 3]);
      r4 = f(r4 + a[b + 4]);
      r5 = f(r5 + a[b + 5]);
      r6 = f(r6 + a[b + 6]);
      r7 = f(r7 + a[b + 7]);
    }
    let res = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
    for (; i < n; i++) res = f(res + a[s + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwise32(a, s, n2) + pairwise32(a, s + n2, n - n2));
}
