import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cameraGeometryFromJson, type CameraGeometryJson } from '../../../../src-worker/instrument/camera-geometry-json.js';
import { cameraFigureSvg } from '../../../../src-worker/figure/camera-svg.js';

const root = join(__dirname, '../../../..');
const camDir = join(root, 'assets/cameras');
const names = readdirSync(camDir)
  .filter((f) => f.endsWith('.camgeom.json'))
  .map((f) => f.slice(0, -'.camgeom.json'.length))
  .sort();

function rawJson(name: string): CameraGeometryJson {
  return JSON.parse(readFileSync(join(camDir, `${name}.camgeom.json`), 'utf8')) as CameraGeometryJson;
}

/** matplotlib RegularPolygon(xy, n, radius, orientation) vertices as ctapipe 0.26's CameraDisplay builds them, straight from the README rule. */
function ctapipeVertices(j: CameraGeometryJson, i: number): [number, number][] {
  const hex = j.pix_type === 'hexagon';
  const area = j.pix_area[i];
  const w = hex ? 2 * Math.sqrt(area / (2 * Math.sqrt(3))) : Math.sqrt(area);
  const radius = hex ? w / Math.sqrt(3) : w / Math.SQRT2;
  const n = hex ? 6 : 4;
  const orientation = ((j.pix_rotation_deg + (hex ? 0 : 45) + j.cam_rotation_deg) * Math.PI) / 180;
  const cr = (j.cam_rotation_deg * Math.PI) / 180;
  const cx = j.pix_x[i] * Math.cos(cr) - j.pix_y[i] * Math.sin(cr);
  const cy = j.pix_x[i] * Math.sin(cr) + j.pix_y[i] * Math.cos(cr);
  // unit_regular_polygon: theta = 2π/n·k + π/2, then scale(radius).rotate(orientation).translate(xy)
  return Array.from({ length: n }, (_, k) => {
    const a = (2 * Math.PI * k) / n + Math.PI / 2 + orientation;
    return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)] as [number, number];
  });
}

function parsePolygons(svg: string): Map<number, [number, number][]> {
  const out = new Map<number, [number, number][]>();
  for (const m of svg.matchAll(/<polygon data-pix="(\d+)" points="([^"]+)"/g)) {
    out.set(
      Number(m[1]),
      m[2].split(' ').map((p) => p.split(',').map(Number) as [number, number]),
    );
  }
  return out;
}

