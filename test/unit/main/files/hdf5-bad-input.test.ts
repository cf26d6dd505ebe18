/**
 * Bad input through the worker client: a missing compression plugin, a
 * dataset too large to read at once, truncated and non-HDF5 files, and an
 * unknown layout each give an error naming the file and the problem.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';
import { Hdf5Error } from '../../../../src-worker/io/hdf5/h5-errors.js';
import { buildHdf5Worker } from './build-hdf5-worker.js';

const SAMPLES = fileURLToPath(new URL('../../../../test/fixtures/samples/', import.meta.url));
const BLOSC = `${SAMPLES}dl1_sample_120.blosc.h5`;
const ZLIB = `${SAMPLES}dl1_sample_120.zlib.h5`;
const WATCHMAL = `${SAMPLES}watchmal_iwcd4pi_sample_digihits.h5`;

async function failure(p: Promise<unknown>): Promise<Hdf5Error> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(Hdf5Error);
    return err as Hdf5Error;
  }
  throw new Error('expected the request to fail');
}

const clients: Hdf5Client[] = [];
async function client(env: Record<string, string> = {}) {
  const c = new Hdf5Client({ workerPath: await buildHdf5Worker(), env: { ...process.env, ...env } });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.dispose();
});

describe('HDF5 bad input', () => {
  it('says which filter plugin is missing, and still reads zlib files', async () => {
    const c = await client({ LIGHTPOOL_HDF5_PLUGIN_PATH: '' });
    const e = await failure(c.open(BLOSC));
    expect(e.code).toBe('missing-plugin');
    expect(e.message).toContain(BLOSC);
    expect(e.message).toMatch(/'blosc' \(HDF5 filter 32001\) filter and no plugin for it could be loaded/);
    const { summary } = await c.open(ZLIB);
    expect(summary.dl1?.nEvents).toBe(120);
  });

  it('refuses a read larger than the limit instead of exhausting memory', async () => {
    const c = await client({ LIGHTPOOL_HDF5_MAX_READ_MB: '0.5' });
    const { fileId } = await c.open(WATCHMAL);
    const e = await failure(c.request({ type: 'readSlice', fileId, path: '/hit_pmt' }));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(`${WATCHMAL}: reading 189219 elements of /hit_pmt needs 739 KiB, more than the 512 KiB allowed in one read; read it in slices`);
    // slices of it are fine
    const part = await c.request({ type: 'readSlice', fileId, path: '/hit_pmt', start: [1000], count: [1000] });
    expect(part.data).toBeInstanceOf(Int32Array);
    expect((part.data as Int32Array).length).toBe(1000);
  });

  it('names truncated, empty and non-HDF5 files', async () => {
    const c = await client();
    const dir = mkdtempSync(join(tmpdir(), 'lp-bad-'));
    const cut = join(dir, 'cut.h5');
    writeFileSync(cut, readFileSync(ZLIB).subarray(0, 1_000_000));
    const e1 = await failure(c.open(cut));
    expect(e1.code).toBe('truncated');
    expect(e1.message).toBe(
      `${cut}: the file is truncated (1000000 bytes on disk, the HDF5 superblock says 8243722); it was probably not copied or written completely`,
    );
    const empty = join(dir, 'empty.h5');
    writeFileSync(empty, '');
    const e2 = await failure(c.open(empty));
    expect(e2.code).toBe('not-hdf5');
    expect(e2.message).toContain(empty);
    const png = join(dir, 'picture.h5');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const e3 = await failure(c.open(png));
    expect(e3.message).toBe(`${png}: not an HDF5 file (no HDF5 signature found)`);
  });
});
