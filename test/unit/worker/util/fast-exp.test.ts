import { describe, expect, test } from 'vitest';
import { expNeg } from '../../../../src-worker/util/fast-exp.js';

describe('expNeg', () => {
  test('equals Math.exp(−x) within 1e-10 relative over [0, 100], exactly 1 at 0', () => {
    expect(expNeg(0)).toBe(1);
    let worst = 0;
    for (let i = 0; i <= 1_000_000; i++) {
      const x = (i / 1_000_000) * 100;
      const rel = Math.abs(expNeg(x) / Math.exp(-x) - 1);
      if (rel > worst) worst = rel;
    }
    expect(worst).toBeLessThan(1e-10);
  });

  test('negative and non-finite arguments go to Math.exp', () => {
    expect(expNeg(-1)).toBe(Math.exp(1));
    expect(expNeg(Infinity)).toBe(0);
    expect(expNeg(NaN)).toBeNaN();
  });
});
