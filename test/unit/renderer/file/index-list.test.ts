import { describe, expect, it } from 'vitest';
import { parseIndexList } from '../../../../src-renderer/file/index-list.js';

describe('typed event index lists', () => {
  it('parses single indices and ranges, sorted and unique', () => {
    expect(parseIndexList('0-3, 15 2,20', 120)).toEqual([0, 1, 2, 3, 15, 20]);
    expect(parseIndexList(' 7 ', 8)).toEqual([7]);
  });
  it('says what is wrong', () => {
    expect(() => parseIndexList('', 10)).toThrow(/type event indices/);
    expect(() => parseIndexList('3-x', 10)).toThrow(/"3-x" is not an event index/);
    expect(() => parseIndexList('5-2', 10)).toThrow(/runs backwards/);
    expect(() => parseIndexList('0-10', 10)).toThrow(/past the end: the file has 10 events \(0…9\)/);
  });
});
