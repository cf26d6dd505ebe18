/**
 * Pixel width as ctapipe's `CameraGeometry.pixel_width`, from the pixel area:
 * hexagon: in-circle diameter 2·sqrt(area / (2·sqrt(3))); square: edge sqrt(area).
 * Same unit as the positions (m, or deg in the telescope frame).
 */
import type { PixelShape } from '../containers/camera-geometry.js';

export function pixelWidthFromArea(area: number, pixType: PixelShape): number {
  return pixType === 'hexagon' ? 2 * Math.sqrt(area / (2 * Math.sqrt(3))) : Math.sqrt(area);
}

export function pixelWidths(pixArea: ArrayLike<number>, pixType: PixelShape): Float64Array {
  const out = new Float64Array(pixArea.length);
  for (let i = 0; i < pixArea.length; i++) out[i] = pixelWidthFromArea(pixArea[i], pixType);
  return out;
}
