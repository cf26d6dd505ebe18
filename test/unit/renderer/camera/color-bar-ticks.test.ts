/** Colour-bar tick labels: digits by range, exponents for extremes, and a real minus sign for negatives. */
import { describe, expect, it } from 'vitest';
import { formatTick } from '../../../../src-renderer/camera/color-bar.js';

describe('colour-bar ticks', () => {
  it('label by magnitude, with the typographic minus', () => {
    expect(formatTick(3.337)).toBe('3.34');
    expect(formatTick(-0.587, 4)).toBe('\u22120.59');
    expect(formatTick(-12.34)).toBe('\u221212.3');
    expect(formatTick(250)).toBe('250');
    expect(formatTick(-2.5e-5)).toBe('\u22122.5e\u22125');
    expect(formatTick(3e5)).toBe('3.0e+5');
    // a value negligible against the range is 0, not −0.00
    expect(formatTick(-1e-9, 10)).toBe('0');
  });
});
