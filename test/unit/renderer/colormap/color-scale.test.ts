import { describe, expect, test } from 'vitest';
import { autoLimits, normalizer, valueAt } from '../../../../src-renderer/colormap/color-scale.js';
import { colormapLut, colormapNames, parseCssColor } from '../../../../src-renderer/colormap/colormaps.js';

describe('colour scales', () => {
  test('linear, log and symlog map limits to 0 and 1 and invert through valueAt', () => {
    for (const kind of ['linear', 'log', 'symlog'] as const) {
      const scale = { kind, vmin: kind === 'symlog' ? -100 : 1, vmax: 1000, linthresh: 1 };
      const f = normalizer(scale);
      expect(f(scale.vmin)).toBeCloseTo(0, 12);
      expect(f(scale.vmax)).toBeCloseTo(1, 12);
      for (const t of [0.1, 0.5, 0.9]) expect(f(valueAt(scale, t))).toBeCloseTo(t, 9);
    }
    expect(normalizer({ kind: 'log', vmin: 1, vmax: 100, linthresh: 1 })(10)).toBeCloseTo(0.5, 12);
  });

  test('auto limits ignore NaN; percentile limits clip outliers', () => {
    expect(autoLimits(Float32Array.from([NaN, 2, -1, 5]))).toEqual({ vmin: -1, vmax: 5 });
    const values = Float32Array.from({ length: 1001 }, (_, i) => i);
    values[1000] = 1e9;
    expect(autoLimits(values, 99).vmax).toBeLessThan(1000);
  });

  test('every colour map has 256 opaque entries; viridis starts at #440154', () => {
    for (const name of colormapNames) {
      const lut = colormapLut(name);
      expect(lut).toHaveLength(256);
      for (const v of lut) expect(v >>> 24).toBe(255);
    }
    const v0 = colormapLut('viridis')[0];
    expect([v0 & 255, (v0 >>> 8) & 255, (v0 >>> 16) & 255]).toEqual(parseCssColor('#440154'));
  });
});
