import { describe, expect, it } from 'vitest';
import { cameraRadiusDeg, guessCameraRadius } from '../../../../src-worker/reco/camera-radius.js';
import {
  DEG,
  type Vec3,
  altAzCartesianToRightHanded,
  altAzCartesianToTelescope,
  groundToTilted,
  projectTiltedToGround,
  sphericalToCartesian,
  telescopeToAltAzCartesian,
} from '../../../../src-worker/reco/coordinate-frames.js';
import { itrsToGeodetic } from '../../../../src-worker/reco/geodetic.js';
import { type StereoTelescopeEvent, reconstructHillasGeometry } from '../../../../src-worker/reco/hillas-reconstructor.js';
import { lineLineIntersection3d } from '../../../../src-worker/reco/line-intersection.js';
import { passesStereoQuality } from '../../../../src-worker/reco/stereo-quality-query.js';

describe('coordinate frames', () => {
  it('the telescope pointing is the origin of its telescope frame, and the transform round-trips', () => {
    const alt = 70 * DEG;
    const az = 123 * DEG;
    const [lon0, lat0] = altAzCartesianToTelescope(sphericalToCartesian(az, alt), alt, az);
    expect(Math.abs(lon0)).toBeLessThan(1e-15);
    expect(Math.abs(lat0)).toBeLessThan(1e-15);
    const v = telescopeToAltAzCartesian(1.3 * DEG, -0.7 * DEG, alt, az);
    const [lon, lat] = altAzCartesianToTelescope(v, alt, az);
    expect(lon / DEG).toBeCloseTo(1.3, 13);
    expect(lat / DEG).toBeCloseTo(-0.7, 13);
  });

  it('fov_lat is aligned with altitude and fov_lon with azimuth', () => {
    const alt = 40 * DEG;
    const az = 10 * DEG;
    const up = telescopeToAltAzCartesian(0, 1 * DEG, alt, az);
    expect(Math.asin(up[2]) / DEG).toBeCloseTo(41, 12);
    expect(Math.atan2(up[1], up[0]) / DEG).toBeCloseTo(10, 12);
    const side = telescopeToAltAzCartesian(1 * DEG, 0, alt, az);
    expect(Math.atan2(side[1], side[0]) / DEG).toBeGreaterThan(10);
  });

  it('the right-handed direction of an azimuth of 90° (east) points to -y (y is west)', () => {
    const d = altAzCartesianToRightHanded(sphericalToCartesian(90 * DEG, 0));
    expect(d[1]).toBeCloseTo(-1, 15);
  });

  it('a tilted-frame point on the pointing axis projects back to its ground point', () => {
    const alt = 60 * DEG;
    const az = 30 * DEG;
    const ground: Vec3 = [120, -45, 0];
    const t = groundToTilted(ground, alt, az);
    // move the point along the tilted z axis (the pointing direction): same ground projection
    const [x, y] = projectTiltedToGround([t[0], t[1], 0], alt, az);
    const [x2, y2] = projectTiltedToGround(t, alt, az);
    expect(x).toBeCloseTo(120, 10);
    expect(y).toBeCloseTo(-45, 10);
    expect(x2).toBeCloseTo(120, 10);
    expect(y2).toBeCloseTo(-45, 10);
  });
});

describe('lineLineIntersection3d', () => {
  it('finds the common point of lines through it', () => {
    const target: Vec3 = [3, -2, 7];
    const dirs: Vec3[] = [
      [1, 0, 0],
      [0, 1, 0],
      [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)],
    ];
    const origins = dirs.map((d, i): Vec3 => [target[0] - (i + 2) * d[0], target[1] - (i + 2) * d[1], target[2] - (i + 2) * d[2]]);
    const p = lineLineIntersection3d(dirs, origins);
    for (let k = 0; k < 3; k++) expect(p[k]).toBeCloseTo(target[k], 12);
  });

  it('gives the midpoint of the common perpendicular of two skew lines', () => {
    const p = lineLineIntersection3d(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 2],
      ],
    );
    expect(p[0]).toBeCloseTo(0, 14);
    expect(p[1]).toBeCloseTo(0, 14);
    expect(p[2]).toBeCloseTo(1, 14);
  });

  it('returns NaN for parallel lines', () => {
    const p = lineLineIntersection3d(
      [
        [0, 0, 1],
        [0, 0, 1],
      ],
      [
        [0, 0, 0],
        [1, 0, 0],
      ],
    );
    expect(Number.isNaN(p[0])).toBe(true);
  });
});

