/**
 * The site of a sim_telarray file as ctapipe stores it: geodeticToItrs
 * against astropy 5.2's `EarthLocation(lon, lat, height)` (the x, y, z
 * below were printed by the ctapipe 0.26 oracle's astropy; the first is
 * aux_traces_2029's site, written so by ctapipe-process in
 * test/fixtures/simtel/aux_traces_2029.ctapipe.dl1.h5), and the
 * `reference_itrs_{x,y,z}` attributes Lightpool writes for every fixture
 * with a ctapipe-process reference equal to the reference's. No oracle
 * needed; ctapipe reading them back is test/unit/main/process/process-simtel-site.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { referenceItrsAttrs } from '../../../../../src-worker/io/simtel/simtel-dl1-instrument.js';
import { geodeticToItrs } from '../../../../../src-worker/instrument/earth-location.js';
import { itrsToGeodetic } from '../../../../../src-worker/reco/geodetic.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/index.js';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { readAttrs } from '../../../../../src-worker/io/hdf5/h5-attrs.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/simtel/', import.meta.url));

/** lon °, lat °, height m → astropy's geocentric x, y, z (m) */
const ASTROPY: [number, number, number, [number, number, number]][] = [
  [-70.316345, -24.683429, 2147.0, [1953829.410551239, -5461742.88124632, -2648149.0210046005]],
  [-17.89139, 28.76139, 2200.0, [5326846.110749092, -1719640.467837285, 3051802.889928783]],
  [16.50022, -23.27128, 1835.0, [5622503.039375774, 1665484.7588762778, -2505071.2837114665]],
  [190.0, 45.0, 100.0, [-4449028.158851694, -784483.7023372607, 4487419.119544039]],
  [-180.0, -90.0, 0.0, [-3.9186209248144716e-10, 4.798926572645884e-26, -6356752.314245179]],
  [0.0, 0.0, 2150.0, [6380287.0, 0.0, 0.0]],
];

describe('geodeticToItrs', () => {
  it("equals astropy's EarthLocation.from_geodetic (within 1e-9 m; counts the bit-identical)", () => {
    let identical = 0;
    let maxDiff = 0;
    for (const [lon, lat, h, want] of ASTROPY) {
      const got = geodeticToItrs(lon, lat, h);
      for (let i = 0; i < 3; i++) {
        const d = Math.abs(got[i] - want[i]);
        maxDiff = Math.max(maxDiff, d);
        expect(d, `${lon} ${lat} ${h} [${i}]`).toBeLessThanOrEqual(1e-9);
        if (got[i] === want[i]) identical++;
      }
    }
    console.log(`geodeticToItrs: ${identical}/${ASTROPY.length * 3} coordinates bit-identical to astropy's, max |d| ${maxDiff.toExponential(2)} m`);
  });

  it('round-trips through itrsToGeodetic', () => {
    for (const [lon, lat, h] of ASTROPY.slice(0, 4)) {
      const [x, y, z] = geodeticToItrs(lon, lat, h);
      const g = itrsToGeodetic(x, y, z);
      expect(g.height).toBeCloseTo(h, 6);
      expect((g.lat * 180) / Math.PI).toBeCloseTo(lat, 10);
      const dLon = g.lon - (lon * Math.PI) / 180;
      expect(Math.hypot(Math.cos(dLon) - 1, Math.sin(dLon))).toBeLessThan(1e-12);
    }
  });
});

describe('reference_itrs attributes of a sim_telarray file', () => {
  for (const name of ['aux_traces_2029', 'lst_muons_with_true_photons', 'gamma_with_obslevel_particles', '40k_pixels']) {
    it(`${name}: equal ctapipe-process's`, async () => {
      const f = openSimtelFile(`${FIXTURES}${name}.simtel.zst`, { focalLengthChoice: 'EQUIVALENT' });
      let attrs;
      try {
        attrs = referenceItrsAttrs(f.subarray.referenceLocation);
      } finally {
        f.close();
      }
      const got = Object.fromEntries(attrs.map((a) => [a.name, new Float64Array(a.data!.slice().buffer)[0]]));
      const ref = await H5File.open(`${FIXTURES}${name}.ctapipe.dl1.h5`);
      try {
        const want = readAttrs(ref, '/configuration/instrument/subarray/layout');
        for (const c of ['x', 'y', 'z']) expect(got[`reference_itrs_${c}`], c).toBe(Number(want[`reference_itrs_${c}`]));
      } finally {
        ref.close();
      }
    });
  }
});
