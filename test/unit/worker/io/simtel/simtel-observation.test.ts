/**
 * The observation and scheduling blocks of a sim_telarray run, as ctapipe's
 * SimTelEventSource fills them (writeObservationTables with `simulation`),
 * next to what a live recording writes (without it, unchanged): and
 * unixToMjdTai, the run header's time as ctapipe writes a time column,
 * against astropy 5.2's `Time(t, format="unix").tai.mjd` (the values below
 * were printed by the ctapipe 0.26 oracle's astropy: the Unix epoch in the
 * drifting pre-1972 UTC, leap-second days, the fixtures' run times, 2038).
 * ctapipe-process's own tables are compared in
 * test/unit/main/process/process-simtel-site.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unixToMjdTai } from '../../../../../src-worker/io/dl1/unix-time-tai.js';
import { CTAPIPE_UNKNOWN_MJD, mjdTai, writeObservationTables } from '../../../../../src-worker/io/dl1/dl1-observation-tables.js';
import { DL1_PATHS } from '../../../../../src-worker/io/dl1/dl1-layout.js';
import { H5Writer } from '../../../../../src-worker/io/hdf5/writer/h5-writer.js';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../src-worker/io/hdf5/table-reader.js';

/** unix s → astropy's MJD (TAI) */
const ASTROPY: [number, number][] = [
  [0, 40587.00009259354], // 1970-01-01 00:00:00
  [86399, 40588.00008104947], // 1970-01-01 23:59:59
  [63072000, 41317.00011574074], // 1972-01-01 00:00:00
  [78796799, 41499.00011574061], // 1972-06-30 23:59:60
  [78796800, 41499.000127314815], // 1972-07-01 00:00:00
  [1230767999, 54832.00038194431], // 2008-12-31 23:59:60
  [1230724800, 54831.50038773148], // 2008-12-31 12:00:00.5
  [1483228799, 57754.00041666653], // 2016-12-31 23:59:60
  [1483228800, 57754.00042824074], // 2017-01-01 00:00:00
  [1550501559, 58532.62032407407], // calib_events
  [1590400148, 58994.40954861111], // lst_muons_with_true_photons
  [1699884295, 60261.587175925924], // 40k_pixels
  [1713460668, 60418.72112268519], // aux_traces_2029
  [1741226673, 60740.08692129629], // gamma_with_obslevel_particles
  [2147483647, 65442.13523148148], // 2038-01-19 03:14:07
];

describe('unixToMjdTai', () => {
  it("equals astropy's Time(t, format='unix').tai.mjd bit for bit", () => {
    for (const [t, mjd] of ASTROPY) expect(unixToMjdTai(t), `${t}`).toBe(mjd);
  });
});

describe('writeObservationTables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-obs-tables-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function write(name: string, simulation?: { runStartTime: number }) {
    const path = join(dir, `${name}.h5`);
    const w = H5Writer.create(path);
    writeObservationTables(w, {
      subarray: { name: 'MonteCarloArray', pointing: { alt: 70, az: 180 }, telescopes: [] },
      observations: new Map([[14, { first: 1590400150, last: 1590400160 }]]),
      simulation,
    });
    w.close();
    const f = await H5File.open(path);
    try {
      const cache = new ChunkCache();
      return {
        sb: new TableReader(f, DL1_PATHS.schedulingBlock, cache).row(0),
        ob: new TableReader(f, DL1_PATHS.observationBlock, cache).row(0),
      };
    } finally {
      f.close();
    }
  }

  it("a sim_telarray run: SimTelEventSource's values", async () => {
    const { sb, ob } = await write('sim', { runStartTime: 1590400148 });
    expect(sb).toMatchObject({ sb_type: 0, producer_id: 'simulation', observing_mode: -1, pointing_mode: 1 });
    expect(ob).toMatchObject({ obs_id: 14, sb_id: 14, producer_id: 'simulation', state: 1, subarray_pointing_frame: 0 });
    expect(ob.scheduled_start_time).toBe(58994.40954861111);
    expect(ob.actual_start_time).toBe(58994.40954861111);
    expect(ob.scheduled_duration).toBeNaN();
    expect(ob.actual_duration).toBeNaN();
  });

  it('a recording: unchanged (unknowns, the first event as the start)', async () => {
    const { sb, ob } = await write('rec');
    expect(sb).toMatchObject({ sb_type: -1, producer_id: 'MonteCarloArray', pointing_mode: -1 });
    expect(ob).toMatchObject({ producer_id: 'MonteCarloArray', state: -1 });
    expect(ob.scheduled_start_time).toBe(CTAPIPE_UNKNOWN_MJD);
    expect(ob.actual_start_time).toBe(mjdTai(1590400150));
    expect(ob.actual_duration).toBeCloseTo(10 / 60, 12);
  });
});
