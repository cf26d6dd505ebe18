/** How a camera view chooses its colour limits: min–max, a percentile range, or typed in. */
import { autoLimits, type ScaleKind } from '../colormap/color-scale.js';

export type ColorLimits = { mode: 'auto' } | { mode: 'percentile'; percentile: number } | { mode: 'fixed'; vmin: number; vmax: number };

/** The limits for `values`; typed-in limits that are not a valid range fall back to min–max. */
export function colorLimits(values: ArrayLike<number>, limits: ColorLimits, scale: ScaleKind = 'linear'): { vmin: number; vmax: number } {
  if (limits.mode === 'fixed') {
    if (Number.isFinite(limits.vmin) && Number.isFinite(limits.vmax) && limits.vmax > limits.vmin && (scale !== 'log' || limits.vmax > 0)) {
      return { vmin: limits.vmin, vmax: limits.vmax };
    }
    return autoLimits(values);
  }
  if (limits.mode === 'percentile') return autoLimits(values, Math.min(100, Math.max(50, limits.percentile)));
  return autoLimits(values);
}
