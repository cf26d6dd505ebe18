/**
 * DL1 subsets `lightpool export` writes, read by the real ctapipe 0.26 as a
 * user would: SubarrayDescription.from_hdf, HDF5EventSource over every event
 * (images, peak times, masks and parameters bit for bit those of the source
 * file's events), and TableLoader with parameters, DL2, simulation,
 * instrument, observation and pointing columns — for an event list and for
 * a cut, from ctapipe's Blosc and zlib sample files.
 */
import { afterAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LIGHTPOOL_BIN } from '../../../helpers/daq-emulator.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';

const run = promisify(execFile);
const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));

describeWith([ctapipe()], 'ctapipe reads what lightpool export writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-export-ctapipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itWith(
    [ctapipe()],
    'an event list and a cut, from the Blosc and the zlib sample',
    async () => {
      const cases = [
        { src: 'dl1_sample_120.blosc.h5', args: ['--events', '2:200,2:1900,2:3100,2:4100,2:5000'], events: 5 },
        { src: 'dl1_sample_120.zlib.h5', args: ['--where', 'hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2'] },
      ];
      for (const c of cases) {
        const src = join(SAMPLES, c.src);
        const out = join(dir, `subset-${c.src}`);
        await run(process.execPath, [LIGHTPOOL_BIN, 'export', src, '--out', out, ...c.args, '--quiet'], { timeout: 300_000 });
        const r = await ctapipeReadback(out, { reference: src });
        expect(readbackProblems(r, { events: c.events, parameters: true }), c.src).toEqual([]);
        expect(r.event_source.events, c.src).toBeGreaterThan(0);
        expect(r.event_source.datalevels, c.src).toEqual(['DL1_IMAGES', 'DL1_PARAMETERS', 'DL2']);
        expect(r.event_source.parameters_compared, c.src).toBe(r.stored_images);
        expect(r.event_source.masks_compared, c.src).toBe(r.stored_images);
      }
    },
    600_000,
  );
});
