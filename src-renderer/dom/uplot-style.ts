/**
 * The look every uPlot plot shares (histograms, the lab's line plots, the
 * waveform view): axis colours, fonts and sizes, and the legend's numbers.
 */
import type uPlot from 'uplot';
import { formatSignificant } from '../format/numbers.js';

export const PLOT_AXIS_COLOR = '#8a94a8';
export const PLOT_GRID_COLOR = '#263040';

/** An axis with its label on `side` (2: bottom, 3: left); compact: for small plots. */
export function plotAxis(label: string, side: uPlot.Axis.Side, compact = false): uPlot.Axis {
  return {
    label,
    stroke: PLOT_AXIS_COLOR,
    font: `${compact ? 10 : 11}px system-ui, sans-serif`,
    labelFont: `${compact ? 10 : 12}px system-ui, sans-serif`,
    labelSize: compact ? 16 : 22,
    grid: { stroke: PLOT_GRID_COLOR, width: 1 },
    ticks: { stroke: PLOT_GRID_COLOR, width: 1 },
    side,
    size: side === 3 ? (compact ? 50 : 62) : compact ? 34 : 46,
  };
}

/** A legend value: 5 significant digits, – where there is none. */
export const plotValue = (_u: uPlot, v: number | null): string => (v == null ? '–' : formatSignificant(v, 5));

/** The plot area inside `el`: its size less the legend's height (`legend` px until the legend is drawn; 0: no legend). */
export function plotArea(el: HTMLElement, plot: uPlot | undefined, legend: number): { width: number; height: number } {
  const r = el.getBoundingClientRect();
  const shown = legend ? plot?.root.querySelector<HTMLElement>('.u-legend')?.offsetHeight || legend : 0;
  return { width: Math.floor(r.width), height: Math.max(0, Math.floor(r.height) - shown) };
}

/** After the element changed size: the plot takes `size`; without a plot yet, `create()` makes one (too small: nothing). */
export function resizePlot(plot: uPlot | undefined, size: { width: number; height: number }, create: () => void): void {
  if (size.width < 10 || size.height < 10) return;
  if (!plot) create();
  else if (size.width !== plot.width || size.height !== plot.height) plot.setSize(size);
}
