import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { neighborInDegree, neighborsFromLists } from '../../../../src-worker/instrument/neighbors.js';
import { cameraRadiusDeg, guessCameraRadius } from '../../../../src-worker/reco/camera-radius.js';
import { itrsToGeodetic } from '../../../../src-worker/reco/geodetic.js';
import { showerImpactDistance } from '../../../../src-worker/reco/impact-distance.js';
import { type ReconstructedGeometry, type StereoTelescopeEvent, reconstructHillasGeometry } from '../../../../src-worker/reco/hillas-reconstructor.js';
import { CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA } from '../../../../src-worker/reco/stereo-quality-query.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

/**
 * Reproduces ctapipe 0.26's stored HillasReconstructor result of the sample
 * DL1 file from the telescope-frame parameters stored in the same file. The
 * inputs are read by a small PyTables script at test time.
 */

const here = dirname(fileURLToPath(import.meta.url));
const SAMPLES = join(here, '../../../../test/fixtures/samples');
const DL1 = join(SAMPLES, 'dl1_sample_120.blosc.h5');
const REFVALUES = join(SAMPLES, 'ctapipe_refvalues_sample.jsonl.gz');

type Columns = Record<string, (number | string | boolean | null | boolean[])[]>;
interface Fixture {
  layout: Columns;
  reference_itrs: [number, number, number];
  optics: Columns;
  cameras: Record<string, { name: string; pix_x: number[]; pix_y: number[] }>;
  subarray_pointing: { lat_deg: number; lon_deg: number; frame: number };
  pointing: Record<string, { alt_rad: number; az_rad: number }>;
  parameters: Record<string, Columns>;
  impact: Record<string, Columns>;
  geometry: Columns;
  stereo_statistics: Columns;
}

const num = (v: unknown): number => (v === null ? NaN : (v as number));

let fx: Fixture;
let neighborCounts: Map<string, Int32Array>;

