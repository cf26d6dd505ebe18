/**
 * Which preview a dataset gets in the HDF5 browser, from its shape and dtype:
 * compound tables as a table, strings as text, scalars as a value, 1-D
 * numbers as a line, narrow 2-D numbers (N × ≤ 8, after dropping length-1
 * axes) as one line per column, 2-D as an image, ≥ 3-D as an image stack
 * (sliders over the leading axes). Pure, so it is unit-tested.
 */
import type { TreeNode } from '../../src-main/api/file-contract.js';

export type PreviewKind = 'none' | 'table' | 'text' | 'scalar' | 'line' | 'lines' | 'image' | 'stack';

export const MAX_LINE_SERIES = 8;

export function isStringDtype(dtype: string | undefined): boolean {
  return !!dtype && (dtype === 'str' || dtype.startsWith('|S') || dtype === 'vlen-string');
}

export function isNumericDtype(dtype: string | undefined): boolean {
  return (!!dtype && /^[<>|]?(i|u|f|b)\d+$/.test(dtype)) || !!dtype?.startsWith('enum');
}

/** Axes of length 1 removed, with the original axis numbers. */
export function squeezedAxes(shape: number[]): number[] {
  return shape.map((_, i) => i).filter((i) => shape[i] !== 1);
}

export function previewKind(node: Pick<TreeNode, 'kind' | 'shape' | 'dtype' | 'columns'>): PreviewKind {
  if (node.kind !== 'dataset') return 'none';
  if (node.columns && node.columns.length) return 'table';
  const shape = node.shape ?? [];
  if (isStringDtype(node.dtype)) return shape.length === 0 ? 'scalar' : 'text';
  if (!isNumericDtype(node.dtype)) return 'none';
  const axes = squeezedAxes(shape);
  if (shape.length === 0 || axes.length === 0) return 'scalar';
  if (shape.some((d) => d === 0)) return 'none';
  if (axes.length === 1) return 'line';
  if (axes.length === 2) return shape[axes[1]] <= MAX_LINE_SERIES && shape[axes[0]] > 4 * shape[axes[1]] ? 'lines' : 'image';
  return 'stack';
}

/**
 * The axes an image is drawn from (rows, columns) and the axes that get a
 * slider: the last two non-trivial axes, except for channel-last stacks
 * (…, H, W, C with C ≤ 4, e.g. WatChMaL's event_data (N, 40, 40, 2)), where
 * the image is H × W and the channel gets a slider too.
 */
export function imageAxes(shape: number[]): { row: number; col: number; sliders: number[] } {
  const axes = squeezedAxes(shape);
  const n = axes.length;
  if (n >= 3 && shape[axes[n - 1]] <= 4 && shape[axes[n - 2]] > 4 && shape[axes[n - 3]] > 4) {
    return { row: axes[n - 3], col: axes[n - 2], sliders: [...axes.slice(0, n - 3), axes[n - 1]] };
  }
  return { row: axes[n - 2], col: axes[n - 1], sliders: axes.slice(0, n - 2) };
}

/** A window of at most `max` elements along an axis of length `n`, starting near `start`. */
export function clampWindow(start: number, n: number, max: number): { start: number; count: number } {
  const count = Math.min(n, max);
  const s = Math.max(0, Math.min(Math.trunc(start), n - count));
  return { start: s, count };
}

const NUMERIC_DTYPE = /^[<>=|]?[iuf]\d+$/;

/** An N×C (C ≥ 3) numeric dataset, or a table with at least three numeric scalar columns: drawable as 3D points. */
export function canShowAsPoints(n: TreeNode): boolean {
  if (n.kind !== 'dataset' || !n.shape || n.shape.length === 0) return false;
  if (n.columns) return n.columns.filter((c) => c.shape.length === 0 && NUMERIC_DTYPE.test(c.dtype)).length >= 3;
  return n.shape.length >= 2 && n.shape[n.shape.length - 1] >= 3 && NUMERIC_DTYPE.test(n.dtype ?? '');
}
