/**
 * What `lightpool process` writes from ctapipe's files, read by the real
 * ctapipe 0.26: SubarrayDescription.from_hdf, HDF5EventSource over every
 * event (images bit for bit the input's, the new masks and parameters those
 * of the tables written), TableLoader with parameters, DL2 and everything
 * else — for ctapipe's DL1 sample (with its stage-1 config) and for a
 * sim_telarray reference with R0/R1 waveforms and true images (ctapipe-process
 * defaults, equivalent focal length). Recordings processed are read back in
 * test/unit/main/cli/record-ctapipe-readback.test.ts.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCli } from './build-cli.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

describeWith([ctapipe()], 'ctapipe reads what lightpool process writes', () => {
  let cli: string;
  const dir = mkdtempSync(join(tmpdir(), 'lp-process-ctapipe-'));
  beforeAll(async () => {
    cli = await buildCli();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itWith(
    [ctapipe()],
    "ctapipe's DL1 sample, processed with its stage-1 config",
    async () => {
      const src = join(FIXTURES, 'samples/dl1_sample_120.blosc.h5');
      const out = join(dir, 'sample-processed.h5');
      const cfg = ['base_config.yaml', 'stage1_config.yaml'].flatMap((f) => ['--config', join(FIXTURES, 'ctapipe-config', f)]);
      await run(process.execPath, [cli, 'process', src, '--out', out, ...cfg, '--quiet'], { timeout: 300_000 });
      const r = await ctapipeReadback(out, { reference: src });
      expect(readbackProblems(r, { events: 120, images: 498, parameters: true })).toEqual([]);
      expect(r.event_source.datalevels).toEqual(['DL1_IMAGES', 'DL1_PARAMETERS', 'DL2']);
      expect(r.event_source.parameters_compared).toBe(498);
      expect(r.table_loader.hillas_intensity_finite).toBe(302);
    },
    600_000,
  );

  itWith(
    [ctapipe()],
    'a sim_telarray reference with waveforms and true images, processed with the defaults',
    async () => {
      const src = join(FIXTURES, 'simtel/lst_muons_with_true_photons.ctapipe.dl1.h5');
      const out = join(dir, 'muons-processed.h5');
      await run(process.execPath, [cli, 'process', src, '--out', out, '--focal-length-choice', 'EQUIVALENT', '--quiet'], { timeout: 300_000 });
      const r = await ctapipeReadback(out, { reference: src, focalLengthChoice: 'EQUIVALENT' });
      expect(readbackProblems(r, { events: 3, images: 3, parameters: true })).toEqual([]);
      // as ctapipe reads the input (R1 waveforms, images, parameters), plus the DL2 geometry
      expect(r.event_source.datalevels).toEqual(['R1', 'DL1_IMAGES', 'DL1_PARAMETERS', 'DL2']);
    },
    600_000,
  );
});
