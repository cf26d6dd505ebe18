/**
 * Point clouds from NumPy files written by numpy itself in the same run
 * (/usr/bin/python3): .npy of several dtypes and orders, .npz stored and
 * deflated; values equal numpy's, and unusable arrays are refused with the
 * reason.
 */
import { expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PointCloudService } from '../../../../src-main/files/point-cloud-service.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('numpy');

const dir = mkdtempSync(join(tmpdir(), 'lp-points-'));
const svc = new PointCloudService();

beforeAll(() => {
  const py = `
import numpy as np, json, sys
d = sys.argv[1]
rng = np.random.default_rng(7)
a = rng.normal(size=(1000, 4)).astype(np.float32)
np.save(d + '/a_f4.npy', a)
np.save(d + '/a_f8_be.npy', a.astype('>f8'))
np.save(d + '/a_fortran.npy', np.asfortranarray(a))
np.save(d + '/a_i2.npy', (a * 100).astype(np.int16))
np.save(d + '/pos.npy', a[:, None, :3])
np.save(d + '/line.npy', a[:, 0])
np.savez(d + '/stored.npz', labels=np.arange(5), tracks=a)
np.savez_compressed(d + '/deflated.npz', energy=a[:, 3], tracks=a, narrow=a[:, :2])
json.dump(a.astype(np.float64).ravel().tolist(), open(d + '/ref.json', 'w'))
`;
  execFileSync(REF_PY.path, ['-c', py, dir]);
});

function ref(): number[] {
  return JSON.parse(readFileSync(join(dir, 'ref.json'), 'utf8')) as number[];
}

describeWith([REF_PY], 'PointCloudService', () => {
  it('reads .npy arrays of float32, big-endian float64, Fortran order and int16 as numpy has them', async () => {
    const r = ref();
    for (const [file, tol] of [
      ['a_f4.npy', 0],
      ['a_f8_be.npy', 0],
      ['a_fortran.npy', 0],
    ] as const) {
      const p = await svc.read(join(dir, file));
      expect(p.rows).toBe(1000);
      expect(p.columns).toBe(4);
      for (let i = 0; i < r.length; i += 37) expect(Math.abs(p.data[i] - Math.fround(r[i]))).toBeLessThanOrEqual(tol);
    }
    const i2 = await svc.read(join(dir, 'a_i2.npy'));
    expect(i2.dtype).toBe('<i2');
    expect(i2.data[5]).toBe(Math.trunc(Math.fround(r[5]) * 100));
    const pos = await svc.read(join(dir, 'pos.npy'));
    expect(pos.shape).toEqual([1000, 1, 3]);
    expect([pos.rows, pos.columns]).toEqual([1000, 3]);
    expect(pos.data[3]).toBe(Math.fround(r[4]));
  });

  it('lists and reads .npz members, stored and deflated, choosing the first usable array by default', async () => {
    const stored = await svc.list(join(dir, 'stored.npz'));
    expect(stored.arrays.map((a) => a.name)).toEqual(['labels', 'tracks']);
    expect(stored.arrays[0].reason).toMatch(/columns/);
    expect(stored.arrays[1]).toMatchObject({ rows: 1000, columns: 4, dtype: '<f4' });
    const deflated = await svc.list(join(dir, 'deflated.npz'));
    expect(deflated.arrays.find((a) => a.name === 'narrow')?.reason).toMatch(/2 column/);
    const r = ref();
    for (const f of ['stored.npz', 'deflated.npz']) {
      const p = await svc.read(join(dir, f));
      expect(p.name).toBe('tracks');
      expect(Array.from(p.data.subarray(0, 8))).toEqual(r.slice(0, 8).map(Math.fround));
      expect(p.data[3999]).toBe(Math.fround(r[3999]));
    }
    await expect(svc.read(join(dir, 'deflated.npz'), 'nope')).rejects.toThrow(/no array "nope".*energy, tracks, narrow/);
  });

  it('says why an array or a file cannot be shown', async () => {
    await expect(svc.read(join(dir, 'line.npy'))).rejects.toThrow(/1-D array.*N×3/);
    await expect(svc.read(join(dir, 'missing.npy'))).rejects.toThrow(/no such file/);
    writeFileSync(join(dir, 'junk.npz'), 'not a zip at all');
    await expect(svc.read(join(dir, 'junk.npz'))).rejects.toThrow(/junk\.npz.*not a zip/);
    const b = readFileSync(join(dir, 'a_f4.npy'));
    writeFileSync(join(dir, 'cut.npy'), b.subarray(0, 2000));
    await expect(svc.read(join(dir, 'cut.npy'))).rejects.toThrow(/truncated/);
  });
});
