/**
 * Concentration parameters as ctapipe 0.26 `concentration_parameters`
 * computes them on the cleaned pixels:
 * - cog: fraction of the intensity in pixels closer to the centroid than one
 *   pixel width (per pixel: in-circle diameter for hexagons, edge for squares);
 * - core: fraction inside the Hillas ellipse (longi²/length² + trans²/width² <= 1),
 *   0 when width = 0;
 * - pixel: brightest pixel over the intensity.
 * The partial sums are float32 sums of the float32 image (numpy order),
 * divided by the float64 Hillas intensity, as in ctapipe.
 */
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';
import type { HillasParameters } from '../containers/image-parameters.js';
import type { ConcentrationParameters } from '../containers/image-parameters.js';

/**
 * @param pixX, pixY positions of the n selected pixels (same frame as `hillas`)
 * @param pixelWidth width of each selected pixel (same unit)
 * @param image float32 charges of the selected pixels
 * @param scratch float32 scratch of length >= n
 */
export function concentrationParameters(
  pixX: Float64Array,
  pixY: Float64Array,
  pixelWidth: Float64Array,
  image: Float32Array,
  n: number,
  hillas: HillasParameters,
  scratch: Float32Array = new Float32Array(n),
  out: ConcentrationParameters = { cog: NaN, core: NaN, pixel: NaN },
): ConcentrationParameters {
  const hx = hillas.x,
    hy = hillas.y;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const dx = pixX[i] - hx;
    const dy = pixY[i] - hy;
    const w = pixelWidth[i];
    if (dx * dx + dy * dy < w * w) scratch[m++] = image[i];
  }
  out.cog = pairwiseSum32(scratch, m) / hillas.intensity;

  if (hillas.width !== 0) {
    const cosPsi = Math.cos(hillas.psiRad);
    const sinPsi = Math.sin(hillas.psiRad);
    const l2 = hillas.length * hillas.length;
    const w2 = hillas.width * hillas.width;
    m = 0;
    for (let i = 0; i < n; i++) {
      const dx = pixX[i] - hx;
      const dy = pixY[i] - hy;
      const longi = dx * cosPsi + dy * sinPsi;
      const trans = dx * -sinPsi + dy * cosPsi;
      if ((longi * longi) / l2 + (trans * trans) / w2 <= 1.0) scratch[m++] = image[i];
    }
    out.core = pairwiseSum32(scratch, m) / hillas.intensity;
  } else {
    out.core = 0.0;
  }

  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = image[i];
    if (v > max || v !== v) max = v;
    if (v !== v) break;
  }
  out.pixel = max / hillas.intensity;
  return out;
}
