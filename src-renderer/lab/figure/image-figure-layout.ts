/**
 * Where the parts of an image figure go (title, image with square pixels,
 * axes, colour bar) for a given size, and the axis ticks: the same numbers
 * for the screen, the PNG and the SVG. Pure, so it is unit-tested.
 */
import { linearTicks } from '../../histograms/axis-ticks.js';

/** Data coordinates of an image axis: column (or row) i has its centre at first + i·step. */
export interface ImageAxis {
  first: number;
  step: number;
  label: string;
  /** tick values (default: "nice" steps over the extent) */
  ticks?: number[];
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ImageFigureLayout {
  width: number;
  height: number;
  title: Rect;
  /** the image (square pixels, centred in the space left by axes and colour bar) */
  plot: Rect;
  /** the colour bar's strip */
  bar: Rect;
}

export const TITLE_H = 24;
const LEFT = 56;
const BOTTOM = 42;
const TOP_PAD = 8;
const BAR_GAP = 14;
const BAR_W = 14;
/** bar tick labels and the unit label beside the bar */
const BAR_TEXT = 74;

export function imageFigureLayout(width: number, height: number, rows: number, cols: number): ImageFigureLayout {
  const availW = Math.max(10, width - LEFT - BAR_GAP - BAR_W - BAR_TEXT - 8);
  const availH = Math.max(10, height - TITLE_H - TOP_PAD - BOTTOM);
  const s = Math.min(availW / Math.max(1, cols), availH / Math.max(1, rows));
  const w = s * cols;
  const h = s * rows;
  const x = LEFT + (availW - w) / 2;
  const y = TITLE_H + TOP_PAD + (availH - h) / 2;
  return {
    width,
    height,
    title: { x: 0, y: 0, w: width, h: TITLE_H },
    plot: { x, y, w, h },
    bar: { x: x + w + BAR_GAP, y, w: BAR_W, h },
  };
}

/** [lo, hi] of an axis: from the first cell's outer edge to the last's. */
export function axisExtent(a: ImageAxis, n: number): [number, number] {
  const e0 = a.first - a.step / 2;
  const e1 = a.first + (n - 1) * a.step + a.step / 2;
  return e0 <= e1 ? [e0, e1] : [e1, e0];
}

/** How many ticks fit along `length` px with about `spacing` px between them (2 to 8). */
export function tickCount(length: number, spacing: number): number {
  return Math.max(2, Math.min(8, Math.floor(length / spacing)));
}

/** Tick values inside the extent. */
export function axisTicks(a: ImageAxis, n: number, target = 6): number[] {
  const [lo, hi] = axisExtent(a, n);
  return (a.ticks ?? linearTicks(lo, hi, target)).filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9);
}

/** Position of data coordinate v along an axis drawn from `start` over `length` (first cell at start). */
export function axisPosition(a: ImageAxis, n: number, v: number, start: number, length: number): number {
  const e0 = a.first - a.step / 2;
  const e1 = a.first + (n - 1) * a.step + a.step / 2;
  return start + ((v - e0) / (e1 - e0)) * length;
}

/** The cell (row, column) under a point of the plot rectangle, or null outside. */
export function cellAt(plot: Rect, rows: number, cols: number, px: number, py: number): { row: number; col: number } | null {
  const col = Math.floor(((px - plot.x) / plot.w) * cols);
  const row = Math.floor(((py - plot.y) / plot.h) * rows);
  if (!(col >= 0 && col < cols && row >= 0 && row < rows)) return null;
  return { row, col };
}
