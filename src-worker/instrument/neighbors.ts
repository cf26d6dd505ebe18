/**
 * Pixel neighbours of a camera, computed the way ctapipe 0.26 does it
 * (`CameraGeometry.calc_pixel_neighbors`, used by `CameraGeometry.neighbors`
 * and `neighbor_matrix_sparse`):
 *
 * - a k-nearest-neighbour query of every pixel centre against all pixel
 *   centres with k = max_neighbors + 1 (the first hit is the pixel itself and
 *   is dropped);
 * - hexagon (and circle) pixels: max_neighbors = 6, L2 norm, radius 1.4;
 *   square pixels: max_neighbors = 4, L1 norm, radius 1.5;
 *   square with `diagonal`: max_neighbors = 8, L2 norm, radius 1.95;
 * - a candidate is a neighbour if its distance is strictly smaller than
 *   radius × (distance to the nearest other pixel).
 *
 * Distances are computed like scipy's cKDTree: L2 as sqrt(dx² + dy²),
 * L1 as |dx| + |dy|. Among candidates at exactly the same distance at the
 * k-th place the lower pixel index wins (cKDTree's own tie order is a
 * traversal detail; the unit test checks the 13 reference cameras).
 *
 * The result is stored as CSR: the neighbours of pixel i are
 * `indices[offsets[i] .. offsets[i+1])`, sorted ascending, exactly the row i
 * of ctapipe's neighbour matrix (which need not be symmetric for irregular
 * cameras; every algorithm here uses rows, as ctapipe does).
 */
import type { PixelShape } from '../containers/camera-geometry.js';

export interface PixelNeighbors {
  nPixels: number;
  /** Int32Array(nPixels + 1): row start offsets into `indices` */
  offsets: Int32Array;
  /** neighbour pixel indices, ascending within each row */
  indices: Int32Array;
}

export interface NeighborOptions {
  /** square pixels only: also count the diagonal pixels (up to 8 neighbours) */
  diagonal?: boolean;
}

/** The k-NN parameters ctapipe uses for a pixel shape. */
export function neighborSearchParameters(pixType: PixelShape, options: NeighborOptions = {}): { maxNeighbors: number; radius: number; norm: 1 | 2 } {
  if (pixType === 'hexagon') return { maxNeighbors: 6, radius: 1.4, norm: 2 };
  if (options.diagonal) return { maxNeighbors: 8, radius: 1.95, norm: 2 };
  return { maxNeighbors: 4, radius: 1.5, norm: 1 };
}

/**
 * Computes the neighbour lists of all pixels from their centres
 * (x, y in any common unit; only ratios of distances matter).
 */
export function computePixelNeighbors(pixX: ArrayLike<number>, pixY: ArrayLike<number>, pixType: PixelShape, options: NeighborOptions = {}): PixelNeighbors {
  const n = pixX.length;
  if (pixY.length !== n) throw new Error(`pixX has ${n} entries but pixY has ${pixY.length}`);
  if (n <= 1) {
    // ctapipe: a single pixel is its own neighbour (matrix of ones)
    const offsets = new Int32Array(n + 1);
    if (n === 1) offsets[1] = 1;
    return { nPixels: n, offsets, indices: new Int32Array(n) };
  }
  const { maxNeighbors, radius, norm } = neighborSearchParameters(pixType, options);
  const k = maxNeighbors + 1;
  const grid = buildGrid(pixX, pixY);

  const rows: number[][] = new Array(n);
  const candDist = new Float64Array(k);
  const candIdx = new Int32Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const m = kNearest(grid, pixX, pixY, i, k, norm, candDist, candIdx);
    // candidates are sorted by (distance, index); the first is the pixel itself
    // unless another pixel sits at exactly the same place (distance 0)
    let minDistance = Infinity;
    for (let c = 1; c < m; c++) if (candDist[c] < minDistance) minDistance = candDist[c];
    const limit = radius * minDistance;
    const row: number[] = [];
    for (let c = 1; c < m; c++) if (candDist[c] < limit) row.push(candIdx[c]);
    row.sort((a, b) => a - b);
    rows[i] = row;
    total += row.length;
  }
  const offsets = new Int32Array(n + 1);
  const indices = new Int32Array(total);
  let p = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = p;
    for (const j of rows[i]) indices[p++] = j;
  }
  offsets[n] = p;
  return { nPixels: n, offsets, indices };
}

/** Builds CSR neighbours from explicit lists (e.g. ctapipe's `geom.neighbors`). */
export function neighborsFromLists(lists: ReadonlyArray<ReadonlyArray<number>>): PixelNeighbors {
  const n = lists.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += lists[i].length;
  const indices = new Int32Array(total);
  let p = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = p;
    const row = Array.from(lists[i]).sort((a, b) => a - b);
    for (const j of row) {
      if (!Number.isInteger(j) || j < 0 || j >= n) throw new Error(`neighbour ${j} of pixel ${i} is not a pixel index (0..${n - 1})`);
      indices[p++] = j;
    }
  }
  offsets[n] = p;
  return { nPixels: n, offsets, indices };
}

