/**
 * The unrolled tank on the real IWCD geometry: known PMTs (a barrel one, a
 * top-cap one, a bottom-cap one) land where they belong, and the layout agrees
 * with DataTools' independent 40×40 mPMT image (top cap rows 0-11, barrel
 * 12-27 with columns along atan2(z, x), bottom cap 28-39). Plus the tank
 * cylinder, the Cherenkov cone's ring, and the nearest-PMT lookup.
 */
import { describe, expect, it } from 'vitest';
import { loadPmtGeometry } from '../../../../src-worker/io/watchmal/pmt-geometry.js';
import { measureTank, pmtRegions, REGION_BARREL, REGION_BOTTOM, REGION_TOP } from '../../../../src-worker/tank/tank-frame.js';
import { UnrolledLookup, unrollPmts } from '../../../../src-worker/tank/unrolled-projection.js';
import { cherenkovAngle, cherenkovRing, directionFromAngles, rayExit } from '../../../../src-worker/tank/cherenkov-ring.js';

const g = loadPmtGeometry('iwcd_mpmt_4pi');
const regions = pmtRegions(g);
const tank = measureTank(g, regions);
const layout = unrollPmts(g, regions, tank);

describe('IWCD tank cylinder', () => {
  it('is measured from the PMTs as the data README gives it', () => {
    expect(tank.axis).toBe('y');
    expect(tank.radius).toBeGreaterThan(363);
    expect(tank.radius).toBeLessThan(371);
    expect(tank.hTop).toBeGreaterThan(512);
    expect(tank.hTop).toBeLessThan(518);
    expect(tank.hBottom).toBeLessThan(-512);
    expect(tank.barrelTop).toBeLessThanOrEqual(477.6);
    expect([...regions].filter((r) => r === REGION_BARREL).length).toBe(12160);
    expect([...regions].filter((r) => r === REGION_TOP).length).toBe(1824);
    expect([...regions].filter((r) => r === REGION_BOTTOM).length).toBe(1824);
  });
});

describe('unrolled IWCD layout', () => {
  const centre = (tank.hTop + tank.hBottom) / 2;

  it('puts barrel PMT 0 at R·atan2(z, x) across and its height up the rectangle', () => {
    // PMT 0: x 367.52124, y 383.129517, z 28.4631023 (the geometry CSV)
    expect(regions[0]).toBe(REGION_BARREL);
    expect(layout.u[0]).toBeCloseTo(tank.radius * Math.atan2(28.4631023, 367.52124), 3);
    expect(layout.v[0]).toBeCloseTo(383.129517 - centre, 3);
    expect(layout.u[0]).toBeGreaterThan(-layout.halfWidth);
    expect(layout.u[0]).toBeLessThan(layout.halfWidth);
    expect(layout.v[0]).toBeLessThan(layout.vTop);
    expect(layout.v[0]).toBeGreaterThan(layout.vBottom);
  });

  it('puts a top-cap PMT inside the disc above the barrel and a bottom-cap PMT inside the disc below', () => {
    const top = 736 * 19 + 18; // centre PMT of mPMT 736 (top cap: mPMTs 736-831)
    const bottom = 600 * 19 + 18; // centre PMT of mPMT 600 (bottom cap: 600-695)
    expect(regions[top]).toBe(REGION_TOP);
    expect(regions[bottom]).toBe(REGION_BOTTOM);
    for (const [p, centreV] of [
      [top, layout.topCentre],
      [bottom, layout.bottomCentre],
    ] as const) {
      const r = Math.hypot(g.x[p], g.z[p]);
      // distance from the disc centre = distance from the tank axis
      expect(Math.hypot(layout.u[p], layout.v[p] - centreV)).toBeCloseTo(r, 2);
      expect(r).toBeLessThanOrEqual(layout.capRadius);
    }
    expect(layout.v[top] - layout.capRadius * 0).toBeGreaterThan(layout.vTop);
    expect(layout.v[bottom]).toBeLessThan(layout.vBottom);
    // azimuth 0 touches the barrel: the cap PMT nearest +x sits right above/below u = 0
    expect(layout.u[top]).toBeCloseTo(g.z[top], 3);
    expect(layout.v[top]).toBeCloseTo(layout.topCentre - g.x[top], 3);
    expect(layout.v[bottom]).toBeCloseTo(layout.bottomCentre + g.x[bottom], 3);
  });

  it("agrees with DataTools' mPMT image: caps above and below the barrel, rows downwards, barrel columns along the azimuth", () => {
    const row = g.mpmtImageRow!;
    const col = g.mpmtImageCol!;
    let minTop = Infinity;
    let maxBarrel = -Infinity;
    let minBarrel = Infinity;
    let maxBottom = -Infinity;
    for (let p = 0; p < g.nPmts; p++) {
      if (row[p] <= 11) minTop = Math.min(minTop, layout.v[p]);
      else if (row[p] <= 27) {
        maxBarrel = Math.max(maxBarrel, layout.v[p]);
        minBarrel = Math.min(minBarrel, layout.v[p]);
      } else maxBottom = Math.max(maxBottom, layout.v[p]);
    }
    expect(minTop).toBeGreaterThan(maxBarrel);
    expect(minBarrel).toBeGreaterThan(maxBottom);
    // barrel mPMT centres (pmt_in_mpmt 18): v falls with the image row, u rises with the image column
    const centres = [...Array(832).keys()].map((m) => m * 19 + 18).filter((p) => row[p] >= 12 && row[p] <= 27);
    expect(centres.length).toBe(640);
    // (the image starts at azimuth 0 where the unrolled barrel is cut at ±180°: compare azimuths in [0, 2π))
    const az = (p: number) => {
      const a = layout.u[p] / tank.radius;
      return a < 0 ? a + 2 * Math.PI : a;
    };
    let misplaced = 0;
    for (const p of centres) {
      expect(az(p)).toBeCloseTo(((4.4 + 9 * col[p]) * Math.PI) / 180, 1);
      for (const q of centres) {
        if (row[p] < row[q] && !(layout.v[p] > layout.v[q])) misplaced++;
        if (col[p] < col[q] && !(az(p) < az(q))) misplaced++;
      }
    }
    expect(misplaced).toBe(0);
  });

  it('finds the PMT under a point of the unrolled plane', () => {
    const lookup = new UnrolledLookup(layout);
    for (const p of [0, 4321, 736 * 19 + 18, 600 * 19 + 3, g.nPmts - 1]) {
      expect(lookup.nearest(layout.u[p] + 0.5, layout.v[p] - 0.5, 5)).toBe(p);
    }
    expect(lookup.nearest(0, layout.bounds.vMax + 500, 5)).toBe(-1);
  });
});

