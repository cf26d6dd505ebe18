/** `lightpool info` on the real DL1 and WatChMaL samples and a generic h5py file. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { registerInfo, runInfo } from '../../../../src-main/cli/commands/info.js';
import { buildHdf5Worker } from '../files/build-hdf5-worker.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('h5py');

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));

describeWith([REF_PY], 'lightpool info', () => {
  let client: Hdf5Client;
  beforeAll(async () => {
    client = new Hdf5Client({ workerPath: await buildHdf5Worker() });
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('describes a DL1 file: telescopes, cameras, events, datasets', async () => {
    const text = await runInfo(`${SAMPLES}dl1_sample_120.blosc.h5`, { client });
    expect(text).toContain('kind: ctapipe DL1 (DL1_IMAGES, DL1_PARAMETERS, DL2), simulated');
    expect(text).toContain('events: 120');
    expect(text).toContain('subarray: toy-mixed-subarray, 15 telescopes');
    expect(text).toMatch(/\n {2}1 +LST +LST +LSTCam +1855 +59\n/);
    expect(text).toMatch(/\n {2}15 +ASTRI +SST +CHEC +2048 +8\n/);
    expect(text).toContain('cameras: LSTCam (1855 hexagon pixels), NectarCam (1855 hexagon pixels), FlashCam (1764 hexagon pixels), CHEC (2048 square pixels)');
    expect(text).toMatch(/\/dl1\/event\/telescope\/images\/tel_001 +\[59\] +table\(7 columns\) +chunks \[15\] +fletcher32\+blosc/);
    const json = JSON.parse(await runInfo(`${SAMPLES}dl1_sample_120.zlib.h5`, { client, json: true }));
    expect(json.kind).toBe('dl1');
    expect(json.dl1.telescopes).toHaveLength(15);
    expect(json.datasets.length).toBe(124);
  });

  it('describes a WatChMaL file', async () => {
    const text = await runInfo(`${SAMPLES}watchmal_iwcd4pi_sample_digihits.h5`, { client });
    expect(text).toContain('kind: WatChMaL digitised-hit file');
    expect(text).toContain('events: 150');
    expect(text).toContain('hits: 189219');
    expect(text).toMatch(/\/positions +\[150, 1, 3\] +<f4 +contiguous/);
  });

  it('prints the tree of any other HDF5 file, and registers on the program', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-info-'));
    const file = join(dir, 'generic.h5');
    execFileSync(REF_PY.path, [
      '-c',
      `import h5py, numpy as np
with h5py.File(${JSON.stringify(file)}, 'w') as f:
    g = f.create_group('run1'); g.attrs['operator'] = 'me'
    g.create_dataset('signals', data=np.zeros((100, 256), 'f4'), chunks=(10, 256), compression='gzip')
    f.create_dataset('temps', data=np.arange(5.0))`,
    ]);
    const text = await runInfo(file, { client });
    expect(text).toContain('kind: HDF5 (layout not recognised as ctapipe DL1 or WatChMaL)');
    expect(text).toContain('    run1/  {1 attrs}\n      signals  [100, 256]  <f4  deflate\n    temps  [5]  <f8\n');
    const program = new Command();
    registerInfo(program);
    expect(program.commands.map((c) => c.name())).toContain('info');
  });
});
