/**
 * Maps values to colour-table positions with linear, log or symmetric-log
 * scaling (as matplotlib's Normalize, LogNorm and SymLogNorm with linthresh).
 * The rules live in the pure figure module, so the screen and exported
 * figures cannot drift apart.
 */
import { figureLimits, normalize, valueAtT, type FigureNorm, type FigureScale } from '../../src-worker/figure/figure-colors.js';

export type ScaleKind = FigureScale;
export type ColorScale = FigureNorm;

/** A function from value to [0, 1] (clamped); NaN maps to NaN. */
export function normalizer(scale: ColorScale): (v: number) => number {
  return (v) => normalize(scale, v);
}

/** Value at position t in [0, 1] of the scale (for colour-bar ticks). */
export function valueAt(scale: ColorScale, t: number): number {
  return valueAtT(scale, t);
}

/** Automatic limits: min and max of the finite values (or a percentile range). */
export function autoLimits(values: ArrayLike<number>, percentile = 100): { vmin: number; vmax: number } {
  return figureLimits(values, percentile);
}