describe('Cherenkov ring on the tank wall', () => {
  it('is the cone of arccos(1/n) around the direction, on the wall', () => {
    const theta = cherenkovAngle();
    expect((theta * 180) / Math.PI).toBeCloseTo(41.4, 1);
    const vertex = [88.8684, 28.103167, 83.04829]; // event 0 of the sample
    const dir = directionFromAngles(1.9826776, -0.79686004);
    expect(Math.acos(dir[1])).toBeCloseTo(1.9826776, 6);
    const ring = cherenkovRing(tank, vertex, dir, theta, 90);
    let n = 0;
    for (let k = 0; k < 90; k++) {
      if (ring.region[k] === 255) continue;
      n++;
      const p = [ring.points[3 * k], ring.points[3 * k + 1], ring.points[3 * k + 2]];
      const v = [p[0] - vertex[0], p[1] - vertex[1], p[2] - vertex[2]];
      const cos = (v[0] * dir[0] + v[1] * dir[1] + v[2] * dir[2]) / Math.hypot(v[0], v[1], v[2]);
      expect(cos).toBeCloseTo(Math.cos(theta), 4);
      if (ring.region[k] === REGION_BARREL) expect(Math.hypot(p[0], p[2])).toBeCloseTo(tank.radius, 2);
      else expect(Math.abs(p[1] - (ring.region[k] === REGION_TOP ? tank.hTop : tank.hBottom))).toBeLessThan(1e-3);
    }
    expect(n).toBe(90);
  });

  it('leaves the tank through the cap or the barrel, whichever comes first', () => {
    expect(rayExit(tank, [0, 0, 0], [0, 1, 0])).toMatchObject({ region: REGION_TOP });
    expect(rayExit(tank, [0, 0, 0], [0, -1, 0])).toMatchObject({ region: REGION_BOTTOM });
    const side = rayExit(tank, [0, 0, 0], [1, 0, 0])!;
    expect(side.region).toBe(REGION_BARREL);
    expect(side.distance).toBeCloseTo(tank.radius, 6);
  });
});

describe('z-axis tanks (Super-K, Hyper-K)', () => {
  for (const [name, n, radius, hCap] of [
    ['sk', 11146, 1697, 1813.92],
    ['hk_20inch', 19746, 3243, 3296.47],
  ] as const) {
    it(`${name}: the cylinder along z, barrel PMTs at R·atan2(y, x), caps above and below`, () => {
      const geo = loadPmtGeometry(name);
      expect(geo.nPmts).toBe(n);
      expect(geo.axis).toBe('z');
      const reg = pmtRegions(geo);
      const t = measureTank(geo, reg);
      expect(t.radius).toBeGreaterThan(radius - 5);
      expect(t.radius).toBeLessThan(radius + 5);
      expect(t.hTop).toBeCloseTo(hCap, 0);
      expect(t.hBottom).toBeCloseTo(-hCap, 0);
      const L = unrollPmts(geo, reg, t);
      const centre = (t.hTop + t.hBottom) / 2;
      const barrel = [...reg.keys()].find((i) => reg[i] === REGION_BARREL)!;
      expect(L.u[barrel]).toBeCloseTo(t.radius * Math.atan2(geo.y[barrel], geo.x[barrel]), 2);
      expect(L.v[barrel]).toBeCloseTo(geo.z[barrel] - centre, 2);
      for (let i = 0; i < geo.nPmts; i++) {
        if (reg[i] === REGION_TOP && !(L.v[i] > L.vTop)) throw new Error(`top PMT ${i} not above the barrel`);
        if (reg[i] === REGION_BOTTOM && !(L.v[i] < L.vBottom)) throw new Error(`bottom PMT ${i} not below the barrel`);
      }
    });
  }
});
