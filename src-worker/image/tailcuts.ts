/**
 * Two-threshold tail-cuts image cleaning with the semantics of ctapipe 0.26
 * `ctapipe.image.tailcuts_clean`:
 *
 *     pic    = image >= picture_thresh
 *     in_pic = pic                                   if keep_isolated_pixels or min_n == 0
 *            = pic & (# pic row-neighbours >= min_n) otherwise
 *     bnd    = image >= boundary_thresh
 *     mask   = (bnd & any in_pic neighbour) | in_pic                        (keep_isolated_pixels)
 *            = (bnd & any in_pic neighbour) | (in_pic & any bnd neighbour)  (otherwise)
 *
 * "Neighbour" means the row of ctapipe's neighbour matrix (see ../geometry/neighbors.ts).
 * For a float32 image the thresholds are compared as float32 (numpy casts the
 * Python float to the array's dtype), so they are rounded with Math.fround.
 *
 * Only pixels above one of the thresholds are visited twice; the cost is one
 * pass over the image plus the neighbours of those pixels. No allocation when
 * a workspace (and output mask) is passed.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';

export interface TailcutsOptions {
  /** p.e.: pixels at or above are picture pixels */
  pictureThresh: number;
  /** p.e.: pixels at or above survive if next to a picture pixel */
  boundaryThresh: number;
  /** keep picture pixels without any neighbour above the boundary threshold */
  keepIsolatedPixels: boolean;
  /** a picture pixel needs at least this many picture neighbours (ignored with keepIsolatedPixels) */
  minNumberPictureNeighbors: number;
}

/** ctapipe's `tailcuts_clean` defaults. */
export const TAILCUTS_DEFAULTS: TailcutsOptions = {
  pictureThresh: 7,
  boundaryThresh: 5,
  keepIsolatedPixels: false,
  minNumberPictureNeighbors: 0,
};

/** Reusable scratch memory for one camera (one per worker thread). */
export interface TailcutsWorkspace {
  /** per pixel: bit 0 above picture, bit 1 above boundary, bit 2 in picture */
  flags: Uint8Array;
  /** pixels above either threshold, ascending */
  candidates: Int32Array;
  /** surviving pixels, ascending (filled by tailcutsCleanInto) */
  selected: Int32Array;
}

export function createTailcutsWorkspace(nPixels: number): TailcutsWorkspace {
  return { flags: new Uint8Array(nPixels), candidates: new Int32Array(nPixels), selected: new Int32Array(nPixels) };
}

const PIC = 1;
const BND = 2;
const IN_PIC = 4;
/** some row neighbour is in the picture */
const NEXT_TO_PIC = 8;

/**
 * Columns of the neighbour matrix (for pixel j: the pixels whose row lists j),
 * to push "next to a picture pixel" from the few picture pixels instead of
 * scanning the neighbours of every pixel above the boundary threshold.
 * Equal to the rows for symmetric matrices (all regular cameras).
 */
const transposeCache = new WeakMap<PixelNeighbors, PixelNeighbors>();

