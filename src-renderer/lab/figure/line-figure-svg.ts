/**
 * Lines (signal traces) as a stand-alone SVG figure: frame, ticks and tick
 * labels, axis labels, title, one polyline per series and a legend. Pure.
 */
import { linearTicks, tickLabel } from '../../histograms/axis-ticks.js';

export interface LineFigure {
  title: string;
  xLabel: string;
  yLabel: string;
  x: ArrayLike<number>;
  series: { label: string; color: string; y: ArrayLike<number> }[];
  xRange: [number, number];
  yRange: [number, number];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function lineFigureSvg(fig: LineFigure): string {
  const W = fig.width ?? 760;
  const H = fig.height ?? 420;
  const m = { left: 78, right: 20, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const [x0, x1] = fig.xRange;
  const [y0, y1] = fig.yRange;
  const tx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const ty = (y: number) => m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(fig.title)}</text>`);
  out.push(`<defs><clipPath id="line-plot-area"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  for (const v of linearTicks(x0, x1, 7)) {
    const x = f2(tx(v));
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(tickLabel(v))}</text>`);
  }
  for (const v of linearTicks(y0, y1, 6)) {
    const y = f2(ty(v));
    out.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(v))}</text>`);
  }
  for (const s of fig.series) {
    const pts: string[] = [];
    for (let i = 0; i < fig.x.length; i++) {
      const y = s.y[i];
      if (Number.isFinite(y)) pts.push(`${f2(tx(fig.x[i]))},${f2(ty(y))}`);
    }
    if (pts.length > 1)
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${esc(s.color)}" stroke-width="1.4" clip-path="url(#line-plot-area)"/>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="black"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle" font-size="13">${esc(fig.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(fig.yLabel)}</text>`);
  fig.series.forEach((s, i) => {
    const y = m.top + 16 + i * 16;
    out.push(`<line x1="${m.left + 10}" y1="${y - 4}" x2="${m.left + 30}" y2="${y - 4}" stroke="${esc(s.color)}" stroke-width="2"/>`);
    out.push(`<text x="${m.left + 36}" y="${y}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
