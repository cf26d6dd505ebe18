/**
 * Colour maps as 256-entry lookup tables of packed RGBA (little-endian, as
 * ImageData's Uint32 view expects). The perceptual maps come from
 * d3-scale-chromatic; "jet" is the classic MATLAB/ROOT ramp for those who want
 * the traditional HEP look.
 */
import { interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolatePlasma, interpolateViridis } from 'd3-scale-chromatic';

export const colormapNames = ['viridis', 'inferno', 'magma', 'plasma', 'cividis', 'gray', 'jet'] as const;
export type ColormapName = (typeof colormapNames)[number];

export const LUT_SIZE = 256;

function jet(t: number): [number, number, number] {
  const c = (x: number) => Math.max(0, Math.min(1, x));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/** Parses "#rrggbb" or "rgb(r, g, b)" into 0..255 components. */
export function parseCssColor(css: string): [number, number, number] {
  if (css.startsWith('#') && css.length === 7) {
    return [parseInt(css.slice(1, 3), 16), parseInt(css.slice(3, 5), 16), parseInt(css.slice(5, 7), 16)];
  }
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) throw new Error(`cannot parse colour "${css}"`);
  return [Math.round(Number(m[1])), Math.round(Number(m[2])), Math.round(Number(m[3]))];
}

function interpolator(name: ColormapName): (t: number) => [number, number, number] {
  switch (name) {
    case 'viridis': return (t) => parseCssColor(interpolateViridis(t));
    case 'inferno': return (t) => parseCssColor(interpolateInferno(t));
    case 'magma': return (t) => parseCssColor(interpolateMagma(t));
    case 'plasma': return (t) => parseCssColor(interpolatePlasma(t));
    case 'cividis': return (t) => parseCssColor(interpolateCividis(t));
    case 'gray': return (t) => parseCssColor(interpolateGreys(1 - t));
    case 'jet': return (t) => jet(t).map((v) => Math.round(v * 255)) as [number, number, number];
  }
}

const cache = new Map<ColormapName, Uint32Array>();

/** 256 packed RGBA colours (alpha 255), index 0 = low end. */
export function colormapLut(name: ColormapName): Uint32Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const f = interpolator(name);
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = f(i / (LUT_SIZE - 1));
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
