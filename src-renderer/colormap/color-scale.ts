/**
 * Maps values to colour-table positions with linear, log or symmetric-log
 * scaling (as matplotlib's Normalize, LogNorm and SymLogNorm with linthresh).
 */
export type ScaleKind = 'linear' | 'log' | 'symlog';

export interface ColorScale {
  kind: ScaleKind;
  vmin: number;
  vmax: number;
  /** symlog: half-width of the linear region around 0 */
  linthresh: number;
}

function symlog(v: number, linthresh: number): number {
  const a = Math.abs(v);
  return a <= linthresh ? v / linthresh : Math.sign(v) * (1 + Math.log10(a / linthresh));
}

/** A function from value to [0, 1] (clamped); NaN maps to NaN. */
export function normalizer(scale: ColorScale): (v: number) => number {
  const clamp = (t: number) => (t < 0 ? 0 : t > 1 ? 1 : t);
  if (scale.kind === 'log') {
    const lo = Math.log10(Math.max(scale.vmin, 1e-12));
    const hi = Math.log10(Math.max(scale.vmax, scale.vmin * 10, 1e-11));
    const span = hi - lo || 1;
    return (v) => (v > 0 ? clamp((Math.log10(v) - lo) / span) : 0);
  }
  if (scale.kind === 'symlog') {
    const lo = symlog(scale.vmin, scale.linthresh);
    const hi = symlog(scale.vmax, scale.linthresh);
    const span = hi - lo || 1;
    return (v) => clamp((symlog(v, scale.linthresh) - lo) / span);
  }
  const span = scale.vmax - scale.vmin || 1;
  return (v) => clamp((v - scale.vmin) / span);
}

/** Value at position t in [0, 1] of the scale (for colour-bar ticks). */
export function valueAt(scale: ColorScale, t: number): number {
  if (scale.kind === 'log') {
    const lo = Math.log10(Math.max(scale.vmin, 1e-12));
    const hi = Math.log10(Math.max(scale.vmax, scale.vmin * 10, 1e-11));
    return 10 ** (lo + t * (hi - lo));
  }
  if (scale.kind === 'symlog') {
    const inv = (s: number) => (Math.abs(s) <= 1 ? s * scale.linthresh : Math.sign(s) * scale.linthresh * 10 ** (Math.abs(s) - 1));
    const lo = symlog(scale.vmin, scale.linthresh);
    const hi = symlog(scale.vmax, scale.linthresh);
    return inv(lo + t * (hi - lo));
  }
  return scale.vmin + t * (scale.vmax - scale.vmin);
}

/** Automatic limits: min and max of the finite values (or a percentile range). */
export function autoLimits(values: ArrayLike<number>, percentile = 100): { vmin: number; vmax: number } {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { vmin: 0, vmax: 1 };
  if (percentile >= 100) {
    let lo = Infinity; let hi = -Infinity;
    for (const v of finite) { if (v < lo) lo = v; if (v > hi) hi = v; }
    return hi > lo ? { vmin: lo, vmax: hi } : { vmin: lo, vmax: lo + 1 };
  }
  finite.sort((a, b) => a - b);
  const q = (p: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round((p / 100) * (finite.length - 1))))];
  const lo = q(100 - percentile); const hi = q(percentile);
  return hi > lo ? { vmin: lo, vmax: hi } : { vmin: lo, vmax: lo + 1 };
}
