import { describe, expect, test } from 'vitest';
import { colorLimits } from '../../../../src-renderer/camera/color-limits.js';

describe('camera colour limits', () => {
  const values = Float32Array.from({ length: 101 }, (_, i) => i); // 0..100
  values[50] = Number.NaN;
  test('min–max of the finite values', () => expect(colorLimits(values, { mode: 'auto' })).toEqual({ vmin: 0, vmax: 100 }));
  test('percentile range [100−p, p]', () => {
    const l = colorLimits(values, { mode: 'percentile', percentile: 95 });
    // 100 finite values 0..49, 51..100: the 5 % and 95 % order statistics
    expect(l.vmin).toBeGreaterThanOrEqual(4);
    expect(l.vmin).toBeLessThanOrEqual(6);
    expect(l.vmax).toBeGreaterThanOrEqual(94);
    expect(l.vmax).toBeLessThanOrEqual(96);
  });
  test('typed-in limits are used as given', () => expect(colorLimits(values, { mode: 'fixed', vmin: -3, vmax: 7.5 })).toEqual({ vmin: -3, vmax: 7.5 }));
  test('an invalid typed range falls back to min–max', () => {
    expect(colorLimits(values, { mode: 'fixed', vmin: 5, vmax: 5 })).toEqual({ vmin: 0, vmax: 100 });
    expect(colorLimits(values, { mode: 'fixed', vmin: -5, vmax: -1 }, 'log')).toEqual({ vmin: 0, vmax: 100 });
  });
});
