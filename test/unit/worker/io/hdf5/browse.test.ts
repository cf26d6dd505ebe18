/**
 * Browsing any HDF5 file: the tree with attributes, shapes, dtypes, chunking
 * and filters; hyperslabs of N-d datasets; compound rows as typed columns;
 * variable-length strings; a refusal for reads beyond the limit. The file is
 * written by h5py in the test, and the values compared with what h5py wrote.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { H5File } from '../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache } from '../../../../../src-worker/io/hdf5/table-reader.js';
import { readSlice, readTableRows, tree } from '../../../../../src-worker/io/hdf5/browse.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';
import type { TreeNode } from '../../../../../src-worker/io/hdf5/browse-types.js';

const REF_PY = pythonTool('h5py');

const MAKE = `
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['title'] = 'browse test'
    f.attrs['run'] = np.int32(42)
    g = f.create_group('detector/run1')
    g.attrs['temperatures'] = np.array([1.5, 2.5, 3.5])
    s = np.arange(40 * 30 * 8, dtype='f4').reshape(40, 30, 8)
    g.create_dataset('stack', data=s, chunks=(4, 30, 8), compression='gzip', shuffle=True)
    f.create_dataset('signals', data=np.arange(1000, dtype='i2').reshape(10, 100))
    t = np.zeros(50, dtype=[('id', '<i8'), ('x', '<f8'), ('wave', '<f4', (16,)), ('ok', '?'), ('name', 'S6')])
    t['id'] = np.arange(50) * 7; t['x'] = np.arange(50) / 4; t['wave'] = np.arange(800).reshape(50, 16); t['ok'] = np.arange(50) % 2 == 0
    t['name'] = [('n%d' % i).encode() for i in range(50)]
    f.create_dataset('table', data=t, chunks=(8,), compression='gzip')
    f.create_dataset('labels', data=['alpha', 'beta', 'gamma'], dtype=h5py.string_dtype())
`;

function find(node: TreeNode, path: string): TreeNode {
  if (node.path === path) return node;
  for (const c of node.children ?? []) {
    if (path === c.path || path.startsWith(c.path + '/')) return find(c, path);
  }
  throw new Error(`${path} not in tree`);
}

describeWith([REF_PY], 'generic HDF5 browsing', () => {
  let file: H5File;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lp-browse-')), 'any.h5');
    execFileSync(REF_PY.path, ['-c', MAKE, path]);
    file = await H5File.open(path);
  });
  afterAll(() => file?.close());

  it('lists groups and datasets with attributes, shapes, dtypes, chunks and filters', () => {
    const t = tree(file);
    expect(t.kind).toBe('group');
    expect(t.attrs.find((a) => a.name === 'title')?.value).toBe('browse test');
    expect(t.attrs.find((a) => a.name === 'run')?.value).toBe(42);
    expect(t.children!.map((c) => c.name).sort()).toEqual(['detector', 'labels', 'signals', 'table']);
    const run1 = find(t, '/detector/run1');
    expect(run1.attrs[0]).toMatchObject({ name: 'temperatures', value: [1.5, 2.5, 3.5], shape: [3] });
    const stack = find(t, '/detector/run1/stack');
    expect(stack).toMatchObject({ kind: 'dataset', shape: [40, 30, 8], dtype: '<f4', chunks: [4, 30, 8], nbytes: 40 * 30 * 8 * 4 });
    expect(stack.filters!.map((f) => f.name)).toEqual(['shuffle', 'deflate']);
    const table = find(t, '/table');
    expect(table.columns).toEqual([
      { name: 'id', dtype: '<i8', shape: [] },
      { name: 'x', dtype: '<f8', shape: [] },
      { name: 'wave', dtype: '<f4(16,)', shape: [16] },
      { name: 'ok', dtype: '|b1', shape: [] },
      { name: 'name', dtype: '|S6', shape: [] },
    ]);
    expect(find(t, '/signals').chunks).toBeNull();
    expect(tree(file, '/', 1).children!.find((c) => c.name === 'detector')!.truncated).toBe(true);
  });

  it('reads hyperslabs of N-d datasets', () => {
    const s = readSlice(file, '/detector/run1/stack', [5, 10, 2], [2, 3, 4]);
    expect(s.shape).toEqual([2, 3, 4]);
    const data = s.data as Float32Array;
    expect(data).toBeInstanceOf(Float32Array);
    const expected: number[] = [];
    for (let i = 5; i < 7; i++) for (let j = 10; j < 13; j++) for (let k = 2; k < 6; k++) expected.push(i * 240 + j * 8 + k);
    expect(Array.from(data)).toEqual(expected);
    const row = readSlice(file, '/signals', [3, 0], [1, 100]);
    expect(row.data).toBeInstanceOf(Int16Array);
    expect(Array.from(row.data as Int16Array)).toEqual(Array.from({ length: 100 }, (_, k) => 300 + k));
    expect(readSlice(file, '/labels').data).toEqual(['alpha', 'beta', 'gamma']);
    expect(() => readSlice(file, '/signals', [9, 0], [2, 100])).toThrow(/outside dimension 0 \(size 10\) of \/signals/);
    expect(() => readSlice(file, '/table')).toThrow(/compound table; read it as table rows/);
  });

  it('reads table rows as one typed array per column', () => {
    const r = readTableRows(file, new ChunkCache(), '/table', 5, 10);
    expect(r).toMatchObject({ nRows: 50, start: 5, count: 10 });
    expect(Array.from(r.columns.id.data as BigInt64Array, Number)).toEqual([35, 42, 49, 56, 63, 70, 77, 84, 91, 98]);
    expect(Array.from(r.columns.x.data as Float64Array)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((i) => i / 4));
    const wave = r.columns.wave.data as Float32Array;
    expect(wave.length).toBe(160);
    expect(Array.from(wave.subarray(0, 3))).toEqual([80, 81, 82]);
    expect(Array.from(r.columns.ok.data as Uint8Array)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(r.columns.name.data).toEqual(['n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11', 'n12', 'n13', 'n14']);
    const tail = readTableRows(file, new ChunkCache(), '/table', 45, 100, ['id']);
    expect(tail.count).toBe(5);
    expect(Object.keys(tail.columns)).toEqual(['id']);
  });

  it('refuses to read a large dataset whole', () => {
    const prev = process.env.LIGHTPOOL_HDF5_MAX_READ_MB;
    process.env.LIGHTPOOL_HDF5_MAX_READ_MB = '0.01';
    try {
      expect(() => readSlice(file, '/detector/run1/stack')).toThrow(
        'reading 40×30×8 elements of /detector/run1/stack needs 38 KiB, more than the 10 KiB allowed in one read; read it in slices',
      );
      expect(readSlice(file, '/detector/run1/stack', [0, 0, 0], [1, 30, 8]).shape).toEqual([1, 30, 8]);
    } finally {
      if (prev === undefined) delete process.env.LIGHTPOOL_HDF5_MAX_READ_MB;
      else process.env.LIGHTPOOL_HDF5_MAX_READ_MB = prev;
    }
  });
});
