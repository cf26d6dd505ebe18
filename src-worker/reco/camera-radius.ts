/**
 * Camera radius as ctapipe's HillasReconstructor uses it to place the second
 * point on each Hillas axis.
 */
import { type PixelNeighbors, neighborInDegree } from '../instrument/neighbors.js';

/**
 * ctapipe `CameraGeometry.guess_radius()`: mean distance, from the mean pixel
 * position, of the border pixels (those with fewer neighbours than the
 * maximum number of neighbours of any pixel), m.
 *
 * @param neighborCount neighbour count of each pixel as ctapipe 0.26's
 *   `get_border_pixel_mask` takes it: the column sums of the neighbour matrix
 *   (`neighbor_matrix_sparse.sum(axis=0)`), i.e. how often a pixel is listed
 *   as a neighbour; equal to the row lengths for symmetric neighbour matrices
 */
export function guessCameraRadius(pixX: ArrayLike<number>, pixY: ArrayLike<number>, neighborCount: ArrayLike<number>): number {
  const n = pixX.length;
  if (pixY.length !== n || neighborCount.length !== n) {
    throw new Error(`guessCameraRadius: pixX (${n}), pixY (${pixY.length}) and neighborCount (${neighborCount.length}) differ in length`);
  }
  let cx = 0;
  let cy = 0;
  let maxNeighbors = 0;
  for (let i = 0; i < n; i++) {
    cx += pixX[i];
    cy += pixY[i];
    if (neighborCount[i] > maxNeighbors) maxNeighbors = neighborCount[i];
  }
  cx /= n;
  cy /= n;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (neighborCount[i] < maxNeighbors) {
      sum += Math.hypot(pixX[i] - cx, pixY[i] - cy);
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/** guessCameraRadius with the counts taken from ctapipe-style neighbour lists. */
export function guessCameraRadiusFromNeighbors(pixX: ArrayLike<number>, pixY: ArrayLike<number>, neighbors: PixelNeighbors): number {
  return guessCameraRadius(pixX, pixY, neighborInDegree(neighbors));
}

/**
 * The camera radius in the telescope frame, deg: ctapipe transforms the
 * camera-frame point (0, radius) with the geometry's focal length and takes
 * its fov_lon, i.e. radius / focalLength rad (equidistant mapping).
 */
export function cameraRadiusDeg(radiusM: number, focalLengthM: number): number {
  return ((radiusM / focalLengthM) * 180) / Math.PI;
}
