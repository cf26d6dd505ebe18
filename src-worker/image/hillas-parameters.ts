/**
 * Hillas parameters with the definitions, units and arithmetic of ctapipe
 * 0.26 `ctapipe.image.hillas_parameters`:
 *
 * - intensity = Σ image; cog = intensity-weighted mean of the pixel positions;
 * - covariance of (x, y) weighted by the image (`np.cov(..., aweights, ddof=0)`,
 *   whose matrix product numpy hands to OpenBLAS: summed here in OpenBLAS's
 *   order with its fused multiply-adds, ../numeric/openblas-gemm-sum.ts, so the
 *   bits are numpy's), its eigenvalues (rounded to 0 when |λ| <= float64 eps)
 *   give width² and length² — for pixels on one line the smaller one is
 *   rounding noise, and as in ctapipe the width is then exactly 0, or NaN when
 *   the noise is negative beyond eps — psi = atan(vy / vx) of the major
 *   eigenvector (π/2 when vx == 0), so psi ∈ (-90°, 90°];
 * - skewness and kurtosis of the longitudinal coordinate (3rd / 4th moment
 *   over length³ / length⁴);
 * - psi_uncertainty and transverse_cog_uncertainty from the weighted
 *   least-squares line fit of the transverse on the longitudinal coordinate
 *   (weights image / pix_area), length/width uncertainties as ctapipe computes
 *   them (MAGIC internal note).
 *
 * Works in any frame: positions in m (CameraFrame: x, y) or in deg
 * (TelescopeFrame: fov_lon, fov_lat); lengths come out in the same unit,
 * angles (phi, psi, psi_uncertainty) in degrees.
 *
 * Input is the list of selected pixels only ("geometry[mask], image[mask]"),
 * gathered into contiguous arrays of length >= n. Sums that numpy computes
 * with `np.sum` / `np.average` use numpy's pairwise order; the eigen-solver
 * follows LAPACK (see ../numeric/symmetric-eigen-2x2.ts).
 */
import { pairwiseSum64 } from '../numeric/numpy-pairwise-sum.js';
import { symmetricEigen2x2, type Eigen2x2 } from '../numeric/symmetric-eigen-2x2.js';
import { gemmDot } from '../numeric/openblas-gemm-sum.js';
import type { HillasParameters } from '../containers/image-parameters.js';

/** Thrown (like ctapipe's) when the image has zero intensity. */
export class HillasParameterizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HillasParameterizationError';
  }
}

export function emptyHillasParameters(): HillasParameters {
  return {
    intensity: NaN,
    x: NaN,
    y: NaN,
    r: NaN,
    phi: NaN,
    length: NaN,
    lengthUncertainty: NaN,
    width: NaN,
    widthUncertainty: NaN,
    psi: NaN,
    psiRad: NaN,
    psiUncertainty: NaN,
    skewness: NaN,
    kurtosis: NaN,
    transverseCogUncertainty: NaN,
  };
}

/** Scratch arrays for hillasParameters, each of length >= the number of selected pixels. */
export interface HillasWorkspace {
  t: Float64Array;
  dx: Float64Array;
  dy: Float64Array;
  longi: Float64Array;
  trans: Float64Array;
  /** image-weighted centred coordinate (the covariance's second factor) */
  vw: Float64Array;
}

export function createHillasWorkspace(capacity: number): HillasWorkspace {
  return {
    t: new Float64Array(capacity),
    dx: new Float64Array(capacity),
    dy: new Float64Array(capacity),
    longi: new Float64Array(capacity),
    trans: new Float64Array(capacity),
    vw: new Float64Array(capacity),
  };
}

/** float64 machine epsilon: ctapipe's HILLAS_ATOL */
const HILLAS_ATOL = 2 ** -52;
const RAD_TO_DEG = 180 / Math.PI;

const eig: Eigen2x2 = { value0: 0, value1: 0, v0x: 0, v0y: 0, v1x: 0, v1y: 0 };

/**
 * Hillas parameters of the n selected pixels.
 * @param pixX x / fov_lon of each selected pixel
 * @param pixY y / fov_lat of each selected pixel
 * @param pixArea area of each selected pixel (m² or deg²)
 * @param image charge of each selected pixel (p.e., float32 values in a float64 array)
 * @throws HillasParameterizationError when the intensity is 0
 */
