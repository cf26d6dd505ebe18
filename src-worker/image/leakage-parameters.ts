/**
 * Leakage parameters as ctapipe 0.26 `leakage_parameters`: the fraction of
 * the cleaned pixels, and of their intensity, that lie in the outermost one
 * or two pixel rows of the camera (CameraGeometry.get_border_pixel_mask).
 * Pixel fractions are float64; intensity fractions are float32 sums divided
 * in float32, exactly as numpy does with a float32 image.
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';
import { neighborInDegree } from '../instrument/neighbors.js';
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';
import type { LeakageParameters } from '../containers/image-parameters.js';

/**
 * ctapipe `get_border_pixel_mask(width)`: width 1 = pixels that are listed as
 * neighbour fewer times than the maximum (column sums of the neighbour
 * matrix); width w > 1 = pixels having a (row) neighbour in the width w-1 border.
 */
export function borderPixelMask(neighbors: PixelNeighbors, width = 1): Uint8Array {
  if (!Number.isInteger(width) || width < 1) throw new Error(`border width must be a positive integer, got ${width}`);
  const n = neighbors.nPixels;
  const deg = neighborInDegree(neighbors);
  let maxDeg = 0;
  for (let i = 0; i < n; i++) if (deg[i] > maxDeg) maxDeg = deg[i];
  let mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = deg[i] < maxDeg ? 1 : 0;
  for (let w = 2; w <= width; w++) {
    const next = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let p = neighbors.offsets[i]; p < neighbors.offsets[i + 1]; p++) {
        if (mask[neighbors.indices[p]]) {
          next[i] = 1;
          break;
        }
      }
    }
    mask = next;
  }
  return mask;
}

/**
 * @param border1, border2 border masks of width 1 and 2 over the full camera
 * @param image float32 image of the full camera
 * @param selected indices of the cleaned pixels, ascending; n of them
 * @param scratch float32 scratch of length >= n
 */
export function leakageParameters(
  border1: Uint8Array,
  border2: Uint8Array,
  image: Float32Array,
  selected: Int32Array,
  n: number,
  scratch: Float32Array = new Float32Array(n),
  out: LeakageParameters = { pixelsWidth1: NaN, pixelsWidth2: NaN, intensityWidth1: NaN, intensityWidth2: NaN },
): LeakageParameters {
  for (let k = 0; k < n; k++) scratch[k] = image[selected[k]];
  const nPe = pairwiseSum32(scratch, n);
  let m1 = 0;
  for (let k = 0; k < n; k++) {
    const i = selected[k];
    if (border1[i]) scratch[m1++] = image[i];
  }
  const intensity1 = pairwiseSum32(scratch, m1);
  let m2 = 0;
  for (let k = 0; k < n; k++) {
    const i = selected[k];
    if (border2[i]) scratch[m2++] = image[i];
  }
  const intensity2 = pairwiseSum32(scratch, m2);
  out.pixelsWidth1 = m1 / n;
  out.pixelsWidth2 = m2 / n;
  out.intensityWidth1 = Math.fround(intensity1 / nPe);
  out.intensityWidth2 = Math.fround(intensity2 / nPe);
  return out;
}
