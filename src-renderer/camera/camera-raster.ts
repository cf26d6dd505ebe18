/**
 * The fast path of the camera view: the pixel polygons are rasterised once
 * into an index map (each screen pixel knows its camera pixel, or -1), and a
 * new image costs one colour lookup per camera pixel plus one copy per screen
 * pixel. Pan and zoom rebuild the map; new images never do.
 * No DOM here, so it is unit-tested in Node.
 */
import type { PixelPolygons } from '../../src-worker/instrument/pixel-polygons.js';

/** world (m) to screen (device px): sx = offsetX + scale·x, sy = offsetY − scale·y */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export function toScreen(t: ViewTransform, x: number, y: number): [number, number] {
  return [t.offsetX + t.scale * x, t.offsetY - t.scale * y];
}

export function toWorld(t: ViewTransform, sx: number, sy: number): [number, number] {
  return [(sx - t.offsetX) / t.scale, (t.offsetY - sy) / t.scale];
}

/** Fits a bounding box into a width × height screen with a margin, y up. */
export function fitTransform(bounds: { xMin: number; xMax: number; yMin: number; yMax: number }, width: number, height: number, margin = 0.04): ViewTransform {
  const w = bounds.xMax - bounds.xMin || 1;
  const h = bounds.yMax - bounds.yMin || 1;
  const scale = Math.min((width * (1 - 2 * margin)) / w, (height * (1 - 2 * margin)) / h);
  const cx = (bounds.xMin + bounds.xMax) / 2;
  const cy = (bounds.yMin + bounds.yMax) / 2;
  return { scale, offsetX: width / 2 - scale * cx, offsetY: height / 2 + scale * cy };
}

/** Index map: camera pixel index per screen pixel (row-major), -1 outside every pixel. */
export function rasterizeIndexMap(polygons: PixelPolygons, t: ViewTransform, width: number, height: number): Int32Array {
  const map = new Int32Array(width * height).fill(-1);
  const nv = polygons.nVertices;
  const n = polygons.centerX.length;
  const sx = new Float64Array(nv);
  const sy = new Float64Array(nv);
  for (let i = 0; i < n; i++) {
    let xMin = Infinity;
    let xMax = -Infinity;
    let yMin = Infinity;
    let yMax = -Infinity;
    const base = i * nv * 2;
    for (let k = 0; k < nv; k++) {
      const x = t.offsetX + t.scale * polygons.vertices[base + 2 * k];
      const y = t.offsetY - t.scale * polygons.vertices[base + 2 * k + 1];
      sx[k] = x;
      sy[k] = y;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    const c0 = Math.max(0, Math.floor(xMin));
    const c1 = Math.min(width - 1, Math.ceil(xMax));
    const r0 = Math.max(0, Math.floor(yMin));
    const r1 = Math.min(height - 1, Math.ceil(yMax));
    if (c0 > c1 || r0 > r1) continue;
    // The polygon is counter-clockwise in world coordinates, so clockwise on screen (y down):
    // a point is inside when no edge has it strictly on its outer side (cross > 0).
    for (let r = r0; r <= r1; r++) {
      const py = r + 0.5;
      for (let c = c0; c <= c1; c++) {
        const px = c + 0.5;
        let inside = true;
        for (let k = 0; k < nv; k++) {
          const k2 = k + 1 === nv ? 0 : k + 1;
          const cross = (sx[k2] - sx[k]) * (py - sy[k]) - (sy[k2] - sy[k]) * (px - sx[k]);
          if (cross > 0) {
            inside = false;
            break;
          }
        }
        if (inside) map[r * width + c] = i;
      }
    }
  }
  return map;
}

/**
 * Colours the screen: `pixelColors` holds one packed RGBA per camera pixel,
 * `out` one per screen pixel (an ImageData's Uint32 view).
 */
export function paintIndexMap(map: Int32Array, pixelColors: Uint32Array, background: number, out: Uint32Array): void {
  for (let j = 0; j < map.length; j++) {
    const i = map[j];
    out[j] = i < 0 ? background : pixelColors[i];
  }
}

/** One packed colour per camera pixel from values through a normaliser and LUT. */
export function colorPixels(values: ArrayLike<number>, normalize: (v: number) => number, lut: Uint32Array, nanColor: number, out: Uint32Array): void {
  const top = lut.length - 1;
  for (let i = 0; i < values.length; i++) {
    const t = normalize(values[i]);
    out[i] = Number.isNaN(t) ? nanColor : lut[(t * top + 0.5) | 0];
  }
}
