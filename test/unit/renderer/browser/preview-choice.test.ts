import { describe, expect, it } from 'vitest';
import { canShowAsPoints, clampWindow, imageAxes, previewKind } from '../../../../src-renderer/browser/preview-choice.js';
import { filterText } from '../../../../src-renderer/browser/node-details.js';
import { routeFor } from '../../../../src-renderer/file/file-router.js';
import { dl1Format } from '../../../../src-worker/io/formats/dl1-format.js';
import { watchmalHitsFormat } from '../../../../src-worker/io/formats/watchmal-format.js';
import { hdf5Format } from '../../../../src-worker/io/formats/hdf5-format.js';

const ds = (shape: number[], dtype: string, columns?: { name: string; dtype: string; shape: number[] }[]) => ({
  kind: 'dataset' as const,
  shape,
  dtype,
  columns,
});

describe('HDF5 browser previews', () => {
  it('choose the preview from shape and dtype', () => {
    expect(previewKind({ kind: 'group' })).toBe('none');
    expect(previewKind(ds([120], '{obs_id: <i8}', [{ name: 'obs_id', dtype: '<i8', shape: [] }]))).toBe('table');
    expect(previewKind(ds([189219], '<f4'))).toBe('line');
    expect(previewKind(ds([150, 2], '<f4'))).toBe('lines');
    expect(previewKind(ds([150, 1, 3], '<f4'))).toBe('lines');
    expect(previewKind(ds([150, 1], '<f4'))).toBe('line');
    expect(previewKind(ds([64, 96], '<f8'))).toBe('image');
    expect(previewKind(ds([6, 64, 96], '<u2'))).toBe('stack');
    expect(previewKind(ds([10, 4, 40, 40], '|u1'))).toBe('stack');
    expect(previewKind(ds([150], 'enum8{FALSE,TRUE}'))).toBe('line');
    expect(previewKind(ds([150], 'str'))).toBe('text');
    expect(previewKind(ds([3], '|S11'))).toBe('text');
    expect(previewKind(ds([], '<f8'))).toBe('scalar');
    expect(previewKind(ds([1, 1], '<i4'))).toBe('scalar');
    expect(previewKind(ds([0], '<f4'))).toBe('none');
    expect(previewKind(ds([4], 'ref'))).toBe('none');
  });

  it('offers "show as 3D points" for N×(≥3) numbers and tables with ≥ 3 numeric columns', () => {
    expect(canShowAsPoints(ds([1000, 3], '<f4') as never)).toBe(true);
    expect(canShowAsPoints(ds([1000, 1, 3], '<f8') as never)).toBe(true);
    expect(canShowAsPoints(ds([1000, 2], '<f4') as never)).toBe(false);
    expect(canShowAsPoints(ds([1000], '<f4') as never)).toBe(false);
    expect(canShowAsPoints(ds([10, 3], '|S8') as never)).toBe(false);
    const col = (name: string, dtype: string, shape: number[] = []) => ({ name, dtype, shape });
    expect(canShowAsPoints(ds([120], '{…}', [col('x', '<f8'), col('y', '<f8'), col('z', '<i4')]) as never)).toBe(true);
    expect(canShowAsPoints(ds([120], '{…}', [col('x', '<f8'), col('y', '<f8'), col('image', '<f4', [1855])]) as never)).toBe(false);
    expect(canShowAsPoints({ kind: 'group' } as never)).toBe(false);
  });

  it('draws images from the last two axes, or H × W of channel-last stacks', () => {
    expect(imageAxes([64, 96])).toEqual({ row: 0, col: 1, sliders: [] });
    expect(imageAxes([6, 64, 96])).toEqual({ row: 1, col: 2, sliders: [0] });
    expect(imageAxes([100, 40, 40, 2])).toEqual({ row: 1, col: 2, sliders: [0, 3] });
    expect(imageAxes([1, 40, 1, 60])).toEqual({ row: 1, col: 3, sliders: [] });
  });

  it('keeps slice windows inside the dataset', () => {
    expect(clampWindow(0, 150_000, 100_000)).toEqual({ start: 0, count: 100_000 });
    expect(clampWindow(100_000, 150_000, 100_000)).toEqual({ start: 50_000, count: 100_000 });
    expect(clampWindow(-5, 10, 100)).toEqual({ start: 0, count: 10 });
  });

  it('names filters as users know them', () => {
    expect(filterText({ id: 32001, name: 'blosc', cdValues: [2, 2, 47, 65518, 5, 1, 5] })).toBe('blosc:zstd level 5, byte shuffle');
    expect(filterText({ id: 1, name: 'deflate', cdValues: [4] })).toBe('deflate (gzip) level 4');
    expect(filterText({ id: 3, name: 'fletcher32', cdValues: [] })).toBe('fletcher32');
  });

  it('routes opened files by kind (the views of their format, from the registry)', () => {
    expect(routeFor({ format: dl1Format }, true)).toBe('event');
    expect(routeFor({ format: watchmalHitsFormat }, true)).toBe('tank');
    expect(routeFor({ format: watchmalHitsFormat }, false)).toBe('browser');
    expect(routeFor({ format: hdf5Format }, true)).toBe('browser');
  });
});
