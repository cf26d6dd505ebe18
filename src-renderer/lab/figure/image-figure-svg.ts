/**
 * An image figure as a stand-alone SVG (for papers): the image itself as an
 * embedded PNG (one pixel per cell, drawn without smoothing, as matplotlib's
 * imshow writes raster data into SVG), and in vectors the frame, the axes
 * with ticks and labels, the title, the colour bar (a gradient of the colour
 * map) with its ticks and unit, and marked cells. Pure: the raster comes in
 * as a data URL.
 */
import { colormapHex } from '../../../src-worker/figure/figure-colors.js';
import { valueAt } from '../../colormap/color-scale.js';
import { formatTick } from '../../camera/color-bar.js';
import { tickLabel } from '../../histograms/axis-ticks.js';
import { axisPosition, axisTicks, imageFigureLayout, tickCount } from './image-figure-layout.js';
import type { ImageFigureContent } from './image-figure-canvas.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function imageFigureSvg(c: ImageFigureContent, rasterPngDataUrl: string, width = 760, height = 480): string {
  if (!/^data:image\/png;base64,[A-Za-z0-9+/=]*$/.test(rasterPngDataUrl)) throw new Error('the raster must be a PNG data URL');
  const L = imageFigureLayout(width, height, c.rows, c.cols);
  const { plot, bar } = L;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="17" text-anchor="middle" font-size="13" font-weight="bold">${esc(c.title)}</text>`);
  out.push(
    `<image x="${f2(plot.x)}" y="${f2(plot.y)}" width="${f2(plot.w)}" height="${f2(plot.h)}" preserveAspectRatio="none" image-rendering="pixelated" style="image-rendering:pixelated" href="${rasterPngDataUrl}" xlink:href="${rasterPngDataUrl}"/>`,
  );
  out.push(`<rect x="${f2(plot.x)}" y="${f2(plot.y)}" width="${f2(plot.w)}" height="${f2(plot.h)}" fill="none" stroke="black"/>`);
  for (const v of axisTicks(c.x, c.cols, tickCount(plot.w, 55))) {
    const x = f2(axisPosition(c.x, c.cols, v, plot.x, plot.w));
    out.push(`<line x1="${x}" y1="${f2(plot.y + plot.h)}" x2="${x}" y2="${f2(plot.y + plot.h + 5)}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${f2(plot.y + plot.h + 17)}" text-anchor="middle">${esc(tickLabel(v))}</text>`);
  }
  for (const v of axisTicks(c.y, c.rows, tickCount(plot.h, 40))) {
    const y = f2(axisPosition(c.y, c.rows, v, plot.y, plot.h));
    out.push(`<line x1="${f2(plot.x - 5)}" y1="${y}" x2="${f2(plot.x)}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${f2(plot.x - 7)}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(v))}</text>`);
  }
  out.push(`<text x="${f2(plot.x + plot.w / 2)}" y="${f2(plot.y + plot.h + 36)}" text-anchor="middle" font-size="12">${esc(c.x.label)}</text>`);
  out.push(
    `<text transform="translate(14 ${f2(plot.y + plot.h / 2)}) rotate(-90)" text-anchor="middle" dominant-baseline="middle" font-size="12">${esc(c.y.label)}</text>`,
  );
  // colour bar: a vertical gradient (top = high end)
  const stops = Array.from({ length: 17 }, (_, i) => `<stop offset="${f2(i / 16)}" stop-color="${colormapHex(c.colormap, 1 - i / 16)}"/>`).join('');
  out.push(`<defs><linearGradient id="colour-bar" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`);
  out.push(`<rect x="${f2(bar.x)}" y="${f2(bar.y)}" width="${f2(bar.w)}" height="${f2(bar.h)}" fill="url(#colour-bar)" stroke="black"/>`);
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const y = f2(bar.y + bar.h - t * bar.h);
    out.push(`<line x1="${f2(bar.x + bar.w)}" y1="${y}" x2="${f2(bar.x + bar.w + 4)}" y2="${y}" stroke="black"/>`);
    out.push(
      `<text x="${f2(bar.x + bar.w + 6)}" y="${y}" dominant-baseline="middle" font-size="10">${esc(formatTick(valueAt(c.norm, t), Math.abs(c.norm.vmax - c.norm.vmin)))}</text>`,
    );
  }
  const unit = c.norm.kind === 'log' ? `${c.unit} (log)` : c.unit;
  out.push(
    `<text transform="translate(${f2(bar.x + bar.w + 62)} ${f2(bar.y + bar.h / 2)}) rotate(-90)" text-anchor="middle" dominant-baseline="middle">${esc(unit)}</text>`,
  );
  for (const m of c.markers ?? []) {
    const x = plot.x + ((m.col + 0.5) / c.cols) * plot.w;
    const y = plot.y + ((m.row + 0.5) / c.rows) * plot.h;
    out.push(`<circle cx="${f2(x)}" cy="${f2(y)}" r="9" fill="none" stroke="white" stroke-width="3"/>`);
    out.push(`<circle cx="${f2(x)}" cy="${f2(y)}" r="9" fill="none" stroke="#00838f" stroke-width="1.5"/>`);
    out.push(
      `<text x="${f2(x + 16)}" y="${f2(y - 12)}" fill="#00838f" font-weight="bold" stroke="white" stroke-width="3" paint-order="stroke">${esc(m.label)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