export function transposedNeighbors(nb: PixelNeighbors): PixelNeighbors {
  let t = transposeCache.get(nb);
  if (t) return t;
  const n = nb.nPixels;
  const offsets = new Int32Array(n + 1);
  for (let p = 0; p < nb.indices.length; p++) offsets[nb.indices[p] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const indices = new Int32Array(nb.indices.length);
  for (let i = 0; i < n; i++) {
    for (let p = nb.offsets[i]; p < nb.offsets[i + 1]; p++) indices[fill[nb.indices[p]]++] = i;
  }
  let symmetric = true;
  for (let k = 0; k < indices.length && symmetric; k++) symmetric = indices[k] === nb.indices[k];
  for (let i = 0; i <= n && symmetric; i++) symmetric = offsets[i] === nb.offsets[i];
  t = symmetric ? nb : { nPixels: n, offsets, indices };
  transposeCache.set(nb, t);
  return t;
}

/**
 * Cleans `image` and returns the mask (1 = pixel survives). Pass `out` (and a
 * workspace) to avoid allocating.
 */
export function tailcutsClean(
  neighbors: PixelNeighbors,
  image: Float32Array | Float64Array,
  options: TailcutsOptions,
  out?: Uint8Array,
  workspace?: TailcutsWorkspace,
): Uint8Array {
  const n = neighbors.nPixels;
  const mask = out ?? new Uint8Array(n);
  tailcutsCleanInto(neighbors, image, options, mask, workspace ?? createTailcutsWorkspace(n));
  return mask;
}

/**
 * Core of tailcutsClean: writes the mask, fills `workspace.selected` with the
 * surviving pixel indices in ascending order and returns how many there are.
 */
export function tailcutsCleanInto(
  neighbors: PixelNeighbors,
  image: Float32Array | Float64Array,
  options: TailcutsOptions,
  mask: Uint8Array,
  workspace: TailcutsWorkspace,
): number {
  const n = neighbors.nPixels;
  if (image.length !== n) throw new Error(`image has ${image.length} pixels but the camera has ${n}`);
  if (mask.length !== n) throw new Error(`mask has ${mask.length} entries but the camera has ${n}`);
  const { flags, candidates, selected } = workspace;
  if (flags.length < n || candidates.length < n || selected.length < n) throw new Error(`tailcuts workspace is smaller than the camera (${n} pixels)`);
  const offsets = neighbors.offsets;
  const indices = neighbors.indices;

  const isF32 = image instanceof Float32Array;
  const picThresh = isF32 ? Math.fround(options.pictureThresh) : options.pictureThresh;
  const bndThresh = isF32 ? Math.fround(options.boundaryThresh) : options.boundaryThresh;
  const keepIsolated = options.keepIsolatedPixels;
  const minN = options.minNumberPictureNeighbors;
  const countNeighbors = !(keepIsolated || minN === 0);

  // pass 1: thresholds, remember pixels above either threshold (most pixels are below both)
  flags.fill(0, 0, n);
  mask.fill(0);
  const lowThresh = picThresh < bndThresh ? picThresh : bndThresh;
  let nCand = 0;
  for (let i = 0; i < n; i++) {
    const v = image[i];
    if (v >= lowThresh) {
      flags[i] = (v >= picThresh ? PIC : 0) | (v >= bndThresh ? BND : 0);
      candidates[nCand++] = i;
    }
  }

  // pass 2: picture pixels with enough picture neighbours; mark the pixels next to them
  const cols = transposedNeighbors(neighbors);
  const colOffsets = cols.offsets;
  const colIndices = cols.indices;
  let nInPic = 0;
  for (let c = 0; c < nCand; c++) {
    const i = candidates[c];
    const f = flags[i];
    if ((f & PIC) === 0) continue;
    if (countNeighbors) {
      let count = 0;
      for (let p = offsets[i], e = offsets[i + 1]; p < e; p++) count += flags[indices[p]] & PIC;
      if (count < minN) continue;
    }
    flags[i] |= IN_PIC;
    nInPic++;
  }
  if (nInPic === 0) return 0;
  for (let c = 0; c < nCand; c++) {
    const j = candidates[c];
    if ((flags[j] & IN_PIC) === 0) continue;
    for (let p = colOffsets[j], e = colOffsets[j + 1]; p < e; p++) flags[colIndices[p]] |= NEXT_TO_PIC;
  }

  // pass 3: the mask
  let nSel = 0;
  for (let c = 0; c < nCand; c++) {
    const i = candidates[c];
    const f = flags[i];
    let keep = (f & BND) !== 0 && (f & NEXT_TO_PIC) !== 0;
    if (!keep && (f & IN_PIC) !== 0) {
      if (keepIsolated) {
        keep = true;
      } else {
        for (let p = offsets[i], e = offsets[i + 1]; p < e; p++) {
          if ((flags[indices[p]] & BND) !== 0) {
            keep = true;
            break;
          }
        }
      }
    }
    if (keep) {
      mask[i] = 1;
      selected[nSel++] = i;
    }
  }
  return nSel;
}
