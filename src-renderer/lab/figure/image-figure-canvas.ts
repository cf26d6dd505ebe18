/**
 * Draws an image figure on a 2-D canvas: title, the image through a colour
 * map (square pixels, no smoothing), axes with ticks and labels, a colour
 * bar with ticks and its unit, and marked cells (a ring with a label). The
 * screen and the PNG export draw with this one function, at their scales.
 */
import { colormapLut, type ColormapName } from '../../colormap/colormaps.js';
import { normalizer, valueAt, type ColorScale } from '../../colormap/color-scale.js';
import { formatTick } from '../../camera/color-bar.js';
import { tickLabel } from '../../histograms/axis-ticks.js';
import { axisPosition, axisTicks, imageFigureLayout, tickCount, type ImageAxis, type ImageFigureLayout } from './image-figure-layout.js';

export interface ImageMarker {
  row: number;
  col: number;
  label: string;
}

export interface ImageFigureContent {
  title: string;
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  x: ImageAxis;
  y: ImageAxis;
  colormap: ColormapName;
  /** colour scale and its limits */
  norm: ColorScale;
  /** what the colour bar shows, e.g. "relative intensity" */
  unit: string;
  markers?: ImageMarker[];
}

export const FIGURE_COLORS = { background: '#171c24', text: '#dfe6f3', muted: '#8a94a8', frame: '#5a6577', marker: '#00e5ff' };

/** The image as RGBA pixels (cols × rows) through the colour map; NaN grey. */
export function rasterize(c: Pick<ImageFigureContent, 'values' | 'rows' | 'cols' | 'colormap' | 'norm'>): ImageData {
  const img = new ImageData(Math.max(1, c.cols), Math.max(1, c.rows));
  const px = new Uint32Array(img.data.buffer);
  const lut = colormapLut(c.colormap);
  const t = normalizer(c.norm);
  const n = lut.length - 1;
  for (let i = 0; i < c.rows * c.cols; i++) {
    const u = t(c.values[i]);
    px[i] = Number.isNaN(u) ? 0xff404040 : lut[Math.round(u * n)];
  }
  return img;
}

/**
 * Draws the figure into `ctx` (whose canvas is `width·scale` × `height·scale`
 * pixels); `raster` is the rasterized image as a canvas. Returns the layout
 * (CSS px) for hit tests.
 */
export function drawImageFigure(
  ctx: CanvasRenderingContext2D,
  c: ImageFigureContent,
  raster: CanvasImageSource,
  width: number,
  height: number,
  scale: number,
): ImageFigureLayout {
  const L = imageFigureLayout(width, height, c.rows, c.cols);
  const s = scale;
  const { plot, bar } = L;
  ctx.save();
  ctx.setTransform(s, 0, 0, s, 0, 0);
  ctx.fillStyle = FIGURE_COLORS.background;
  ctx.fillRect(0, 0, width, height);
  // title
  ctx.fillStyle = FIGURE_COLORS.text;
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(fitText(ctx, c.title, width - 16), width / 2, L.title.h / 2 + 2);
  // image
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(raster, plot.x, plot.y, plot.w, plot.h);
  ctx.strokeStyle = FIGURE_COLORS.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.w + 1, plot.h + 1);
  // axes
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = FIGURE_COLORS.muted;
  ctx.strokeStyle = FIGURE_COLORS.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of axisTicks(c.x, c.cols, tickCount(plot.w, 55))) {
    const x = axisPosition(c.x, c.cols, v, plot.x, plot.w);
    line(ctx, x, plot.y + plot.h + 1, x, plot.y + plot.h + 5);
    ctx.fillText(tickLabel(v), x, plot.y + plot.h + 7);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of axisTicks(c.y, c.rows, tickCount(plot.h, 40))) {
    const y = axisPosition(c.y, c.rows, v, plot.y, plot.h);
    line(ctx, plot.x - 5, y, plot.x - 1, y);
    ctx.fillText(tickLabel(v), plot.x - 7, y);
  }
  ctx.fillStyle = FIGURE_COLORS.text;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(c.x.label, plot.x + plot.w / 2, plot.y + plot.h + 36);
  ctx.save();
  ctx.translate(14, plot.y + plot.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(c.y.label, 0, 0);
  ctx.restore();
  // colour bar
  const lut = colormapLut(c.colormap);
  for (let i = 0; i < Math.ceil(bar.h); i++) {
    const t = 1 - i / Math.max(1, bar.h - 1);
    const v = lut[Math.round(t * (lut.length - 1))];
    ctx.fillStyle = `rgb(${v & 255}, ${(v >>> 8) & 255}, ${(v >>> 16) & 255})`;
    ctx.fillRect(bar.x, bar.y + i, bar.w, 1.2);
  }
  ctx.strokeStyle = FIGURE_COLORS.frame;
  ctx.strokeRect(bar.x - 0.5, bar.y - 0.5, bar.w + 1, bar.h + 1);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = FIGURE_COLORS.text;
  ctx.strokeStyle = FIGURE_COLORS.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const y = bar.y + bar.h - t * bar.h;
    line(ctx, bar.x + bar.w, y, bar.x + bar.w + 4, y);
    ctx.fillText(formatTick(valueAt(c.norm, t), Math.abs(c.norm.vmax - c.norm.vmin)), bar.x + bar.w + 6, y);
  }
  ctx.save();
  ctx.translate(bar.x + bar.w + 62, bar.y + bar.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(c.norm.kind === 'log' ? `${c.unit} (log)` : c.unit, 0, 0);
  ctx.restore();
  // markers
  for (const m of c.markers ?? []) drawMarker(ctx, m, c, L);
  ctx.restore();
  return L;
}

function drawMarker(ctx: CanvasRenderingContext2D, m: ImageMarker, c: ImageFigureContent, L: ImageFigureLayout): void {
  const { plot } = L;
  const x = plot.x + ((m.col + 0.5) / c.cols) * plot.w;
  const y = plot.y + ((m.row + 0.5) / c.rows) * plot.h;
  const r = 9;
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.8)';
  ring(ctx, x, y, r);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = FIGURE_COLORS.marker;
  ring(ctx, x, y, r);
  line(ctx, x - r - 5, y, x - r + 3, y);
  line(ctx, x + r - 3, y, x + r + 5, y);
  line(ctx, x, y - r - 5, x, y - r + 3);
  line(ctx, x, y + r - 3, x, y + r + 5);
  ctx.font = '600 11px system-ui, sans-serif';
  const w = ctx.measureText(m.label).width + 8;
  // the label on the side with room
  const lx = x + r + 8 + w < plot.x + plot.w ? x + r + 8 : x - r - 8 - w;
  const ly = Math.max(plot.y + 2, Math.min(plot.y + plot.h - 18, y - r - 18));
  ctx.fillStyle = 'rgba(10, 12, 16, 0.85)';
  ctx.fillRect(lx, ly, w, 16);
  ctx.fillStyle = FIGURE_COLORS.marker;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(m.label, lx + 4, ly + 8);
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.stroke();
}

/** The text, shortened with "…" in the middle to fit `max` px. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let keep = text.length;
  while (keep > 4) {
    keep--;
    const head = Math.ceil(keep / 2);
    const t = `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
    if (ctx.measureText(t).width <= max) return t;
  }
  return '…';
}
