/**
 * Camera radius as ctapipe's HillasReconstructor uses it to place the second
 * point on each Hillas axis.
 */

/**
 * ctapipe `CameraGeometry.guess_radius()`: mean distance, from the mean pixel
 * position, of the border pixels (those with fewer neighbours than the
 * maximum number of neighbours of any pixel), m.
 *
 * @param neighborCount number of neighbours of each pixel (ctapipe's
 *   `CameraGeometry.neighbors`, i.e. its neighbour matrix row sums)
 */
export function guessCameraRadius(
  pixX: ArrayLike<number>,
  pixY: ArrayLike<number>,
  neighborCount: ArrayLike<number>,
): number {
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

/**
 * The camera radius in the telescope frame, deg: ctapipe transforms the
 * camera-frame point (0, radius) with the geometry's focal length and takes
 * its fov_lon, i.e. radius / focalLength rad (equidistant mapping).
 */
export function cameraRadiusDeg(radiusM: number, focalLengthM: number): number {
  return ((radiusM / focalLengthM) * 180) / Math.PI;
}