beforeAll(() => {
  const json = execFileSync(REF_PY.path, [join(here, 'dl1-stereo-fixture.py'), DL1], {
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  fx = JSON.parse(json) as Fixture;
  // ctapipe's own neighbour lists (CameraGeometry.neighbors) for guess_radius
  neighborCounts = new Map();
  for (const line of gunzipSync(readFileSync(REFVALUES)).toString('utf8').split('\n')) {
    if (!line.startsWith('{"kind": "camera"')) continue;
    const cam = JSON.parse(line) as { camera: string; neighbors: number[][] };
    neighborCounts.set(cam.camera, neighborInDegree(neighborsFromLists(cam.neighbors)));
  }
});

interface Setup {
  telescopes: Map<number, Omit<StereoTelescopeEvent, 'hillas' | 'quality'>>;
  observationLevel: number;
  arrayAlt: number;
  arrayAz: number;
}

function setup(focal: 'effective_focal_length' | 'equivalent_focal_length'): Setup {
  const L = fx.layout;
  const focalByOptics = new Map<string, number>();
  fx.optics.optics_name.forEach((name, i) => focalByOptics.set(name as string, num(fx.optics[focal][i])));
  const radiusByCamera = new Map<string, number>();
  for (const cam of Object.values(fx.cameras)) {
    const counts = neighborCounts.get(cam.name);
    if (!counts) throw new Error(`no neighbours for ${cam.name}`);
    radiusByCamera.set(cam.name, guessCameraRadius(cam.pix_x, cam.pix_y, counts));
  }
  const telescopes = new Map<number, Omit<StereoTelescopeEvent, 'hillas' | 'quality'>>();
  L.tel_id.forEach((id, i) => {
    const telId = id as number;
    const p = fx.pointing[String(telId)];
    telescopes.set(telId, {
      telId,
      position: [num(L.pos_x[i]), num(L.pos_y[i]), num(L.pos_z[i])],
      pointingAlt: (p.alt_rad * 180) / Math.PI,
      pointingAz: (p.az_rad * 180) / Math.PI,
      camRadiusDeg: cameraRadiusDeg(radiusByCamera.get(L.camera_name[i] as string)!, focalByOptics.get(L.optics_name[i] as string)!),
    });
  });
  const [x, y, z] = fx.reference_itrs;
  return {
    telescopes,
    observationLevel: itrsToGeodetic(x, y, z).height,
    arrayAlt: fx.subarray_pointing.lat_deg,
    arrayAz: fx.subarray_pointing.lon_deg,
  };
}

interface EventResult {
  eventId: number;
  ours: ReconstructedGeometry;
  storedTelMask: boolean[];
  storedValid: boolean;
  stored: Record<string, number>;
  storedCorePsi: Map<number, number>;
}

function reconstructAll(s: Setup): EventResult[] {
  // group telescope events by event id, ascending tel id
  const byEvent = new Map<number, { tel: StereoTelescopeEvent; corePsi: number }[]>();
  const tables = Object.keys(fx.parameters).sort();
  for (const name of tables) {
    const t = fx.parameters[name];
    t.event_id.forEach((ev, i) => {
      const telId = t.tel_id[i] as number;
      const base = s.telescopes.get(telId)!;
      const list = byEvent.get(ev as number) ?? [];
      list.push({
        tel: {
          ...base,
          hillas: {
            intensity: num(t.hillas_intensity[i]),
            fovLon: num(t.hillas_fov_lon[i]),
            fovLat: num(t.hillas_fov_lat[i]),
            psi: num(t.hillas_psi[i]),
            length: num(t.hillas_length[i]),
            width: num(t.hillas_width[i]),
          },
          quality: {
            nPixels: num(t.morphology_n_pixels[i]),
            leakageIntensityWidth2: num(t.leakage_intensity_width_2[i]),
          },
        },
        corePsi: num(t.core_psi[i]),
      });
      byEvent.set(ev as number, list);
    });
  }
  const G = fx.geometry;
  return G.event_id.map((ev, k) => {
    const list = (byEvent.get(ev as number) ?? []).sort((a, b) => a.tel.telId - b.tel.telId);
    const ours = reconstructHillasGeometry({
      telescopes: list.map((e) => e.tel),
      arrayPointingAlt: s.arrayAlt,
      arrayPointingAz: s.arrayAz,
      observationLevel: s.observationLevel,
    });
    const stored: Record<string, number> = {};
    for (const key of ['alt', 'az', 'alt_uncert', 'core_x', 'core_y', 'core_tilted_x', 'core_tilted_y', 'h_max', 'average_intensity']) {
      stored[key] = num(G[`HillasReconstructor_${key}`][k]);
    }
    return {
      eventId: ev as number,
      ours,
      storedTelMask: G.HillasReconstructor_telescopes[k] as boolean[],
      storedValid: G.HillasReconstructor_is_valid[k] as boolean,
      stored,
      storedCorePsi: new Map(list.map((e) => [e.tel.telId, e.corePsi])),
    };
  });
}

/** Angle between two alt/az directions, deg (atan2 form: accurate near 0). */
function angularDistanceDeg(alt1: number, az1: number, alt2: number, az2: number): number {
  const r = Math.PI / 180;
  const u = (alt: number, az: number) => [Math.cos(alt * r) * Math.cos(az * r), Math.cos(alt * r) * Math.sin(az * r), Math.sin(alt * r)];
  const a = u(alt1, az1);
  const b = u(alt2, az2);
  const c = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  return Math.atan2(Math.hypot(c[0], c[1], c[2]), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / r;
}

interface Deviations {
  nValid: number;
  dir: number;
  alt: number;
  az: number;
  core: number;
  coreTilted: number;
  hMax: number;
  uncert: number;
  avgIntensity: number;
  corePsi: number;
}

function deviations(results: EventResult[]): Deviations {
  const d: Deviations = { nValid: 0, dir: 0, alt: 0, az: 0, core: 0, coreTilted: 0, hMax: 0, uncert: 0, avgIntensity: 0, corePsi: 0 };
  for (const r of results) {
    if (!r.storedValid) continue;
    d.nValid++;
    const o = r.ours;
    const s = r.stored;
    d.dir = Math.max(d.dir, angularDistanceDeg(o.alt, o.az, s.alt, s.az));
    d.alt = Math.max(d.alt, Math.abs(o.alt - s.alt));
    let daz = Math.abs(o.az - s.az);
    daz = Math.min(daz, 360 - daz);
    d.az = Math.max(d.az, daz);
    d.core = Math.max(d.core, Math.hypot(o.coreX - s.core_x, o.coreY - s.core_y));
    d.coreTilted = Math.max(d.coreTilted, Math.hypot(o.coreTiltedX - s.core_tilted_x, o.coreTiltedY - s.core_tilted_y));
    d.hMax = Math.max(d.hMax, Math.abs(o.hMax - s.h_max));
    d.uncert = Math.max(d.uncert, Math.abs(o.altUncert - s.alt_uncert));
    d.avgIntensity = Math.max(d.avgIntensity, Math.abs(o.averageIntensity - s.average_intensity) / s.average_intensity);
    o.telIds.forEach((id, i) => {
      d.corePsi = Math.max(d.corePsi, Math.abs(o.corePsi[i] - r.storedCorePsi.get(id)!));
    });
  }
  return d;
}

describeWith([REF_PY], 'HillasReconstructor against ctapipe 0.26 (dl1_sample_120)', () => {
  it('the file records the stereo quality criteria we apply', () => {
    const stats = fx.stereo_statistics;
    const recorded = (stats.func as string[]).slice(1); // first row is TOTAL / "True"
    expect(recorded).toEqual(CTAPIPE_PROCESS_STEREO_QUALITY_CRITERIA.map((c) => c.expression));
  });

  it('selects the same telescopes and validity as ctapipe, and matches direction, core and h_max', () => {
    const results = reconstructAll(setup('effective_focal_length'));
    expect(results.length).toBe(120);
    const telIdOrder = fx.layout.tel_id as number[];
    for (const r of results) {
      expect(r.ours.isValid, `event ${r.eventId} validity`).toBe(r.storedValid);
      const ourMask = telIdOrder.map((id) => r.ours.telIds.includes(id));
      if (r.storedValid) expect(ourMask, `event ${r.eventId} telescopes`).toEqual(r.storedTelMask);
    }
    const d = deviations(results);
    console.log(
      `stereo vs ctapipe (${d.nValid} valid events): max direction ${d.dir.toExponential(2)} deg ` +
        `(alt ${d.alt.toExponential(2)}, az ${d.az.toExponential(2)}), core ${d.core.toExponential(2)} m ` +
        `(tilted ${d.coreTilted.toExponential(2)} m), h_max ${d.hMax.toExponential(2)} m, ` +
        `uncert ${d.uncert.toExponential(2)} deg, core psi ${d.corePsi.toExponential(2)} deg`,
    );
    const eq = deviations(reconstructAll(setup('equivalent_focal_length')));
    console.log(
      `  (camera radius with equivalent focal length instead: max direction ${eq.dir.toExponential(2)} deg, core ${eq.core.toExponential(2)} m, h_max ${eq.hMax.toExponential(2)} m)`,
    );
    expect(d.nValid).toBe(70);
    // the acceptance criterion of the reconstruction issue ...
    expect(d.dir).toBeLessThan(1e-3);
    // ... and what we actually reach: float64 round-off
    expect(d.alt).toBeLessThan(1e-9);
    expect(d.az).toBeLessThan(1e-9);
    expect(d.core).toBeLessThan(1e-6);
    expect(d.coreTilted).toBeLessThan(1e-6);
    expect(d.hMax).toBeLessThan(1e-5);
    expect(d.corePsi).toBeLessThan(1e-9);
    expect(d.avgIntensity).toBeLessThan(1e-12);
    // ctapipe's uncertainty is a mean of arccos values: ~1e-6 deg of round-off near 0
    expect(d.uncert).toBeLessThan(1e-5);
    // the camera radius must be converted with the effective focal length, as ctapipe did here
    expect(eq.dir).toBeGreaterThan(1e-4);
  });

  it('matches the stored per-telescope impact distances (NaN for invalid events)', () => {
    const s = setup('effective_focal_length');
    const results = new Map(reconstructAll(s).map((r) => [r.eventId, r.ours]));
    let maxDev = 0;
    let nValid = 0;
    let nNaN = 0;
    for (const table of Object.values(fx.impact)) {
      table.event_id.forEach((ev, i) => {
        const telId = table.tel_id[i] as number;
        const g = results.get(ev as number)!;
        const [d] = showerImpactDistance(g.coreX, g.coreY, g.alt, g.az, [s.telescopes.get(telId)!.position]);
        const stored = num(table.HillasReconstructor_tel_impact_distance[i]);
        if (Number.isNaN(stored)) {
          expect(Number.isNaN(d)).toBe(true);
          nNaN++;
        } else {
          maxDev = Math.max(maxDev, Math.abs(d - stored));
          nValid++;
        }
      });
    }
    console.log(`impact distances: ${nValid} compared, max deviation ${maxDev.toExponential(2)} m; ${nNaN} NaN as stored`);
    expect(nValid).toBeGreaterThan(0);
    expect(maxDev).toBeLessThan(1e-6);
  });
});
