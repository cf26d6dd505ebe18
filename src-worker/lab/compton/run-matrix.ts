/**
 * A Compton camera's system matrix (cones × image pixels) in the layout the
 * MLEM kernels read: per row, runs of consecutive columns. A cone's row is
 * non-zero on a band of the sphere, which crosses each polar row of the
 * image in one or two arcs of consecutive pixels, so a row is a few hundred
 * runs of tens of values: the products become contiguous SIMD loops with no
 * column index per value. Gaps of up to `maxGap` zero columns inside a run
 * are stored as zeros (fewer, longer runs); a row that is mostly non-zero
 * becomes one run, the dense product. Runs are padded with zeros to whole
 * groups of 8 (float32) or 2 (float64) values, so the image and
 * backprojection vectors carry a few columns of padding past the last
 * pixel. Built from a dense matrix (row-major, float32 or float64) or CSR
 * (data, indices, indptr; duplicates summed, columns sorted per row).
 */

export interface RunMatrix {
  nCones: number;
  nPixels: number;
  valueType: 'f32' | 'f64';
  /** values per kernel step: 8 (f32) or 2 (f64) */
  group: 8 | 2;
  /** 4 int32 per run: row, 8·first column, groups, 0 */
  runs: Int32Array;
  nRuns: number;
  /** the runs' values, one after the other, each run padded to whole groups */
  values: Float32Array | Float64Array;
  /** non-zero entries of the input */
  nnz: number;
}

export interface RunMatrixOptions {
  /** zero columns a run may bridge; default 8 */
  maxGap?: number;
}

class Growable<T extends Float32Array | Float64Array | Int32Array> {
  n = 0;
  constructor(
    public a: T,
    private make: (n: number) => T,
  ) {}
  reserve(extra: number): void {
    if (this.n + extra <= this.a.length) return;
    const b = this.make(Math.max(this.a.length * 2, this.n + extra));
    b.set(this.a.subarray(0, this.n) as never);
    this.a = b;
  }
  result(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

function checkValue(v: number, row: number, col: number): void {
  if (!(v >= 0) || v === Infinity) throw new Error(`system matrix entry (${row}, ${col}) is ${v}: MLEM needs finite, non-negative probabilities`);
}

/** Builds runs from sorted (column, value) pairs of each row, given by `row(i)`. */
function build(
  nCones: number,
  nPixels: number,
  f32: boolean,
  maxGap: number,
  row: (i: number) => { cols: ArrayLike<number>; vals: ArrayLike<number>; n: number },
): RunMatrix {
  const group = f32 ? 8 : 2;
  const runs = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  const values = new Growable<Float32Array | Float64Array>(f32 ? new Float32Array(1 << 16) : new Float64Array(1 << 16), (n) =>
    f32 ? new Float32Array(n) : new Float64Array(n),
  );
  let nnz = 0;
  for (let r = 0; r < nCones; r++) {
    const { cols, vals, n } = row(r);
    nnz += n;
    let k = 0;
    while (k < n) {
      const start = cols[k];
      let end = k; // last entry of the run
      while (end + 1 < n && cols[end + 1] - cols[end] - 1 <= maxGap) end++;
      const first = start;
      const last = cols[end];
      const length = last - first + 1;
      const groups = Math.ceil(length / group);
      values.reserve(groups * group);
      const base = values.n;
      values.a.fill(0, base, base + groups * group);
      for (let j = k; j <= end; j++) values.a[base + cols[j] - first] += vals[j];
      values.n += groups * group;
      runs.reserve(4);
      runs.a[runs.n++] = r;
      runs.a[runs.n++] = 8 * first;
      runs.a[runs.n++] = groups;
      runs.a[runs.n++] = 0;
      k = end + 1;
    }
  }
  return { nCones, nPixels, valueType: f32 ? 'f32' : 'f64', group, runs: runs.result(), nRuns: runs.n / 4, values: values.result(), nnz };
}

/** From a dense row-major matrix. */
export function runMatrixFromDense(dense: Float32Array | Float64Array, nCones: number, nPixels: number, o: RunMatrixOptions = {}): RunMatrix {
  if (dense.length !== nCones * nPixels) throw new Error(`a ${nCones} × ${nPixels} system matrix needs ${nCones * nPixels} values, got ${dense.length}`);
  const cols = new Int32Array(nPixels);
  const vals = new Float64Array(nPixels);
  return build(nCones, nPixels, dense instanceof Float32Array, o.maxGap ?? 8, (r) => {
    let n = 0;
    const off = r * nPixels;
    for (let c = 0; c < nPixels; c++) {
      const v = dense[off + c];
      if (v !== 0) {
        checkValue(v, r, c);
        cols[n] = c;
        vals[n++] = v;
      }
    }
    return { cols, vals, n };
  });
}

/** From CSR arrays (scipy.sparse.csr_matrix's data, indices, indptr). */
export function runMatrixFromCsr(
  data: Float32Array | Float64Array,
  indices: ArrayLike<number>,
  indptr: ArrayLike<number>,
  nCones: number,
  nPixels: number,
  o: RunMatrixOptions = {},
): RunMatrix {
  if (indptr.length !== nCones + 1) throw new Error(`indptr must have ${nCones + 1} entries for ${nCones} rows, got ${indptr.length}`);
  if (indptr[0] !== 0 || indptr[nCones] !== data.length || data.length !== indices.length) {
    throw new Error(`inconsistent CSR arrays: indptr runs ${indptr[0]}..${indptr[nCones]}, data has ${data.length} and indices ${indices.length} entries`);
  }
  let widest = 0;
  for (let r = 0; r < nCones; r++) {
    if (!(indptr[r + 1] >= indptr[r])) throw new Error(`CSR indptr decreases at row ${r}`);
    widest = Math.max(widest, indptr[r + 1] - indptr[r]);
  }
  const cols = new Int32Array(widest);
  const vals = new Float64Array(widest);
  const order = new Int32Array(widest);
  return build(nCones, nPixels, data instanceof Float32Array, o.maxGap ?? 8, (r) => {
    const a = indptr[r];
    const n0 = indptr[r + 1] - a;
    let sorted = true;
    for (let j = 0; j < n0; j++) {
      const c = indices[a + j];
      if (!(Number.isInteger(c) && c >= 0 && c < nPixels)) throw new Error(`CSR column index ${c} in row ${r} is outside the ${nPixels} pixels`);
      checkValue(data[a + j], r, c);
      if (j > 0 && c < indices[a + j - 1]) sorted = false;
      order[j] = j;
    }
    if (!sorted) order.subarray(0, n0).sort((x, y) => indices[a + x] - indices[a + y]);
    // merge duplicates (scipy sums them)
    let n = 0;
    for (let j = 0; j < n0; j++) {
      const c = indices[a + order[j]];
      const v = data[a + order[j]];
      if (n > 0 && cols[n - 1] === c) vals[n - 1] += v;
      else {
        cols[n] = c;
        vals[n++] = v;
      }
    }
    return { cols, vals, n };
  });
}
