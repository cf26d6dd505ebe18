/**
 * The 4π image of a Compton camera as the system matrix lays it out: rows
 * are polar angles from 0° to 180°, columns azimuths from −180° to 180°,
 * both inclusive and evenly spaced (181 × 361 is 1° bins). Axes, hover text
 * and the maximum's position in those angles. Pure.
 */
import type { ImageAxis } from '../figure/image-figure-layout.js';
import { formatSignificant } from '../../format/numbers.js';

export function polarOfRow(row: number, nRows: number): number {
  return nRows > 1 ? (row * 180) / (nRows - 1) : 90;
}

export function azimuthOfColumn(col: number, nCols: number): number {
  return nCols > 1 ? -180 + (col * 360) / (nCols - 1) : 0;
}

export function sphereAxes(nRows: number, nCols: number): { x: ImageAxis; y: ImageAxis } {
  return {
    x: { first: -180, step: nCols > 1 ? 360 / (nCols - 1) : 1, label: 'azimuth (deg)', ticks: [-180, -135, -90, -45, 0, 45, 90, 135, 180] },
    y: { first: 0, step: nRows > 1 ? 180 / (nRows - 1) : 1, label: 'polar angle (deg)', ticks: [0, 45, 90, 135, 180] },
  };
}

/** An angle with as many decimals as the binning needs (1° bins: none), with a typographic minus as the axes have. */
export function angleText(v: number): string {
  const r = Math.round(v * 100) / 100;
  return `${Object.is(r, -0) ? 0 : r}°`.replace('-', '\u2212');
}

export function sphereHoverText(row: number, col: number, value: number, nRows: number, nCols: number): string {
  return `polar ${angleText(polarOfRow(row, nRows))}, azimuth ${angleText(azimuthOfColumn(col, nCols))}: ${formatSignificant(value, 5)}`;
}
