/**
 * Colour maps as 256-entry lookup tables of packed RGBA (little-endian, as
 * ImageData's Uint32 view expects), built from the shared figure colour maps
 * (d3-scale-chromatic, plus the classic "jet" for the traditional HEP look).
 */
import { colormapHex, figureColormapNames, type FigureColormap } from '../../src-worker/figure/figure-colors.js';

export const colormapNames = figureColormapNames;
export type ColormapName = FigureColormap;

export const LUT_SIZE = 256;

/** Parses "#rrggbb" or "rgb(r, g, b)" into 0..255 components. */
export function parseCssColor(css: string): [number, number, number] {
  if (css.startsWith('#') && css.length === 7) {
    return [parseInt(css.slice(1, 3), 16), parseInt(css.slice(3, 5), 16), parseInt(css.slice(5, 7), 16)];
  }
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) throw new Error(`cannot parse colour "${css}"`);
  return [Math.round(Number(m[1])), Math.round(Number(m[2])), Math.round(Number(m[3]))];
}

const cache = new Map<ColormapName, Uint32Array>();

/** 256 packed RGBA colours (alpha 255), index 0 = low end. */
export function colormapLut(name: ColormapName): Uint32Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = parseCssColor(colormapHex(name, i / (LUT_SIZE - 1)));
    lut[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  cache.set(name, lut);
  return lut;
}

/** CSS colour of a LUT entry. */
export function lutCss(lut: Uint32Array, i: number): string {
  const v = lut[i];
  return `rgb(${v & 255}, ${(v >>> 8) & 255}, ${(v >>> 16) & 255})`;
}
