import { describe, expect, test } from 'vitest';
import { shownTelescopes, stepTelescope, triggeredCountText } from '../../../../src-renderer/camera/shown-telescopes.js';

const array = Array.from({ length: 43 }, (_, i) => i + 1);

describe('triggered telescopes selection', () => {
  test('only the triggered telescopes, in the subarray order', () => {
    expect(shownTelescopes(array, new Set([30, 2, 17]), false)).toEqual([2, 17, 30]);
  });

  test('all telescopes on demand, and before any event', () => {
    expect(shownTelescopes(array, new Set([30, 2]), true)).toEqual(array);
    expect(shownTelescopes(array, undefined, false)).toEqual(array);
  });

  test('telescopes of the event that are not in the subarray are neither shown nor counted', () => {
    const triggered = new Set([1, 5, 99]);
    expect(shownTelescopes(array, triggered, false)).toEqual([1, 5]);
    expect(triggeredCountText(array, triggered)).toBe('2 of 43 triggered');
  });

  test('the count', () => {
    expect(triggeredCountText(array, new Set([1, 2, 3, 4, 5, 6, 7]))).toBe('7 of 43 triggered');
    expect(triggeredCountText(array, new Set())).toBe('0 of 43 triggered');
    expect(triggeredCountText(array, undefined)).toBe('43 telescopes');
    expect(triggeredCountText([4], undefined)).toBe('1 telescope');
  });
});

describe('stepping the focused tile', () => {
  const shown = [3, 8, 21];
  test('next and previous, wrapping around', () => {
    expect(stepTelescope(shown, 3, 1)).toBe(8);
    expect(stepTelescope(shown, 21, 1)).toBe(3);
    expect(stepTelescope(shown, 3, -1)).toBe(21);
    expect(stepTelescope(shown, 8, -1)).toBe(3);
  });
  test('from no focus, or one no longer shown: the first forward, the last backward', () => {
    expect(stepTelescope(shown, undefined, 1)).toBe(3);
    expect(stepTelescope(shown, undefined, -1)).toBe(21);
    expect(stepTelescope(shown, 5, 1)).toBe(3);
  });
  test('nothing shown: no focus', () => {
    expect(stepTelescope([], 3, 1)).toBeUndefined();
  });
});