function signedArea(v: [number, number][]): number {
  let a = 0;
  for (let k = 0; k < v.length; k++) {
    const [x0, y0] = v[k];
    const [x1, y1] = v[(k + 1) % v.length];
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

describe('cameraFigureSvg: one true polygon per pixel (ctapipe CameraDisplay rule)', () => {
  test('there are 21 shipped geometries', () => expect(names).toHaveLength(21));

  test.each(names)('%s', (name) => {
    const j = rawJson(name);
    const g = cameraGeometryFromJson(j);
    const image = Float32Array.from({ length: g.nPixels }, (_, i) => Math.sin(i * 0.37) * 10 + 10);
    const svg = cameraFigureSvg({ geometry: g, image, telId: 1, eventId: 42 });
    expect((svg.match(/<polygon /g) ?? []).length).toBe(g.nPixels);
    const polys = parsePolygons(svg);
    expect(polys.size).toBe(g.nPixels);
    const nv = g.pixType === 'hexagon' ? 6 : 4;
    const probe = [0, 1, Math.floor(g.nPixels / 3), Math.floor(g.nPixels / 2), g.nPixels - 1];
    for (const [i, verts] of polys) {
      expect(verts.length).toBe(nv);
      // matplotlib draws polygons counter-clockwise (positive area) in the camera frame
      expect(signedArea(verts)).toBeGreaterThan(0);
      if (probe.includes(i)) {
        const want = ctapipeVertices(j, i);
        for (let k = 0; k < nv; k++) {
          expect(verts[k][0]).toBeCloseTo(want[k][0], 6);
          expect(verts[k][1]).toBeCloseTo(want[k][1], 6);
        }
        // polygon area equals the pixel area (rounding of written coordinates aside)
        expect(Math.abs(signedArea(verts) / j.pix_area[i] - 1)).toBeLessThan(1e-4);
      }
    }
    expect(svg).toContain(`CT1 · ${j.name} · event 42`);
  });

  test('CHEC square pixels (pix_rotation 0) are axis-aligned squares of edge sqrt(area)', () => {
    const j = rawJson('CHEC');
    const svg = cameraFigureSvg({ geometry: cameraGeometryFromJson(j), image: new Float32Array(j.n_pixels) });
    const v = parsePolygons(svg).get(100)!;
    const xs = v.map((p) => p[0]);
    const ys = v.map((p) => p[1]);
    const edge = Math.sqrt(j.pix_area[100]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(edge, 6);
    expect(Math.max(...ys) - Math.min(...ys)).toBeCloseTo(edge, 6);
    // first vertex at 90° + 45°: upper-left corner
    expect(v[0][0]).toBeCloseTo(j.pix_x[100] - edge / 2, 6);
    expect(v[0][1]).toBeCloseTo(j.pix_y[100] + edge / 2, 6);
  });

  test('LSTCam hexagon: flat-to-flat width w = 2·sqrt(area/(2√3)), first vertex at 90° + pix_rotation', () => {
    const j = rawJson('LSTCam');
    const svg = cameraFigureSvg({ geometry: cameraGeometryFromJson(j), image: new Float32Array(j.n_pixels) });
    const v = parsePolygons(svg).get(0)!;
    const w = 2 * Math.sqrt(j.pix_area[0] / (2 * Math.sqrt(3)));
    // opposite edges (0-1) and (3-4): distance between their midpoints
    const m01 = [(v[0][0] + v[1][0]) / 2, (v[0][1] + v[1][1]) / 2];
    const m34 = [(v[3][0] + v[4][0]) / 2, (v[3][1] + v[4][1]) / 2];
    expect(Math.hypot(m01[0] - m34[0], m01[1] - m34[1])).toBeCloseTo(w, 6);
    const a = (Math.atan2(v[0][1] - j.pix_y[0], v[0][0] - j.pix_x[0]) * 180) / Math.PI;
    const d = ((((a - (90 + j.pix_rotation_deg)) % 360) + 540) % 360) - 180;
    expect(Math.abs(d)).toBeLessThan(1e-4);
  });

  test('colours, colour bar, axes in m or deg, overlays', () => {
    const j = rawJson('FlashCam');
    const g = cameraGeometryFromJson(j);
    const image = new Float32Array(g.nPixels);
    image[5] = 100;
    image[6] = Number.NaN;
    const mask = new Uint8Array(g.nPixels);
    mask[5] = 1;
    mask[7] = 1;
    const svg = cameraFigureSvg({ geometry: g, image, mask, hillas: { x: 0.1, y: -0.2, length: 0.1, width: 0.03, psi: 30 } });
    // viridis ends: min #440154, max #fde725; NaN grey
    expect(svg).toMatch(/data-pix="0" points="[^"]+" fill="#440154"/);
    expect(svg).toMatch(/data-pix="5" points="[^"]+" fill="#fde725"/);
    expect(svg).toMatch(/data-pix="6" points="[^"]+" fill="#bdbdbd"/);
    expect((svg.match(/<ellipse /g) ?? []).length).toBe(2);
    expect(svg).toContain('rx="0.2" ry="0.06" transform="rotate(30 0.1 -0.2)"');
    expect((svg.match(/class="cleaning-mask" d="([^"]+)"/)![1].match(/Z/g) ?? []).length).toBe(2);
    expect(svg).toContain('x [m]');
    expect(svg).toContain('charge [p.e.]');
    // intensity from the mask: 100 p.e. (pixel 7 is 0)
    expect(svg).toContain('intensity 100.0 p.e.');
    const degSvg = cameraFigureSvg({ geometry: g, image, focalLength: 16 });
    expect(degSvg).toContain('x [deg]');
    // FlashCam is about ±1.2 m across → ±4.3° at f = 16 m: tick labels in deg, e.g. "4"
    expect(degSvg).toMatch(/text-anchor="middle">4<\/text>/);
  });

  test('rejects an image of the wrong length', () => {
    const g = cameraGeometryFromJson(rawJson('VERITAS'));
    expect(() => cameraFigureSvg({ geometry: g, image: new Float32Array(10) })).toThrow(/499 pixels/);
  });
});
