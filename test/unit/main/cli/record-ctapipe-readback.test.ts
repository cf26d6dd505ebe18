/**
 * What `lightpool record` writes, read by the real ctapipe 0.26 as a user
 * would: SubarrayDescription.from_hdf, HDF5EventSource over every event (each
 * image and peak time bit for bit what the replayed file holds), and
 * TableLoader with the instrument, observation and pointing columns — for one
 * `--out` file, for the files of `--split`, and for `lightpool process` run on
 * a recording (TableLoader with the parameters it wrote); and the recording
 * of a `daq --replay` of a sim_telarray file whose camera Lightpool does not
 * ship (HESS-1U): its geometry comes from the stream's subarray frame, equal
 * to the one ctapipe builds from the file.
 */
import { afterAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator, LIGHTPOOL_BIN, type Emulator } from '../../../helpers/daq-emulator.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';

const run = promisify(execFile);
const SAMPLE = fileURLToPath(new URL('../../../../test/fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));
const HESS_SIMTEL = fileURLToPath(new URL('../../../../test/fixtures/simtel/gamma_with_obslevel_particles.simtel.zst', import.meta.url));

/** ctapipe's geometry of tel 1 from the recording and from the sim_telarray file, compared, and TableLoader's rows */
const GEOMETRY_COMPARE = `
import json, sys
import numpy as np
from ctapipe.instrument import SubarrayDescription
from ctapipe.io import EventSource, TableLoader
rec, simtel = sys.argv[1], sys.argv[2]
g = SubarrayDescription.from_hdf(rec).tel[1].camera.geometry
with EventSource(simtel) as src:
    f = src.subarray.tel[1].camera.geometry
with TableLoader(rec) as loader:
    rows = len(loader.read_telescope_events(dl1_images=True))
print(json.dumps({
    "name": g.name, "file_name": f.name, "n_pixels": int(g.n_pixels), "file_n_pixels": int(f.n_pixels),
    "pix_type": str(g.pix_type), "file_pix_type": str(f.pix_type),
    "max_dx_m": float(np.max(np.abs(g.pix_x - f.pix_x).to_value("m"))),
    "max_dy_m": float(np.max(np.abs(g.pix_y - f.pix_y).to_value("m"))),
    "max_darea_m2": float(np.max(np.abs(g.pix_area - f.pix_area).to_value("m2"))),
    "rows": rows,
}))
`;

describeWith([ctapipe()], 'ctapipe reads what lightpool record writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-rec-ctapipe-'));
  const emulators: Emulator[] = [];
  afterAll(async () => {
    for (const e of emulators) await e.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  itWith(
    [ctapipe()],
    'record --out: every event and image, TableLoader with instrument and observation columns; process on it: parameters',
    async () => {
      const daq = await startEmulator(['--replay', SAMPLE, '--rate', '400', '--port', '0', '--quiet']);
      emulators.push(daq);
      const out = join(dir, 'run.h5');
      // 150 events cross the end of the 120-event file: the replay loops with obs_id + 1
      const { stdout } = await run(process.execPath, [LIGHTPOOL_BIN, 'record', '--source', daq.url, '--out', out, '--events', '150', '--quiet'], {
        timeout: 300_000,
      });
      expect(stdout).toMatch(/recorded 150 events/);
      const r = await ctapipeReadback(out, { reference: SAMPLE });
      console.log(
        `ctapipe ${r.ctapipe} read ${r.event_source.events} events, ${r.event_source.images} images of ${out}; TableLoader ${r.table_loader.telescope_events?.rows} rows`,
      );
      expect(readbackProblems(r, { events: 150, parameters: false })).toEqual([]);
      expect(r.event_source.events).toBe(150);
      expect(r.reference!.compared).toBe(r.stored_images);
      expect(r.subarray.types).toEqual(['LST_LST_LSTCam', 'MST_MST_FlashCam', 'MST_MST_NectarCam', 'SST_ASTRI_CHEC']);
      // the columns a user joins on are there
      const cols = r.table_loader.telescope_events!.columns;
      for (const c of [
        'obs_id',
        'event_id',
        'tel_id',
        'telescope_pointing_altitude',
        'optics_name',
        'mirror_area',
        'scheduled_start_time',
        'actual_start_time',
      ]) {
        expect(
          cols.some((x) => x === c || x.startsWith(`${c}_`)),
          c,
        ).toBe(true);
      }

      // lightpool process cleans and parameterises a recording; ctapipe reads the parameters back
      const processed = join(dir, 'run-processed.h5');
      await run(process.execPath, [LIGHTPOOL_BIN, 'process', out, '--out', processed, '--quiet'], { timeout: 300_000 });
      const p = await ctapipeReadback(processed, { reference: SAMPLE });
      expect(readbackProblems(p, { events: 150, images: r.stored_images, parameters: true })).toEqual([]);
      expect(p.event_source.parameters_compared).toBe(p.stored_images);
      expect(p.table_loader.hillas_intensity_finite).toBeGreaterThan(0);
    },
    600_000,
  );

  itWith(
    [ctapipe()],
    "a camera Lightpool does not ship (daq --replay of a HESS-1U sim_telarray file): the geometry the stream announced, ctapipe's from the file",
    async () => {
      const daq = await startEmulator(['--replay', HESS_SIMTEL, '--rate', '20', '--port', '0', '--quiet']);
      emulators.push(daq);
      const out = join(dir, 'hess.h5');
      const { stdout, stderr } = await run(process.execPath, [LIGHTPOOL_BIN, 'record', '--source', daq.url, '--out', out, '--events', '3', '--quiet'], {
        timeout: 300_000,
      });
      expect(stdout).toMatch(/recorded 3 events/);
      expect(stderr).not.toMatch(/no camera geometry/);
      const py = await run(ctapipe().path, ['-c', GEOMETRY_COMPARE, out, HESS_SIMTEL], { timeout: 300_000 });
      const g = JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
      console.log(`ctapipe reads the recorded HESS-1U geometry: ${JSON.stringify(g)}`);
      expect(g.name).toBe('HESS-1U');
      expect(g.name).toBe(g.file_name);
      expect(g.n_pixels).toBe(960);
      expect(g.n_pixels).toBe(g.file_n_pixels);
      expect(g.pix_type).toBe(g.file_pix_type);
      expect(g.max_dx_m).toBe(0);
      expect(g.max_dy_m).toBe(0);
      expect(g.max_darea_m2).toBe(0);
      expect(g.rows).toBe(3);
    },
    600_000,
  );

  itWith(
    [ctapipe()],
    'record --split: every file of the sequence',
    async () => {
      const daq = await startEmulator(['--sim', '--rate', '500', '--port', '0', '--quiet']);
      emulators.push(daq);
      const sub = mkdtempSync(join(dir, 'split-'));
      const N = 400;
      await run(
        process.execPath,
        [LIGHTPOOL_BIN, 'record', '--source', daq.url, '--out', join(sub, 'night.h5'), '--events', String(N), '--split', '0.3', '--quiet'],
        { timeout: 300_000 },
      );
      const files = readdirSync(sub)
        .filter((f) => f.endsWith('.h5'))
        .sort()
        .map((f) => join(sub, f));
      expect(files.length).toBeGreaterThan(1);
      let events = 0;
      for (const f of files) {
        const r = await ctapipeReadback(f);
        expect(readbackProblems(r), f).toEqual([]);
        expect(r.subarray.types, f).toEqual(['LST_LST_LSTCam', 'MST_MST_NectarCam']);
        events += r.event_source.events;
      }
      expect(events).toBe(N);
    },
    600_000,
  );
});
