/**
 * A histogram figure as a standalone SVG (for papers): frame, ticks and tick
 * labels, axis labels, title, one step outline per layer with a legend, the
 * fitted curve and the fit box. Pure: the same input gives the same file.
 */
import { linearTicks, logTicks, tickLabel } from './axis-ticks.js';
import type { HistogramLayer } from './histogram-layers.js';

export interface HistogramFigure {
  title: string;
  xLabel: string;
  yLabel: string;
  layers: HistogramLayer[];
  /** contents multiplied by these (normalisation), one per layer; default 1 */
  scales?: number[];
  xRange: [number, number];
  yRange: [number, number];
  logX: boolean;
  logY: boolean;
  /** the fitted curve, sampled */
  curve?: { x: ArrayLike<number>; y: ArrayLike<number>; color: string };
  fitLines?: string[];
  /** marked x positions (found peaks): dashed vertical lines labelled at the top */
  markers?: { x: number; label: string }[];
  /** where the fit box goes (default top right) */
  fitBox?: 'left' | 'right';
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function histogramSvg(fig: HistogramFigure): string {
  const W = fig.width ?? 720;
  const H = fig.height ?? 480;
  const m = { left: 78, right: 20, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const [x0, x1] = fig.xRange;
  const [y0, y1] = fig.yRange;
  const tx = fig.logX ? (x: number) => (Math.log(x / x0) / Math.log(x1 / x0)) * pw + m.left : (x: number) => ((x - x0) / (x1 - x0)) * pw + m.left;
  const ty = fig.logY ? (y: number) => m.top + ph - (Math.log(y / y0) / Math.log(y1 / y0)) * ph : (y: number) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const clampY = (y: number) => Math.max(m.top, Math.min(m.top + ph, y));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(fig.title)}</text>`);
  out.push(`<defs><clipPath id="plot-area"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  // ticks and grid
  const xt = fig.logX ? logTicks(x0, x1) : linearTicks(x0, x1, 7);
  const yt = fig.logY ? logTicks(y0, y1) : linearTicks(y0, y1, 6);
  for (const v of xt) {
    const x = f2(tx(v));
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#e4e4e4"/>`);
    out.push(`<line x1="${x}" y1="${m.top + ph}" x2="${x}" y2="${m.top + ph + 5}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(tickLabel(v))}</text>`);
  }
  for (const v of yt) {
    const y = f2(ty(v));
    out.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<line x1="${m.left - 5}" y1="${y}" x2="${m.left}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(v))}</text>`);
  }
  // layers as step outlines
  fig.layers.forEach((layer, li) => {
    const s = fig.scales?.[li] ?? 1;
    const d: string[] = [];
    let pen = false;
    for (let i = 0; i < layer.counts.length; i++) {
      const a = layer.edges[i];
      const b = layer.edges[i + 1];
      const v = layer.counts[i] * s;
      if ((fig.logX && !(a > 0)) || (fig.logY && !(v > 0))) {
        pen = false;
        continue;
      }
      const y = f2(clampY(ty(v)));
      d.push(`${pen ? 'L' : 'M'}${f2(tx(a))} ${y}L${f2(tx(b))} ${y}`);
      pen = true;
    }
    out.push(`<path d="${d.join('')}" fill="none" stroke="${layer.color}" stroke-width="1.6" clip-path="url(#plot-area)"/>`);
  });
  if (fig.curve) {
    const pts: string[] = [];
    for (let i = 0; i < fig.curve.x.length; i++) {
      const x = fig.curve.x[i];
      const y = fig.curve.y[i];
      if (!Number.isFinite(y) || (fig.logY && !(y > 0))) continue;
      pts.push(`${f2(tx(x))},${f2(ty(y))}`);
    }
    if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${fig.curve.color}" stroke-width="2" clip-path="url(#plot-area)"/>`);
  }
  for (const mk of fig.markers ?? []) {
    if (!(mk.x >= x0 && mk.x <= x1) || (fig.logX && !(mk.x > 0))) continue;
    const x = f2(tx(mk.x));
    out.push(`<line x1="${x}" y1="${m.top + 16}" x2="${x}" y2="${m.top + ph}" stroke="#8d6e00" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x}" y="${m.top + 12}" text-anchor="middle" fill="#8d6e00">${esc(mk.label)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="black"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle" font-size="13">${esc(fig.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(fig.yLabel)}</text>`);
  // legend (top left) and fit box (top right)
  if (fig.layers.length > 1 || fig.layers[0]?.label) {
    // top left, or top right when the fit box takes the left
    const legendW = 36 + 6.6 * Math.max(...fig.layers.map((l) => l.label.length));
    const lx = fig.fitBox === 'left' ? m.left + pw - legendW - 10 : m.left + 10;
    fig.layers.forEach((l, i) => {
      const y = m.top + 16 + i * 16;
      out.push(`<line x1="${f2(lx)}" y1="${y - 4}" x2="${f2(lx + 20)}" y2="${y - 4}" stroke="${l.color}" stroke-width="2"/>`);
      out.push(`<text x="${f2(lx + 26)}" y="${y}">${esc(l.label)}</text>`);
    });
  }
  if (fig.fitLines?.length) {
    const lines = fig.fitLines;
    const boxW = Math.min(pw - 20, 12 + 6.6 * Math.max(...lines.map((l) => l.length)));
    const bx = fig.fitBox === 'left' ? m.left + 8 : m.left + pw - boxW - 8;
    out.push(`<rect x="${f2(bx)}" y="${m.top + 8}" width="${f2(boxW)}" height="${10 + lines.length * 16}" fill="white" fill-opacity="0.9" stroke="#555"/>`);
    lines.forEach((l, i) => out.push(`<text x="${f2(bx + 6)}" y="${m.top + 24 + i * 16}"${i === 0 ? ' font-weight="bold"' : ''}>${esc(l)}</text>`));
  }
  out.push('</svg>');
  return out.join('\n');
}
