/** Stack paths, label counts and the windowed histogram's bins (src-renderer/lab/image-stack/stack-paths.ts). */
import { describe, expect, it } from 'vitest';
import { commonFolder, labelCounts, relativePath, windowBins } from '../../../../src-renderer/lab/image-stack/stack-paths.js';
import { applyWindow } from '../../../../src-worker/lab/image-stack/image-pixels.js';
import { histogramValues } from '../../../../src-worker/lab/image-stack/stack-image-task.js';

describe('image stack paths and bins', () => {
  it('paths relative to the folder they share', () => {
    const paths = ['/d/export/ER/3_keV/run003/frame_0002.png', '/d/export/NR/6_keV/run001/frame_0000.png'];
    expect(commonFolder(paths)).toBe('/d/export');
    expect(relativePath(paths[1], '/d/export')).toBe('NR/6_keV/run001/frame_0000.png');
    expect(commonFolder(['/d/a.png'])).toBe('/d');
    expect(relativePath('/elsewhere/x.png', '/d')).toBe('/elsewhere/x.png');
    expect(labelCounts(['ER', 'NR'], Int32Array.from([1, 0, 1, 1]))).toBe('ER 1 · NR 3');
  });

  it('window 60,130 on 8-bit values: 71 bins, each raw value 60…130 in a bin of its own', () => {
    expect(windowBins([60, 130])).toBe(71);
    expect(windowBins([60.5, 130])).toBe(100);
    expect(windowBins(undefined)).toBeUndefined();
    const raw = Float32Array.from({ length: 256 }, (_, i) => i);
    applyWindow(raw, [60, 130]);
    const h = histogramValues(raw.subarray(60, 131), 71, 0, 1);
    expect(Array.from(h)).toEqual(new Array(71).fill(1));
  });
});
