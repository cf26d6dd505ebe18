/**
 * ctapipe 0.26's default invalid-pixel handler, `NeighborAverage`
 * (ctapipe.image.invalid_pixels): per channel, every invalid pixel's image
 * and peak time become the mean over its valid neighbours (summed in
 * float32 in ascending neighbour order, as np.add.at does, then divided and
 * rounded to float32); an invalid pixel without valid neighbours becomes 0.
 * Neighbours are the camera's neighbour matrix rows (PixelNeighbors).
 */
import type { PixelNeighbors } from '../instrument/neighbors.js';

export type InvalidPixelHandlerName = 'NeighborAverage';

/**
 * Interpolates the invalid pixels of `image` and `peakTime` (both
 * `(nChannels, nPixels)`, float32) in place. `invalid` has the same shape
 * (1 = invalid). Returns the number of pixels replaced.
 */
export function neighborAverage(
  image: Float32Array,
  peakTime: Float32Array,
  invalid: Uint8Array,
  nChannels: number,
  nPixels: number,
  neighbors: PixelNeighbors,
): number {
  if (neighbors.nPixels !== nPixels) throw new RangeError(`invalid pixels: neighbours of ${neighbors.nPixels} pixels for ${nPixels} pixels`);
  const n = nChannels * nPixels;
  if (image.length !== n || peakTime.length !== n || invalid.length !== n) {
    throw new RangeError(
      `invalid pixels: image ${image.length}, peak time ${peakTime.length}, mask ${invalid.length} values, expected ${nChannels} × ${nPixels}`,
    );
  }
  const { offsets, indices } = neighbors;
  let replaced = 0;
  for (let c = 0; c < nChannels; c++) {
    const base = c * nPixels;
    // every invalid pixel is averaged from the values before any replacement
    // (ctapipe computes all sums first): valid neighbours are never replaced, so in-place is the same
    for (let p = 0; p < nPixels; p++) {
      if (!invalid[base + p]) continue;
      let imageSum = 0;
      let timeSum = 0;
      let count = 0;
      for (let k = offsets[p], e = offsets[p + 1]; k < e; k++) {
        const nb = indices[k];
        if (invalid[base + nb]) continue;
        imageSum = Math.fround(imageSum + image[base + nb]);
        timeSum = Math.fround(timeSum + peakTime[base + nb]);
        count++;
      }
      image[base + p] = count > 0 ? imageSum / count : 0;
      peakTime[base + p] = count > 0 ? timeSum / count : 0;
      replaced++;
    }
  }
  return replaced;
}