describe('itrsToGeodetic (WGS84)', () => {
  function forward(lat: number, lon: number, h: number): Vec3 {
    const a = 6378137.0;
    const f = 1 / 298.257223563;
    const e2 = f * (2 - f);
    const n = a / Math.sqrt(1 - e2 * Math.sin(lat) ** 2);
    return [(n + h) * Math.cos(lat) * Math.cos(lon), (n + h) * Math.cos(lat) * Math.sin(lon), (n * (1 - e2) + h) * Math.sin(lat)];
  }
  it.each([
    [28.76 * DEG, -17.89 * DEG, 2200],
    [-24.68 * DEG, -70.32 * DEG, 2150],
    [0, 0, 0],
    [89.9 * DEG, 10 * DEG, 5000],
  ])('inverts the forward formula at lat %f rad', (lat, lon, h) => {
    const [x, y, z] = forward(lat, lon, h);
    const g = itrsToGeodetic(x, y, z);
    expect(g.height).toBeCloseTo(h, 6);
    expect(g.lat).toBeCloseTo(lat, 12);
    expect(g.lon).toBeCloseTo(lon, 12);
  });
});

describe('guessCameraRadius', () => {
  it('averages the distance of the pixels with fewer neighbours than the maximum', () => {
    // 3×3 square grid, 4-neighbourhood: only the centre has 4 neighbours
    const x: number[] = [];
    const y: number[] = [];
    const nb: number[] = [];
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        x.push(i);
        y.push(j);
        nb.push((i === 0 ? 2 : 1) + (j === 0 ? 2 : 1));
      }
    }
    const expected = (4 * 1 + 4 * Math.SQRT2) / 8;
    expect(guessCameraRadius(x, y, nb)).toBeCloseTo(expected, 14);
    expect(cameraRadiusDeg(1, 57.29577951308232)).toBeCloseTo(1, 12);
  });
});

describe('stereo quality query', () => {
  it('rejects NaN parameters like a Python comparison does', () => {
    expect(passesStereoQuality({ intensity: 100, width: 0.1, nPixels: 10, leakageIntensityWidth2: 0 })).toBe(true);
    expect(passesStereoQuality({ intensity: NaN, width: 0.1, nPixels: 10, leakageIntensityWidth2: 0 })).toBe(false);
    expect(passesStereoQuality({ intensity: 100, width: 0.1, nPixels: 10, leakageIntensityWidth2: 0.5 })).toBe(false);
    expect(passesStereoQuality({ intensity: 50, width: 0.1, nPixels: 10, leakageIntensityWidth2: 0 })).toBe(false);
  });
});

/**
 * A geometric shower: a straight axis from `direction` through the ground
 * core; each telescope sees its cog at the shower maximum and its image axis
 * along the projection of the shower axis. With the shower coming from the
 * pointing direction, the reconstruction must return the true geometry (up to
 * the small difference between a straight line in (fov_lon, fov_lat) and a
 * great circle, which ctapipe's construction also has).
 */
function syntheticShower(opts: {
  alt: number;
  az: number;
  core: Vec3;
  maxDistance: number;
  pointingAlt: number;
  pointingAz: number;
  positions: Vec3[];
}): StereoTelescopeEvent[] {
  const dir: Vec3 = altAzCartesianToRightHanded(sphericalToCartesian(opts.az * DEG, opts.alt * DEG));
  const along = (d: number): Vec3 => [opts.core[0] + d * dir[0], opts.core[1] + d * dir[1], opts.core[2] + d * dir[2]];
  const seen = (pos: Vec3, point: Vec3): [number, number] => {
    const v: Vec3 = [point[0] - pos[0], point[1] - pos[1], point[2] - pos[2]];
    const l = Math.hypot(v[0], v[1], v[2]);
    // right-handed → astropy AltAz cartesian (flip y)
    const [lon, lat] = altAzCartesianToTelescope([v[0] / l, -v[1] / l, v[2] / l], opts.pointingAlt * DEG, opts.pointingAz * DEG);
    return [lon / DEG, lat / DEG];
  };
  return opts.positions.map((pos, i) => {
    const [lon1, lat1] = seen(pos, along(opts.maxDistance));
    // a point slightly further along the axis gives the local image-axis direction
    const [lon2, lat2] = seen(pos, along(opts.maxDistance * 1.001));
    let psi = Math.atan2(lat2 - lat1, lon2 - lon1) / DEG;
    if (psi > 90) psi -= 180;
    if (psi <= -90) psi += 180;
    return {
      telId: i + 1,
      position: pos,
      pointingAlt: opts.pointingAlt,
      pointingAz: opts.pointingAz,
      camRadiusDeg: 2,
      hillas: { intensity: 200 + 50 * i, fovLon: lon1, fovLat: lat1, length: 0.3, width: 0.1, psi },
      quality: { nPixels: 20, leakageIntensityWidth2: 0 },
    };
  });
}

