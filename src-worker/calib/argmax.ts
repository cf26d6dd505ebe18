/**
 * numpy's argmax of `a[start .. start+n)`: the first index of the largest
 * value; a NaN counts as the largest (the first NaN wins), as in numpy.
 */
export function argmax(a: Float32Array | Float64Array, start: number, n: number): number {
  let best = a[start];
  if (best !== best) return 0;
  let bi = 0;
  for (let s = 1; s < n; s++) {
    const v = a[start + s];
    if (v > best) {
      best = v;
      bi = s;
    } else if (v !== v) {
      return s;
    }
  }
  return bi;
}
