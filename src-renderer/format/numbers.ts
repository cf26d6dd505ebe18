/**
 * Number formatting shared by the views (counters, histogram statistics,
 * fit parameters, hover read-outs), so one quantity reads the same
 * everywhere. The HDF5 browser keeps its own, with more digits (it shows
 * stored values), and colour-bar ticks theirs (fixed decimals per range).
 */

/** `precision` significant digits; exponential notation outside [1e-3, 1e5); NaN and ±Infinity as such */
export function formatSignificant(v: number, precision = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(precision)));
}

/** a count and its noun, singular for one: "1 event", "2 events" (`plural` for irregular nouns) */
export function countText(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** bytes with binary prefixes: 512 B, 1.5 kB, 3.2 MB … */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** an event rate: 12.3 Hz, 1.99 kHz */
export function formatRate(hz: number): string {
  if (!Number.isFinite(hz)) return '–';
  return hz >= 1000 ? `${(hz / 1000).toFixed(2)} kHz` : `${hz.toFixed(1)} Hz`;
}
