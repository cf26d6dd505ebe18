/**
 * The unrolled tank, as WCSim's and WatChMaL's 2D displays draw it: the barrel
 * cut open along azimuth ±180° into a rectangle (u = R·azimuth, v = height),
 * the top cap as a disc above it and the bottom cap as a disc below, each
 * touching the barrel at azimuth 0 so that the picture is continuous there.
 * Coordinates are cm in the unrolled plane, v up. Pure.
 */
import { REGION_BOTTOM, REGION_TOP, toAxial, type PmtLayout, type TankCylinder } from './tank-frame.js';

export interface UnrolledLayout {
  /** position of each PMT in the unrolled plane, cm */
  u: Float32Array;
  v: Float32Array;
  /** barrel rectangle: u in [-πR, πR], v in [vBottom, vTop] */
  halfWidth: number;
  vTop: number;
  vBottom: number;
  /** cap discs: centres (0, topCentre) and (0, bottomCentre), radius capRadius */
  topCentre: number;
  bottomCentre: number;
  capRadius: number;
  bounds: { uMin: number; uMax: number; vMin: number; vMax: number };
}

export interface UnrollFrame {
  radius: number;
  vTop: number;
  vBottom: number;
  topCentre: number;
  bottomCentre: number;
  /** axial position of the tank centre (v = h − centre) */
  centre: number;
}

export function unrollFrame(t: TankCylinder, gap = 0.04 * t.radius): UnrollFrame {
  const centre = (t.hTop + t.hBottom) / 2;
  const vTop = t.barrelTop - centre;
  const vBottom = t.barrelBottom - centre;
  return {
    radius: t.radius,
    vTop,
    vBottom,
    topCentre: vTop + gap + t.capRadius,
    bottomCentre: vBottom - gap - t.capRadius,
    centre,
  };
}

/**
 * One point in the unrolled plane, from its axial coordinates and its surface.
 * Barrel: (R·atan2(b, a), h − centre). Caps: the disc seen so that azimuth 0
 * (a = r, b = 0) touches the barrel: top (b, topCentre − a), bottom (b, bottomCentre + a).
 */
export function unrollAxial(f: UnrollFrame, region: number, h: number, a: number, b: number): [number, number] {
  if (region === REGION_TOP) return [b, f.topCentre - a];
  if (region === REGION_BOTTOM) return [b, f.bottomCentre + a];
  return [f.radius * Math.atan2(b, a), h - f.centre];
}

export function unrollPmts(g: PmtLayout, regions: ArrayLike<number>, t: TankCylinder): UnrolledLayout {
  const f = unrollFrame(t);
  const u = new Float32Array(g.nPmts);
  const v = new Float32Array(g.nPmts);
  for (let i = 0; i < g.nPmts; i++) {
    const [h, a, b] = toAxial(g.axis, g.x[i], g.y[i], g.z[i]);
    const [pu, pv] = unrollAxial(f, regions[i], h, a, b);
    u[i] = pu;
    v[i] = pv;
  }
  const halfWidth = Math.PI * t.radius;
  return {
    u,
    v,
    halfWidth,
    vTop: f.vTop,
    vBottom: f.vBottom,
    topCentre: f.topCentre,
    bottomCentre: f.bottomCentre,
    capRadius: t.capRadius,
    bounds: {
      uMin: -halfWidth,
      uMax: halfWidth,
      vMin: f.bottomCentre - t.capRadius,
      vMax: f.topCentre + t.capRadius,
    },
  };
}

/**
 * Nearest PMT to a point of the unrolled plane within `maxDistance` cm, through a
 * uniform grid built once per geometry (hover without scanning every PMT).
 */
export class UnrolledLookup {
  private readonly cell: number;
  private readonly nu: number;
  private readonly nv: number;
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(
    private readonly layout: UnrolledLayout,
    cellSize?: number,
  ) {
    const { uMin, uMax, vMin, vMax } = layout.bounds;
    const n = layout.u.length;
    const area = (uMax - uMin) * (vMax - vMin);
    this.cell = cellSize ?? Math.max(1e-6, Math.sqrt(area / Math.max(1, n)) * 2);
    this.nu = Math.max(1, Math.ceil((uMax - uMin) / this.cell) + 1);
    this.nv = Math.max(1, Math.ceil((vMax - vMin) / this.cell) + 1);
    const counts = new Int32Array(this.nu * this.nv + 1);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(layout.u[i], layout.v[i]);
      cellOf[i] = c;
      counts[c + 1]++;
    }
    for (let c = 0; c < this.nu * this.nv; c++) counts[c + 1] += counts[c];
    this.start = counts;
    this.items = new Int32Array(n);
    const fill = counts.slice(0, -1);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private cellIndex(u: number, v: number): number {
    const { uMin, vMin } = this.layout.bounds;
    const iu = Math.min(this.nu - 1, Math.max(0, Math.floor((u - uMin) / this.cell)));
    const iv = Math.min(this.nv - 1, Math.max(0, Math.floor((v - vMin) / this.cell)));
    return iv * this.nu + iu;
  }

  nearest(u: number, v: number, maxDistance: number): number {
    const { uMin, vMin } = this.layout.bounds;
    const r = Math.ceil(maxDistance / this.cell);
    const cu = Math.floor((u - uMin) / this.cell);
    const cv = Math.floor((v - vMin) / this.cell);
    let best = -1;
    let bestD = maxDistance * maxDistance;
    for (let iv = Math.max(0, cv - r); iv <= Math.min(this.nv - 1, cv + r); iv++) {
      for (let iu = Math.max(0, cu - r); iu <= Math.min(this.nu - 1, cu + r); iu++) {
        const c = iv * this.nu + iu;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) {
          const i = this.items[k];
          const du = this.layout.u[i] - u;
          const dv = this.layout.v[i] - v;
          const d = du * du + dv * dv;
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
