/** A vertical colour bar with ticks and a unit label, drawn on its own canvas. */
import { lutCss } from '../colormap/colormaps.js';
import { valueAt, type ColorScale } from '../colormap/color-scale.js';

/**
 * A colour-bar tick label. Negative values get the typographic minus (U+2212,
 * as matplotlib draws it): next to the tick mark a hyphen read as "--0.59".
 */
export function formatTick(v: number, range = Math.abs(v)): string {
  if (Math.abs(v) < range * 1e-6) return '0';
  const a = Math.abs(v);
  const s = a !== 0 && (a >= 1e4 || a < 1e-2) ? v.toExponential(1) : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return s.replace(/^-/, '\u2212').replace(/e-/, 'e\u2212');
}

const strips = new WeakMap<Uint32Array, Map<string, HTMLCanvasElement>>();

/** The colour gradient (top = high end) as a cached canvas: drawn once per LUT and size, not per image. */
function colorStrip(lut: Uint32Array, w: number, h: number): HTMLCanvasElement {
  let byLut = strips.get(lut);
  if (!byLut) strips.set(lut, (byLut = new Map()));
  const key = `${w}x${h}`;
  const hit = byLut.get(key);
  if (hit) return hit;
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d')!;
  for (let y = 0; y < h; y++) {
    const t = 1 - y / h;
    ctx.fillStyle = lutCss(lut, Math.round(t * (lut.length - 1)));
    ctx.fillRect(0, y, w, 1);
  }
  byLut.set(key, c);
  return c;
}

export function drawColorBar(canvas: HTMLCanvasElement, lut: Uint32Array, scale: ColorScale, unit: string, dpr: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const top = 14 * dpr;
  const bottom = h - 8 * dpr;
  const barW = 12 * dpr;
  ctx.drawImage(colorStrip(lut, Math.max(1, Math.round(barW)), Math.max(1, Math.round(bottom - top))), 0, top);
  ctx.fillStyle = '#cfd6e4';
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const y = bottom - t * (bottom - top);
    ctx.fillRect(barW, y, 3 * dpr, 1 * dpr);
    ctx.fillText(formatTick(valueAt(scale, t), Math.abs(scale.vmax - scale.vmin)), barW + 6 * dpr, y);
  }
  ctx.textBaseline = 'top';
  ctx.fillText(unit, 0, 0);
}

/**
 * The compact colour bar of a small camera tile: one thin horizontal line,
 * the minimum at its left end, the maximum and the unit at its right end.
 */
export function drawCompactColorBar(canvas: HTMLCanvasElement, lut: Uint32Array, scale: ColorScale, unit: string, dpr: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#cfd6e4';
  const range = Math.abs(scale.vmax - scale.vmin);
  const low = formatTick(valueAt(scale, 0), range);
  const high = `${formatTick(valueAt(scale, 1), range)} ${unit}`;
  const pad = 4 * dpr;
  const lowW = ctx.measureText(low).width;
  const highW = ctx.measureText(high).width;
  const x0 = lowW + 2 * pad;
  const x1 = w - highW - 2 * pad;
  ctx.fillText(low, pad, h / 2);
  ctx.fillText(high, w - highW - pad, h / 2);
  if (x1 - x0 < 4 * dpr) return;
  const barH = Math.max(2, Math.round(6 * dpr));
  const y = Math.round((h - barH) / 2);
  const n = Math.max(1, Math.round(x1 - x0));
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = lutCss(lut, Math.round((i / Math.max(1, n - 1)) * (lut.length - 1)));
    ctx.fillRect(x0 + i, y, 1, barH);
  }
}
