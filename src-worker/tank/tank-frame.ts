/**
 * The water-Cherenkov tank as a cylinder: which coordinate is its axis
 * (y in IWCD/WCTE WCSim tables, z in Super-K and Hyper-K), axial coordinates
 * (h along the axis, a/b across it, azimuth = atan2(b, a)), and the tank's
 * radius and heights measured from its PMTs. Pure, cm throughout.
 */

export type TankAxis = 'x' | 'y' | 'z';

/** 0 barrel, 1 top cap, 2 bottom cap (as PmtGeometry.region; 255 unknown) */
export const REGION_BARREL = 0;
export const REGION_TOP = 1;
export const REGION_BOTTOM = 2;

/** The part of a PMT geometry the tank views need. */
export interface PmtLayout {
  nPmts: number;
  axis: TankAxis;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  region: ArrayLike<number>;
}

/** (h, a, b) of a point: h along the axis; a, b across it with azimuth atan2(b, a). */
export function toAxial(axis: TankAxis, x: number, y: number, z: number): [number, number, number] {
  // y axis: azimuth atan2(z, x) as WatChMaL's angles and the IWCD image columns
  if (axis === 'y') return [y, x, z];
  if (axis === 'z') return [z, x, y];
  return [x, y, z];
}

export function fromAxial(axis: TankAxis, h: number, a: number, b: number): [number, number, number] {
  if (axis === 'y') return [a, h, b];
  if (axis === 'z') return [a, b, h];
  return [h, a, b];
}

export interface TankCylinder {
  axis: TankAxis;
  /** barrel radius (median PMT distance from the axis), cm */
  radius: number;
  /** axial position of the top and bottom caps (mean over their PMTs), cm */
  hTop: number;
  hBottom: number;
  /** axial extent of the barrel PMTs, cm */
  barrelTop: number;
  barrelBottom: number;
  /** largest distance of a cap PMT from the axis, cm */
  capRadius: number;
}

function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((p, q) => p - q);
  return s[s.length >> 1];
}

/** Regions from the table, or from geometry when the table has none (255). */
export function pmtRegions(g: PmtLayout): Uint8Array {
  const out = new Uint8Array(g.nPmts);
  let unknown = 0;
  for (let i = 0; i < g.nPmts; i++) {
    out[i] = g.region[i];
    if (out[i] > 2) unknown++;
  }
  if (!unknown) return out;
  // PMTs at the largest |h| are caps, the others barrel
  let hMax = -Infinity;
  let hMin = Infinity;
  for (let i = 0; i < g.nPmts; i++) {
    const [h] = toAxial(g.axis, g.x[i], g.y[i], g.z[i]);
    if (h > hMax) hMax = h;
    if (h < hMin) hMin = h;
  }
  const tol = (hMax - hMin) * 0.005;
  for (let i = 0; i < g.nPmts; i++) {
    if (out[i] <= 2) continue;
    const [h] = toAxial(g.axis, g.x[i], g.y[i], g.z[i]);
    out[i] = h >= hMax - tol ? REGION_TOP : h <= hMin + tol ? REGION_BOTTOM : REGION_BARREL;
  }
  return out;
}

/** The tank cylinder measured from its PMTs. */
export function measureTank(g: PmtLayout, regions: ArrayLike<number> = pmtRegions(g)): TankCylinder {
  const barrelR: number[] = [];
  let barrelTop = -Infinity;
  let barrelBottom = Infinity;
  let topSum = 0;
  let topN = 0;
  let botSum = 0;
  let botN = 0;
  let capRadius = 0;
  for (let i = 0; i < g.nPmts; i++) {
    const [h, a, b] = toAxial(g.axis, g.x[i], g.y[i], g.z[i]);
    const r = Math.hypot(a, b);
    if (regions[i] === REGION_BARREL) {
      barrelR.push(r);
      if (h > barrelTop) barrelTop = h;
      if (h < barrelBottom) barrelBottom = h;
    } else if (regions[i] === REGION_TOP) {
      topSum += h;
      topN++;
      if (r > capRadius) capRadius = r;
    } else if (regions[i] === REGION_BOTTOM) {
      botSum += h;
      botN++;
      if (r > capRadius) capRadius = r;
    }
  }
  const radius = median(barrelR);
  return {
    axis: g.axis,
    radius,
    hTop: topN ? topSum / topN : barrelTop,
    hBottom: botN ? botSum / botN : barrelBottom,
    barrelTop,
    barrelBottom,
    capRadius: capRadius || radius,
  };
}