export function hillasParameters(
  pixX: Float64Array,
  pixY: Float64Array,
  pixArea: Float64Array,
  image: Float64Array,
  n: number,
  workspace: HillasWorkspace = createHillasWorkspace(n),
  out: HillasParameters = emptyHillasParameters(),
): HillasParameters {
  const { t, dx, dy, longi, trans, vw } = workspace;
  if (t.length < n) throw new Error(`Hillas workspace holds ${t.length} pixels, ${n} needed`);

  const size = pairwiseSum64(image, n);
  if (size === 0 || n === 0) {
    throw new HillasParameterizationError('size=0, cannot calculate HillasParameters');
  }

  // cog: np.average(pix, weights=image)
  for (let i = 0; i < n; i++) t[i] = pixX[i] * image[i];
  const cogX = pairwiseSum64(t, n) / size;
  for (let i = 0; i < n; i++) t[i] = pixY[i] * image[i];
  const cogY = pairwiseSum64(t, n) / size;

  const cogR = Math.sqrt(cogX * cogX + cogY * cogY);
  const cogPhi = Math.atan2(cogY, cogX);

  for (let i = 0; i < n; i++) {
    dx[i] = pixX[i] - cogX;
    dy[i] = pixY[i] - cogY;
  }

  // np.cov(delta_x, delta_y, aweights=image, ddof=0): subtract the weighted
  // mean again, X = [u, v]; dot(X, (X * w).T) through OpenBLAS; times 1 / Σw
  for (let i = 0; i < n; i++) t[i] = dx[i] * image[i];
  const avgDx = pairwiseSum64(t, n) / size;
  for (let i = 0; i < n; i++) t[i] = dy[i] * image[i];
  const avgDy = pairwiseSum64(t, n) / size;
  // longi, trans are free until psi is known: u, v there; t = u·w, vw = v·w
  const u = longi,
    v = trans;
  for (let i = 0; i < n; i++) {
    u[i] = dx[i] - avgDx;
    v[i] = dy[i] - avgDy;
    t[i] = u[i] * image[i];
    vw[i] = v[i] * image[i];
  }
  const invFact = 1 / size;
  const c00 = gemmDot(u, t, n) * invFact;
  const c01 = gemmDot(u, vw, n) * invFact;
  const c10 = gemmDot(v, t, n) * invFact;
  const c11 = gemmDot(v, vw, n) * invFact;

  // np.linalg.eigh (lower triangle)
  symmetricEigen2x2(c00, c10, c11, eig);
  let ev0 = eig.value0;
  let ev1 = eig.value1;
  if (Math.abs(ev0) <= HILLAS_ATOL) ev0 = 0;
  if (Math.abs(ev1) <= HILLAS_ATOL) ev1 = 0;
  const width = Math.sqrt(ev0);
  const length = Math.sqrt(ev1);
  const vx = eig.v1x;
  const vy = eig.v1y;

  let psi = NaN,
    psiUncert = NaN,
    transverseCogUncert = NaN,
    skewness = NaN,
    kurtosis = NaN;
  if (length !== 0) {
    psi = vx !== 0 ? Math.atan(vy / vx) : Math.PI / 2;
    const cosPsi = Math.cos(psi);
    const sinPsi = Math.sin(psi);
    for (let i = 0; i < n; i++) {
      longi[i] = dx[i] * cosPsi + dy[i] * sinPsi;
      trans[i] = dx[i] * -sinPsi + dy[i] * cosPsi;
    }
    for (let i = 0; i < n; i++) {
      const l = longi[i];
      t[i] = l * l * l * image[i];
    }
    const m3Long = pairwiseSum64(t, n) / size;
    skewness = m3Long / Math.pow(length, 3);
    for (let i = 0; i < n; i++) {
      const l2 = longi[i] * longi[i];
      t[i] = l2 * l2 * image[i];
    }
    const m4Long = pairwiseSum64(t, n) / size;
    kurtosis = m4Long / Math.pow(length, 4);

    // weighted least squares trans = p0 * longi + p1, weights image / pix_area
    let s00 = 0,
      s01 = 0,
      s10 = 0,
      s11 = 0;
    for (let i = 0; i < n; i++) {
      const w = image[i] / pixArea[i];
      const lw = longi[i] * w;
      s00 += lw * longi[i];
      s01 += lw;
      s10 += w * longi[i];
      s11 += w;
    }
    const det = s00 * s11 - s01 * s10;
    const inv00 = s11 / det;
    const inv01 = -s01 / det;
    const inv11 = s00 / det;
    let p0 = 0;
    for (let i = 0; i < n; i++) {
      const w = image[i] / pixArea[i];
      p0 += (inv00 * longi[i] + inv01) * w * trans[i];
    }
    const tanTerm = Math.tan(((width / length) * Math.PI) / 2.0);
    psiUncert = Math.sqrt(inv00 + p0 * p0) * (1.0 + tanTerm * tanTerm);
    const sinP0 = Math.sin(p0);
    transverseCogUncert = Math.sqrt(inv11 * (1.0 + sinP0 * sinP0));
  }

  // length / width uncertainties
  const cos2Psi = Math.cos(2 * psi);
  const a = (1 + cos2Psi) / 2;
  const b = (1 - cos2Psi) / 2;
  const c = Math.sin(2 * psi);
  let lengthUncertainty = NaN;
  let widthUncertainty = NaN;
  if (length !== 0) {
    for (let i = 0; i < n; i++) {
      const A = (dx[i] * dx[i] - c00) / size;
      const B = (dy[i] * dy[i] - c11) / size;
      const C = (dx[i] * dy[i] - c01) / size;
      const q = a * A + b * B + c * C;
      t[i] = q * q * image[i];
    }
    lengthUncertainty = Math.sqrt(pairwiseSum64(t, n)) / (2 * length);
  }
  if (width !== 0) {
    for (let i = 0; i < n; i++) {
      const A = (dx[i] * dx[i] - c00) / size;
      const B = (dy[i] * dy[i] - c11) / size;
      const C = (dx[i] * dy[i] - c01) / size;
      const q = b * A + a * B + -c * C;
      t[i] = q * q * image[i];
    }
    widthUncertainty = Math.sqrt(pairwiseSum64(t, n)) / (2 * width);
  }

  out.intensity = size;
  out.x = cogX;
  out.y = cogY;
  out.r = cogR;
  out.phi = cogPhi * RAD_TO_DEG;
  out.length = length;
  out.lengthUncertainty = lengthUncertainty;
  out.width = width;
  out.widthUncertainty = widthUncertainty;
  out.psi = psi * RAD_TO_DEG;
  out.psiRad = psi;
  out.psiUncertainty = psiUncert * RAD_TO_DEG;
  out.skewness = skewness;
  out.kurtosis = kurtosis;
  out.transverseCogUncertainty = transverseCogUncert;
  return out;
}
