/**
 * Colour maps and value scales for figures written outside the browser (SVG
 * export, CLI). Pure: d3-scale-chromatic only, no DOM. The same maps and the
 * same scale rules (matplotlib Normalize, LogNorm, SymLogNorm) as the camera
 * view, so an exported figure looks like the screen.
 */
import { interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolatePlasma, interpolateViridis } from 'd3-scale-chromatic';

export const figureColormapNames = ['viridis', 'inferno', 'magma', 'plasma', 'cividis', 'gray', 'jet'] as const;
export type FigureColormap = (typeof figureColormapNames)[number];
export type FigureScale = 'linear' | 'log' | 'symlog';

function hex2(v: number): string {
  const c = Math.max(0, Math.min(255, Math.round(v)));
  return c.toString(16).padStart(2, '0');
}

function cssToHex(css: string): string {
  if (css.startsWith('#') && css.length === 7) return css;
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) throw new Error(`cannot parse colour "${css}"`);
  return `#${hex2(Number(m[1]))}${hex2(Number(m[2]))}${hex2(Number(m[3]))}`;
}

function jetHex(t: number): string {
  const c = (x: number) => Math.max(0, Math.min(1, x)) * 255;
  return `#${hex2(c(1.5 - Math.abs(4 * t - 3)))}${hex2(c(1.5 - Math.abs(4 * t - 2)))}${hex2(c(1.5 - Math.abs(4 * t - 1)))}`;
}

/** "#rrggbb" of the colour map at t in [0, 1]. */
export function colormapHex(name: FigureColormap, t: number): string {
  const u = t < 0 ? 0 : t > 1 ? 1 : t;
  switch (name) {
    case 'viridis':
      return cssToHex(interpolateViridis(u));
    case 'inferno':
      return cssToHex(interpolateInferno(u));
    case 'magma':
      return cssToHex(interpolateMagma(u));
    case 'plasma':
      return cssToHex(interpolatePlasma(u));
    case 'cividis':
      return cssToHex(interpolateCividis(u));
    case 'gray':
      return cssToHex(interpolateGreys(1 - u));
    case 'jet':
      return jetHex(u);
  }
}

/** A 256-entry table of "#rrggbb" (quantised like the screen's LUT). */
export function colormapTable(name: FigureColormap, size = 256): string[] {
  return Array.from({ length: size }, (_, i) => colormapHex(name, i / (size - 1)));
}

export interface FigureNorm {
  kind: FigureScale;
  vmin: number;
  vmax: number;
  /** symlog: half-width of the linear region around 0 */
  linthresh: number;
}

function symlog(v: number, lt: number): number {
  const a = Math.abs(v);
  return a <= lt ? v / lt : Math.sign(v) * (1 + Math.log10(a / lt));
}

function logRange(n: FigureNorm): [number, number] {
  const lo = Math.log10(Math.max(n.vmin, 1e-12));
  const hi = Math.log10(Math.max(n.vmax, n.vmin * 10, 1e-11));
  return [lo, hi];
}

/** Value → [0, 1] (clamped); NaN stays NaN; log scale maps v <= 0 to 0. */
export function normalize(n: FigureNorm, v: number): number {
  if (Number.isNaN(v)) return NaN;
  let t: number;
  if (n.kind === 'log') {
    const [lo, hi] = logRange(n);
    t = v > 0 ? (Math.log10(v) - lo) / (hi - lo || 1) : 0;
  } else if (n.kind === 'symlog') {
    const lo = symlog(n.vmin, n.linthresh);
    const hi = symlog(n.vmax, n.linthresh);
    t = (symlog(v, n.linthresh) - lo) / (hi - lo || 1);
  } else {
    t = (v - n.vmin) / (n.vmax - n.vmin || 1);
  }
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Inverse of normalize: the value at position t of the scale. */
export function valueAtT(n: FigureNorm, t: number): number {
  if (n.kind === 'log') {
    const [lo, hi] = logRange(n);
    return 10 ** (lo + t * (hi - lo));
  }
  if (n.kind === 'symlog') {
    const lt = n.linthresh;
    const inv = (s: number) => (Math.abs(s) <= 1 ? s * lt : Math.sign(s) * lt * 10 ** (Math.abs(s) - 1));
    const lo = symlog(n.vmin, lt);
    const hi = symlog(n.vmax, lt);
    return inv(lo + t * (hi - lo));
  }
  return n.vmin + t * (n.vmax - n.vmin);
}

/** min/max of the finite values, or the [100−p, p] percentile range. */
export function figureLimits(values: ArrayLike<number>, percentile = 100, positiveOnly = false): { vmin: number; vmax: number } {
  if (percentile >= 100) {
    // min–max needs one pass, not a sort (this runs for every camera of every live event shown)
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && (!positiveOnly || v > 0)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) return { vmin: positiveOnly ? 0.1 : 0, vmax: 1 };
    return hi > lo ? { vmin: lo, vmax: hi } : { vmin: lo, vmax: lo + 1 };
  }
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && (!positiveOnly || v > 0)) finite.push(v);
  }
  if (finite.length === 0) return { vmin: positiveOnly ? 0.1 : 0, vmax: 1 };
  finite.sort((a, b) => a - b);
  const q = (p: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round((p / 100) * (finite.length - 1))))];
  const lo = q(100 - percentile);
  const hi = q(percentile);
  return hi > lo ? { vmin: lo, vmax: hi } : { vmin: lo, vmax: lo + 1 };
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Tick label: fixed notation sized to the step, exponent for very large/small values. */
export function formatFigureTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(Math.abs(step) || 1) + 1e-9)));
  return v.toFixed(decimals);
}
