/**
 * What the waveform view draws, computed from a file.waveforms reply: the
 * time axis (ns), one series per pixel for the chosen trace (R1 in p.e., R0
 * high or low gain in ADC counts), each pixel's integration window in ns and
 * its read-out line; and the waveforms as an SVG figure (frame, ticks,
 * shaded windows, peak-time marks, polylines, legend). Pure: no DOM.
 */
import type { PixelWaveform, PixelWaveforms } from '../../src-main/api/file-contract.js';
import { linearTicks, tickLabel } from '../histograms/axis-ticks.js';

export type WaveformKind = 'r1' | 'r0high' | 'r0low';

/** Distinct colours for overlaid pixels (the first is the clicked one). */
export const PIXEL_COLORS = ['#4fc3f7', '#ffb74d', '#aed581', '#f06292', '#ce93d8', '#fff176', '#80cbc4', '#ff8a65', '#90a4ae', '#e6ee9c'];

export interface WaveformSeries {
  pixel: number;
  color: string;
  label: string;
  y: Float64Array;
  /** [start, end] in ns of the summed samples (each sample drawn as ±half a sample), or null */
  window: [number, number] | null;
  /** ns, or NaN */
  peakTime: number;
}

export interface WaveformFigure {
  title: string;
  xLabel: string;
  yLabel: string;
  /** ns */
  x: Float64Array;
  series: WaveformSeries[];
}

export function kindLabel(kind: WaveformKind): string {
  return kind === 'r1' ? 'R1 (p.e. / sample)' : kind === 'r0high' ? 'R0 high gain (ADC counts)' : 'R0 low gain (ADC counts)';
}

function trace(p: PixelWaveform, kind: WaveformKind): ArrayLike<number> | null {
  return kind === 'r1' ? p.r1 : kind === 'r0high' ? p.r0High : p.r0Low;
}

/** The series of `kind` for every pixel of `w` that has that trace. */
export function waveformFigure(w: PixelWaveforms, kind: WaveformKind, colorOf: (pixel: number, k: number) => string): WaveformFigure {
  const rate = w.samplingRateGHz > 0 ? w.samplingRateGHz : 1;
  const x = Float64Array.from({ length: w.nSamples }, (_, k) => k / rate);
  const half = 0.5 / rate;
  const series: WaveformSeries[] = [];
  w.pixels.forEach((p, k) => {
    const y = trace(p, kind);
    if (!y) return;
    series.push({
      pixel: p.pixel,
      color: colorOf(p.pixel, k),
      label: `pixel ${p.pixel}`,
      y: Float64Array.from(y as ArrayLike<number>),
      window: p.windowStart !== null && p.windowWidth !== null ? [p.windowStart / rate - half, (p.windowStart + p.windowWidth - 1) / rate + half] : null,
      peakTime: p.peakTime,
    });
  });
  return {
    title: `Tel ${w.telId} · ${w.camera} · event ${w.eventId}`,
    xLabel: 'time (ns)',
    yLabel: kindLabel(kind),
    x,
    series,
  };
}

const fixed = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/** One line per pixel: charge, peak time, window, gain, truth. */
export function readoutText(p: PixelWaveform, rateGHz: number): string {
  const parts = [`pixel ${p.pixel}`, `charge ${fixed(p.charge, 2)} p.e.`, `peak time ${fixed(p.peakTime, 2)} ns`];
  if (p.windowStart !== null && p.windowWidth !== null) {
    const r = rateGHz > 0 ? rateGHz : 1;
    parts.push(
      // the times of the first and last summed samples (the plot shades each of them ±½ sample around its time)
      `window samples ${p.windowStart}–${p.windowStart + p.windowWidth - 1} (at ${fixed(p.windowStart / r, 1)}–${fixed((p.windowStart + p.windowWidth - 1) / r, 1)} ns)`,
    );
  }
  if (p.selectedGain >= 0) parts.push(p.selectedGain === 0 ? 'high gain' : 'low gain');
  if (p.truePe !== null) parts.push(`true ${p.truePe} p.e.`);
  if (p.invalid) parts.push('invalid pixel (interpolated from its neighbours)');
  return parts.join(' · ');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

/** The y range of the series (with a margin), [0, 1] when empty. */
export function yRange(fig: WaveformFigure): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of fig.series) for (const v of s.y) if (Number.isFinite(v)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
  if (!(hi >= lo)) return [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

/** The figure as a stand-alone SVG (white background, for papers). */
export function waveformSvg(fig: WaveformFigure, readout: string[], width = 760, height = 460): string {
  const m = { left: 78, right: 20, top: 40, bottom: 56 + 16 * readout.length };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const x0 = fig.x.length ? fig.x[0] - (fig.x[1] - fig.x[0] || 1) / 2 : 0;
  const x1 = fig.x.length ? fig.x[fig.x.length - 1] + (fig.x[1] - fig.x[0] || 1) / 2 : 1;
  const [y0, y1] = yRange(fig);
  const tx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const ty = (y: number) => m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(fig.title)}</text>`,
    `<defs><clipPath id="waveform-area"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  ];
  const shaded = new Set<string>();
  for (const s of fig.series) {
    if (!s.window || shaded.has(s.window.join(':'))) continue;
    shaded.add(s.window.join(':'));
    const a = tx(Math.max(x0, s.window[0]));
    const b = tx(Math.min(x1, s.window[1]));
    out.push(`<rect class="window" x="${f2(a)}" y="${m.top}" width="${f2(Math.max(0, b - a))}" height="${ph}" fill="${esc(s.color)}" fill-opacity="0.15"/>`);
  }
  for (const v of linearTicks(x0, x1, 8)) {
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
    if (Number.isFinite(s.peakTime) && s.peakTime >= x0 && s.peakTime <= x1) {
      const x = f2(tx(s.peakTime));
      out.push(`<line class="peak-time" x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="${esc(s.color)}" stroke-dasharray="4 3"/>`);
    }
    const pts: string[] = [];
    for (let i = 0; i < fig.x.length; i++) if (Number.isFinite(s.y[i])) pts.push(`${f2(tx(fig.x[i]))},${f2(ty(s.y[i]))}`);
    if (pts.length > 1)
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${esc(s.color)}" stroke-width="1.6" clip-path="url(#waveform-area)"/>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="black"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 40}" text-anchor="middle" font-size="13">${esc(fig.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(fig.yLabel)}</text>`);
  readout.forEach((line, k) => {
    const y = m.top + ph + 60 + 16 * k;
    const color = fig.series[k]?.color ?? 'black';
    out.push(`<rect x="${m.left}" y="${y - 9}" width="12" height="3" fill="${esc(color)}"/>`);
    out.push(`<text x="${m.left + 18}" y="${y}" font-size="11">${esc(line)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
