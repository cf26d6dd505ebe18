/** Signal numbers as typed in the spectroscopy view (src-renderer/lab/spectroscopy/signal-rows.ts). */
import { describe, expect, it } from 'vitest';
import { parseRows } from '../../../../src-renderer/lab/spectroscopy/signal-rows.js';

describe('signal numbers', () => {
  it('single numbers, lists and ranges, in the order given, without duplicates', () => {
    expect(parseRows('12', 1000, 16)).toEqual([12]);
    expect(parseRows('3, 7,12', 1000, 16)).toEqual([3, 7, 12]);
    expect(parseRows('4-7 2 5', 1000, 16)).toEqual([4, 5, 6, 7, 2]);
    expect(parseRows(' 9 ; 9 ', 1000, 16)).toEqual([9]);
  });

  it('says what is wrong', () => {
    expect(parseRows('1000', 1000, 16)).toBe('signal 1000 does not exist: the dataset has signals 0…999');
    expect(parseRows('x', 1000, 16)).toMatch(/"x" is not a signal number/);
    expect(parseRows('-3', 1000, 16)).toMatch(/is not a signal number/);
    expect(parseRows('7-3', 1000, 16)).toMatch(/"7-3" is not a signal number/);
    expect(parseRows('0-20', 1000, 16)).toBe('at most 16 signals at a time');
    expect(parseRows('  ', 1000, 16)).toBe('give at least one signal number');
  });
});
