/** A vertical colour bar with ticks and a unit label, drawn on its own canvas. */
import { lutCss } from '../colormap/colormaps.js';
import { valueAt, type ColorScale } from '../colormap/color-scale.js';

export function formatTick(v: number, range = Math.abs(v)): string {
  if (Math.abs(v) < range * 1e-6) return '0';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-2)) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function drawColorBar(canvas: HTMLCanvasElement, lut: Uint32Array, scale: ColorScale, unit: string, dpr: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width; const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const top = 14 * dpr; const bottom = h - 8 * dpr; const barW = 12 * dpr;
  for (let y = top; y < bottom; y++) {
    const t = 1 - (y - top) / (bottom - top);
    ctx.fillStyle = lutCss(lut, Math.round(t * (lut.length - 1)));
    ctx.fillRect(0, y, barW, 1);
  }
  ctx.fillStyle = '#cfd6e4';
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const y = bottom - t * (bottom - top);
    ctx.fillRect(barW, y, 3 * dpr, 1 * dpr);
    ctx.fillText(formatTick(valueAt(scale, t), Math.abs(scale.vmax - scale.vmin)), barW + 5 * dpr, y);
  }
  ctx.textBaseline = 'top';
  ctx.fillText(unit, 0, 0);
}