describe('reconstructHillasGeometry on synthetic showers', () => {
  const positions: Vec3[] = [
    [75, 0, 0],
    [0, 75, 0],
    [-75, 0, 0],
    [0, -75, 0],
    [160, 160, 0],
  ];

  it('recovers direction, core and h_max of a shower from the pointing direction', () => {
    const core: Vec3 = [40, -25, 0];
    const tels = syntheticShower({ alt: 70, az: 20, core, maxDistance: 9000, pointingAlt: 70, pointingAz: 20, positions });
    const r = reconstructHillasGeometry({ telescopes: tels, arrayPointingAlt: 70, arrayPointingAz: 20, observationLevel: 2000 });
    expect(r.isValid).toBe(true);
    expect(r.telIds).toEqual([1, 2, 3, 4, 5]);
    expect(r.alt).toBeCloseTo(70, 4);
    expect(r.az).toBeCloseTo(20, 4);
    expect(r.coreX).toBeCloseTo(core[0], 1);
    expect(r.coreY).toBeCloseTo(core[1], 1);
    // the cog lines meet exactly at the shower maximum
    expect(r.hMax).toBeCloseTo(2000 + 9000 * Math.sin(70 * DEG), 3);
  });

  it('recovers an off-axis direction', () => {
    const tels = syntheticShower({ alt: 68.5, az: 2.5, core: [-30, 60, 0], maxDistance: 11000, pointingAlt: 70, pointingAz: 0, positions });
    const r = reconstructHillasGeometry({ telescopes: tels, arrayPointingAlt: 70, arrayPointingAz: 0, observationLevel: 0 });
    expect(r.alt).toBeCloseTo(68.5, 3);
    expect(r.az).toBeCloseTo(2.5, 3);
    expect(r.hMax).toBeCloseTo(11000 * Math.sin(68.5 * DEG), 2);
  });

  it('is invalid with fewer than two telescopes passing the quality query, or a zero width', () => {
    const tels = syntheticShower({ alt: 70, az: 0, core: [0, 0, 0], maxDistance: 9000, pointingAlt: 70, pointingAz: 0, positions });
    tels[1].hillas.intensity = 10;
    tels[2].quality = { nPixels: 2, leakageIntensityWidth2: 0 };
    tels[3].quality = { nPixels: 20, leakageIntensityWidth2: 0.9 };
    tels[4].hillas.width = NaN;
    const r = reconstructHillasGeometry({ telescopes: tels, arrayPointingAlt: 70, arrayPointingAz: 0, observationLevel: 0 });
    expect(r.isValid).toBe(false);
    expect(r.invalidReason).toBe('too few telescopes');
    expect(Number.isNaN(r.alt)).toBe(true);

    const zero = syntheticShower({ alt: 70, az: 0, core: [0, 0, 0], maxDistance: 9000, pointingAlt: 70, pointingAz: 0, positions });
    zero[0].hillas.width = 0;
    const r0 = reconstructHillasGeometry({ telescopes: zero, arrayPointingAlt: 70, arrayPointingAz: 0, observationLevel: 0 }, { qualityCriteria: [] });
    expect(r0.invalidReason).toBe('invalid width');
  });

  it('az stays in [0, 360)', () => {
    const tels = syntheticShower({ alt: 70, az: 359.5, core: [0, 10, 0], maxDistance: 9000, pointingAlt: 70, pointingAz: 0, positions });
    const r = reconstructHillasGeometry({ telescopes: tels, arrayPointingAlt: 70, arrayPointingAz: 0, observationLevel: 0 });
    expect(r.az).toBeGreaterThanOrEqual(0);
    expect(r.az).toBeLessThan(360);
    expect(r.az).toBeCloseTo(359.5, 3);
  });
});