/** The neighbour lists as plain arrays (ctapipe's `geom.neighbors`). */
export function neighborsToLists(nb: PixelNeighbors): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < nb.nPixels; i++) out.push(Array.from(nb.indices.subarray(nb.offsets[i], nb.offsets[i + 1])));
  return out;
}

/** Number of times each pixel appears as someone's neighbour (column sums of the matrix). */
export function neighborInDegree(nb: PixelNeighbors): Int32Array {
  const deg = new Int32Array(nb.nPixels);
  for (let p = 0; p < nb.indices.length; p++) deg[nb.indices[p]]++;
  return deg;
}

// --- uniform grid k-nearest-neighbour search ---------------------------------

interface Grid {
  x0: number;
  y0: number;
  cell: number;
  nx: number;
  ny: number;
  /** CSR of pixel indices per cell */
  cellStart: Int32Array;
  cellItems: Int32Array;
}

function buildGrid(pixX: ArrayLike<number>, pixY: ArrayLike<number>): Grid {
  const n = pixX.length;
  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = pixX[i],
      y = pixY[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`pixel ${i} has a non-finite position (${x}, ${y})`);
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  const w = Math.max(xmax - xmin, 1e-300);
  const h = Math.max(ymax - ymin, 1e-300);
  // about 2 pixels per cell
  let cell = Math.sqrt((w * h * 2) / n);
  if (!(cell > 0) || !Number.isFinite(cell)) cell = Math.max(w, h) || 1;
  const nx = Math.max(1, Math.min(4096, Math.floor(w / cell) + 1));
  const ny = Math.max(1, Math.min(4096, Math.floor(h / cell) + 1));
  const cellOf = new Int32Array(n);
  const counts = new Int32Array(nx * ny + 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(nx - 1, Math.floor((pixX[i] - xmin) / cell));
    const cy = Math.min(ny - 1, Math.floor((pixY[i] - ymin) / cell));
    const c = cy * nx + cx;
    cellOf[i] = c;
    counts[c + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) counts[c + 1] += counts[c];
  const cellItems = new Int32Array(n);
  const fill = counts.slice(0, nx * ny);
  for (let i = 0; i < n; i++) cellItems[fill[cellOf[i]]++] = i;
  return { x0: xmin, y0: ymin, cell, nx, ny, cellStart: counts, cellItems };
}

/**
 * The k nearest pixels of pixel q (including q itself), sorted by
 * (distance, index). Returns how many were found (min(k, n)).
 */
function kNearest(
  g: Grid,
  pixX: ArrayLike<number>,
  pixY: ArrayLike<number>,
  q: number,
  k: number,
  norm: 1 | 2,
  outDist: Float64Array,
  outIdx: Int32Array,
): number {
  const qx = pixX[q],
    qy = pixY[q];
  const cx = Math.min(g.nx - 1, Math.floor((qx - g.x0) / g.cell));
  const cy = Math.min(g.ny - 1, Math.floor((qy - g.y0) / g.cell));
  let m = 0;
  const maxRing = Math.max(g.nx, g.ny);
  for (let ring = 0; ring <= maxRing; ring++) {
    // every point in this ring is at least (ring - 1) * cell away in L∞ (≤ L2 ≤ L1)
    if (m === k && (ring - 1) * g.cell > outDist[k - 1]) break;
    const yLo = cy - ring,
      yHi = cy + ring,
      xLo = cx - ring,
      xHi = cx + ring;
    for (let yy = yLo; yy <= yHi; yy++) {
      if (yy < 0 || yy >= g.ny) continue;
      const edgeRow = yy === yLo || yy === yHi;
      // full rows at the top and bottom of the ring, only the two ends in between
      const step = edgeRow ? 1 : xHi - xLo;
      for (let xx = xLo; xx <= xHi; xx += step) {
        if (xx >= 0 && xx < g.nx) {
          const c = yy * g.nx + xx;
          for (let p = g.cellStart[c]; p < g.cellStart[c + 1]; p++) {
            const j = g.cellItems[p];
            const dx = qx - pixX[j];
            const dy = qy - pixY[j];
            const d = norm === 2 ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
            m = insertCandidate(outDist, outIdx, m, k, d, j);
          }
        }
      }
    }
  }
  return m;
}

function insertCandidate(dist: Float64Array, idx: Int32Array, m: number, k: number, d: number, j: number): number {
  if (m === k) {
    const ld = dist[k - 1];
    if (d > ld || (d === ld && j > idx[k - 1])) return m;
  } else {
    m++;
  }
  let p = m - 1;
  while (p > 0 && (dist[p - 1] > d || (dist[p - 1] === d && idx[p - 1] > j))) {
    dist[p] = dist[p - 1];
    idx[p] = idx[p - 1];
    p--;
  }
  dist[p] = d;
  idx[p] = j;
  return m;
}
