/**
 * Pure helpers of the point-cloud view: x/y/z from chosen columns of an N×C
 * row-major table (centred and scaled to a fixed scene size), a column's
 * finite min/max, and the value text of a hovered point. No DOM.
 */
import { formatSignificant } from '../format/numbers.js';

export interface PointTable {
  /** where the points come from, for titles */
  source: string;
  rows: number;
  columns: number;
  /** row-major rows × columns */
  data: Float32Array;
  columnNames: string[];
}

/** Column names: given ones, else x, y, z, then c3, c4, … */
export function defaultColumnNames(columns: number, given?: string[]): string[] {
  return Array.from({ length: columns }, (_, i) => given?.[i] ?? ['x', 'y', 'z'][i] ?? `c${i}`);
}

export function columnRange(t: PointTable, col: number): { vmin: number; vmax: number } {
  let vmin = Infinity;
  let vmax = -Infinity;
  const { data, columns, rows } = t;
  for (let i = 0; i < rows; i++) {
    const v = data[i * columns + col];
    if (v < vmin) vmin = v;
    if (v > vmax) vmax = v;
  }
  if (!(vmax >= vmin)) return { vmin: 0, vmax: 1 };
  return vmin === vmax ? { vmin: vmin - 0.5, vmax: vmax + 0.5 } : { vmin, vmax };
}

export interface ScenePositions {
  positions: Float32Array;
  /** scene = (data − centre) × scale */
  centre: [number, number, number];
  scale: number;
}

/** Positions from columns (cx, cy, cz), centred on the bounding box and scaled so its largest side is `size`. Non-finite rows go to the centre. */
export function scenePositions(t: PointTable, cx: number, cy: number, cz: number, size = 10, out?: Float32Array): ScenePositions {
  const { rows, columns, data } = t;
  const r = [cx, cy, cz].map((c) => columnRange(t, c));
  const centre: [number, number, number] = [(r[0].vmin + r[0].vmax) / 2, (r[1].vmin + r[1].vmax) / 2, (r[2].vmin + r[2].vmax) / 2];
  const extent = Math.max(r[0].vmax - r[0].vmin, r[1].vmax - r[1].vmin, r[2].vmax - r[2].vmin) || 1;
  const scale = size / extent;
  const pos = out && out.length === rows * 3 ? out : new Float32Array(rows * 3);
  for (let i = 0; i < rows; i++) {
    const o = i * columns;
    const x = (data[o + cx] - centre[0]) * scale;
    const y = (data[o + cy] - centre[1]) * scale;
    const z = (data[o + cz] - centre[2]) * scale;
    const ok = Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z);
    pos[3 * i] = ok ? x : 0;
    pos[3 * i + 1] = ok ? y : 0;
    pos[3 * i + 2] = ok ? z : 0;
  }
  return { positions: pos, centre, scale };
}

/** One column as its own array (the colour attribute). */
export function columnValues(t: PointTable, col: number, out?: Float32Array): Float32Array {
  const v = out && out.length === t.rows ? out : new Float32Array(t.rows);
  for (let i = 0; i < t.rows; i++) v[i] = t.data[i * t.columns + col];
  return v;
}

/** "point 123: x = 1.5, y = …" for row i, named by its index in the source (`index`, default i) */
export function pointText(t: PointTable, i: number, index = i): string {
  const o = i * t.columns;
  return `point ${index}: ` + t.columnNames.map((n, c) => `${n} = ${formatSignificant(t.data[o + c], 5)}`).join(', ');
}

/**
 * The rows in a random order (seeded, reproducible), so that any prefix is
 * an unbiased subsample: drawing the first k points while the view moves
 * shows the whole cloud thinned. Returns the shuffled table and, per new
 * row, its row in the source.
 */
export function shuffleRows(t: PointTable, seed = 12345): { table: PointTable; sourceRow: Int32Array } {
  const n = t.rows;
  const c = t.columns;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const from = order[i] * c;
    for (let k = 0; k < c; k++) data[i * c + k] = t.data[from + k];
  }
  return { table: { ...t, data }, sourceRow: order };
}
