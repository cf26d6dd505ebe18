/**
 * Eigen-decomposition of a real symmetric 2×2 matrix [[a, b], [b, c]] the way
 * numpy's `np.linalg.eigh` (LAPACK dsyevd, lower triangle) computes it for
 * n = 2: the matrix is already tridiagonal (d = [a, c], e = [b]); dsteqr
 * first drops a negligible off-diagonal element (then the eigenvectors are
 * exactly the axes), otherwise it calls dlaev2 for the 2×2 block; finally the
 * eigenvalues are sorted ascending by selection sort, swapping the vectors.
 *
 * Following LAPACK's arithmetic step by step matters for degenerate images
 * (e.g. pixels on one line), where it decides whether the major axis is
 * exactly vertical (ctapipe's psi = 90°).
 */

/** LAPACK dlamch('E'): relative machine precision (2^-53) */
const EPS = 2 ** -53;
const EPS2 = EPS * EPS;
/** LAPACK dlamch('S'): safe minimum */
const SAFMIN = 2 ** -1022;

export interface Eigen2x2 {
  /** smaller eigenvalue */
  value0: number;
  /** larger eigenvalue */
  value1: number;
  /** eigenvector of value1 (numpy: eig_vecs[:, 1]) */
  v1x: number;
  v1y: number;
  /** eigenvector of value0 (numpy: eig_vecs[:, 0]) */
  v0x: number;
  v0y: number;
}

export function symmetricEigen2x2(a: number, b: number, c: number, out: Eigen2x2): Eigen2x2 {
  // dsteqr, initial splitting test
  let split = b === 0 || Math.abs(b) <= Math.sqrt(Math.abs(a)) * Math.sqrt(Math.abs(c)) * EPS;
  if (!split) {
    // QL (|c| >= |a|) or QR iteration: second, squared splitting test
    const tst = Math.abs(b) * Math.abs(b);
    split = Math.abs(c) < Math.abs(a) ? tst <= EPS2 * Math.abs(c) * Math.abs(a) + SAFMIN : tst <= EPS2 * Math.abs(a) * Math.abs(c) + SAFMIN;
  }
  let d0: number, d1: number, z00: number, z10: number, z01: number, z11: number;
  if (split) {
    d0 = a;
    d1 = c;
    z00 = 1;
    z10 = 0; // column 0
    z01 = 0;
    z11 = 1; // column 1
  } else {
    const r = dlaev2(a, b, c);
    // dlasr applied to the identity: column 0 = (cs, sn), column 1 = (-sn, cs)
    d0 = r.rt1;
    d1 = r.rt2;
    z00 = r.cs1;
    z10 = r.sn1;
    z01 = -r.sn1;
    z11 = r.cs1;
  }
  // selection sort, ascending
  if (d1 < d0) {
    out.value0 = d1;
    out.value1 = d0;
    out.v0x = z01;
    out.v0y = z11;
    out.v1x = z00;
    out.v1y = z10;
  } else {
    out.value0 = d0;
    out.value1 = d1;
    out.v0x = z00;
    out.v0y = z10;
    out.v1x = z01;
    out.v1y = z11;
  }
  return out;
}

/** LAPACK dlaev2: eigen-decomposition of [[a, b], [b, c]]; rt1 has the larger absolute value, (cs1, sn1) its eigenvector. */
function dlaev2(a: number, b: number, c: number): { rt1: number; rt2: number; cs1: number; sn1: number } {
  const sm = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  let acmx: number, acmn: number;
  if (Math.abs(a) > Math.abs(c)) {
    acmx = a;
    acmn = c;
  } else {
    acmx = c;
    acmn = a;
  }
  let rt: number;
  if (adf > ab) {
    const q = ab / adf;
    rt = adf * Math.sqrt(1 + q * q);
  } else if (adf < ab) {
    const q = adf / ab;
    rt = ab * Math.sqrt(1 + q * q);
  } else {
    rt = ab * Math.SQRT2;
  }
  let rt1: number, rt2: number, sgn1: number;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let cs: number, sgn2: number;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: number, sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  return { rt1, rt2, cs1, sn1 };
}
