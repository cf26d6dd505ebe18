/**
 * Small dense linear algebra for fits (row-major Float64Array matrices).
 */

/**
 * Inverse of a symmetric positive-definite n×n matrix by Cholesky
 * decomposition; returns null when the matrix is not positive definite.
 */
export function invertSymmetricPositiveDefinite(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  // inverse of L (lower triangular)
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = sum / L[i * n + i];
    }
  }
  // A⁻¹ = L⁻ᵀ L⁻¹
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  }
  return inv;
}

/**
 * Linear least squares min ‖A x − b‖ for an m×n matrix A (m ≥ n) by
 * Householder QR with column scaling, which keeps ill-conditioned bases such
 * as polynomial powers usable. Returns the solution and (AᵀA)⁻¹, or null when
 * A is rank deficient.
 */
export function leastSquaresQR(A: Float64Array, m: number, n: number, b: Float64Array): { x: Float64Array; inverseNormal: Float64Array } | null {
  if (m < n) return null;
  const R = Float64Array.from(A);
  const y = Float64Array.from(b);
  // column scaling
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += R[i * n + j] * R[i * n + j];
    s = Math.sqrt(s);
    if (s === 0) return null;
    scale[j] = s;
    for (let i = 0; i < m; i++) R[i * n + j] /= s;
  }
  const v = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += R[i * n + j] * R[i * n + j];
    norm = Math.sqrt(norm);
    if (norm < 1e-14) return null;
    const alpha = R[j * n + j] > 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i] = R[i * n + j];
    v[j] -= alpha;
    let vnorm2 = 0;
    for (let i = j; i < m; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 === 0) continue;
    for (let c = j; c < n; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += v[i] * R[i * n + c];
      const f = (2 * d) / vnorm2;
      for (let i = j; i < m; i++) R[i * n + c] -= f * v[i];
    }
    let d = 0;
    for (let i = j; i < m; i++) d += v[i] * y[i];
    const f = (2 * d) / vnorm2;
    for (let i = j; i < m; i++) y[i] -= f * v[i];
  }
  // back substitution R x = Qᵀ b (scaled variables)
  const xs = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= R[i * n + k] * xs[k];
    xs[i] = s / R[i * n + i];
  }
  // R⁻¹ (upper triangular), then (RᵀR)⁻¹ = R⁻¹ R⁻ᵀ
  const Ri = new Float64Array(n * n);
  for (let i = n - 1; i >= 0; i--) {
    Ri[i * n + i] = 1 / R[i * n + i];
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s -= R[i * n + k] * Ri[k * n + j];
      Ri[i * n + j] = s / R[i * n + i];
    }
  }
  const x = new Float64Array(n);
  const inverseNormal = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    x[i] = xs[i] / scale[i];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Ri[i * n + k] * Ri[j * n + k];
      inverseNormal[i * n + j] = s / (scale[i] * scale[j]);
    }
  }
  return { x, inverseNormal };
}
