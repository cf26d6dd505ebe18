import { describe, expect, it } from 'vitest';
import { baseName, dirName, siblingName } from '../../../../src-renderer/file/paths.js';

describe('renderer path helpers', () => {
  it('split POSIX and Windows paths', () => {
    expect(baseName('/data/run/dl1.h5')).toBe('dl1.h5');
    expect(baseName('C:\\data\\dl1.h5')).toBe('dl1.h5');
    expect(dirName('/data/run/dl1.h5')).toBe('/data/run');
    expect(dirName('/dl1.h5')).toBe('/');
    expect(dirName('dl1.h5')).toBe('.');
  });
  it('name an output next to the input', () => {
    expect(siblingName('/d/run.dl1.h5', 'subset')).toBe('/d/run.dl1_subset.h5');
    expect(siblingName('/d/x.hdf5', 'sel')).toBe('/d/x_sel.hdf5');
    expect(siblingName('C:\\d\\x.h5', 'sel')).toBe('C:\\d\\x_sel.h5');
    expect(siblingName('x', 'sel')).toBe('x_sel.h5');
  });
});
