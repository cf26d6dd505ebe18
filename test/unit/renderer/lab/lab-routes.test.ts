/** Which lab view a node of the HDF5 Browser opens in (src-renderer/lab/lab-routes.ts). */
import { describe, expect, it } from 'vitest';
import { labActions } from '../../../../src-renderer/lab/lab-routes.js';

const ds = (shape: number[], dtype: string, columns?: { name: string; dtype: string; shape: number[] }[]) => ({
  kind: 'dataset' as const,
  shape,
  dtype,
  columns,
});
const targets = (n: Parameters<typeof labActions>[0]) => labActions(n).map((a) => a.target);

describe('lab routes from the Browser', () => {
  it('N × samples numbers open as signals; 2-D floats also as a system matrix', () => {
    expect(targets(ds([1000, 3000], '<i2'))).toEqual(['signals']);
    expect(targets(ds([1000, 3000], '>u4'))).toEqual(['signals']);
    expect(targets(ds([100, 65341], '<f4'))).toEqual(['signals', 'system-matrix']);
    expect(targets(ds([100, 65341], '<f8'))).toEqual(['signals', 'system-matrix']);
  });

  it('nothing for other shapes and types', () => {
    expect(targets(ds([3000], '<i2'))).toEqual([]);
    expect(targets(ds([10, 64, 64], '<f4'))).toEqual([]);
    expect(targets(ds([1000, 1], '<i2'))).toEqual([]);
    expect(targets(ds([0, 3000], '<i2'))).toEqual([]);
    expect(targets(ds([10, 10], 'str'))).toEqual([]);
    expect(targets(ds([10, 10], '<f2'))).toEqual([]);
    expect(targets(ds([120], '{obs_id: <i8}', [{ name: 'obs_id', dtype: '<i8', shape: [] }]))).toEqual([]);
  });

  it('a group with CSR data, indices and indptr opens as a system matrix', () => {
    const child = (name: string) => ({ kind: 'dataset' as const, name, path: `/m/${name}`, attrs: [], shape: [10], dtype: '<f4' });
    expect(targets({ kind: 'group', children: ['data', 'indices', 'indptr'].map(child) })).toEqual(['system-matrix']);
    expect(targets({ kind: 'group', children: ['data', 'indices'].map(child) })).toEqual([]);
    expect(targets({ kind: 'group' })).toEqual([]);
  });
});
