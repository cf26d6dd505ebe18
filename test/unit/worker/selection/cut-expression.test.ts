/** The cut-expression parser and evaluator: precedence, NaN, functions, and clear errors (no eval). */
import { describe, expect, it } from 'vitest';
import { CutSyntaxError, cutColumns, evalCut, parseCut, passes } from '../../../../src-worker/selection/cut-expression.js';

const row: Record<string, number> = { hillas_intensity: 1500, leakage_intensity_width_2: 0.1, hillas_width: NaN, a: 2, b: 3 };
const get = (n: string) => {
  if (!(n in row)) throw new Error(`no column ${n}`);
  return row[n];
};
const val = (src: string) => evalCut(parseCut(src), get);

describe('cut expressions', () => {
  it('evaluates the documented example and its variants', () => {
    expect(passes(parseCut('hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2'), get)).toBe(true);
    expect(passes(parseCut('hillas_intensity > 1000 and leakage_intensity_width_2 > 0.2'), get)).toBe(false);
    expect(passes(parseCut('(hillas_intensity > 1000) & (leakage_intensity_width_2 < 0.2)'), get)).toBe(true);
    expect(passes(parseCut('hillas_intensity < 10 || not (a == 3)'), get)).toBe(true);
  });

  it('follows arithmetic precedence', () => {
    expect(val('a + b * 2')).toBe(8);
    expect(val('(a + b) * 2')).toBe(10);
    expect(val('-a * -b')).toBe(6);
    expect(val('b % a')).toBe(1);
    expect(val('1e3 + .5')).toBe(1000.5);
    expect(val('a < b && b < 4')).toBe(1);
    // not / ! apply to a whole comparison, as Python's not does
    expect(val('!a > 3')).toBe(1);
    expect(val('not a + b == 5')).toBe(0);
  });

  it('treats NaN comparisons as false, as numpy does', () => {
    expect(val('hillas_width > 0')).toBe(0);
    expect(val('hillas_width <= 0')).toBe(0);
    expect(val('hillas_width != 0')).toBe(1);
    expect(val('isnan(hillas_width)')).toBe(1);
    expect(passes(parseCut('hillas_width'), get)).toBe(false);
  });

  it('has a few math functions', () => {
    expect(val('sqrt(a * 8)')).toBe(4);
    expect(val('log10(hillas_intensity / 1.5)')).toBe(3);
    expect(val('max(a, b) - min(a, b)')).toBe(1);
    expect(val('abs(-b)')).toBe(3);
  });

  it('lists the columns it uses', () => {
    expect([...cutColumns(parseCut('sqrt(a) > b || hillas_intensity > 1 && nan < inf'))].sort()).toEqual(['a', 'b', 'hillas_intensity']);
  });

  it('refuses anything that is not an expression over columns', () => {
    for (const [src, msg] of [
      ['a >> 1', /unexpected ">"/],
      ['a < b < 3', /chained comparison/],
      ['process.exit(1)', /unexpected character "\."/],
      ['require(fs)', /unknown function "require"/],
      ['require("fs")', /unexpected character "\""/],
      ['a = 1', /unexpected character "="/],
      ['(a > 1', /expected "\)"/],
      ['a >', /ends too early/],
      ['sqrt(a, b)', /sqrt\(\) takes 1 argument, got 2/],
      ['a; b', /unexpected character ";"/],
      ['`a`', /unexpected character "`"/],
    ] as const) {
      expect(() => parseCut(src), src).toThrow(CutSyntaxError);
      expect(() => parseCut(src), src).toThrow(msg);
    }
  });
});
