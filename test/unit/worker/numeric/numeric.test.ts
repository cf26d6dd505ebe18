import { describe, expect, it } from 'vitest';
import { MT19937 } from '../../../../src-worker/numeric/mt19937.js';
import { pairwiseSum32, pairwiseSum64 } from '../../../../src-worker/numeric/numpy-pairwise-sum.js';
import { symmetricEigen2x2, type Eigen2x2 } from '../../../../src-worker/numeric/symmetric-eigen-2x2.js';

describe('MT19937 (numpy legacy RandomState / numba np.random)', () => {
  it('reproduces numpy RandomState(0): raw 32-bit outputs', () => {
    const r = new MT19937(0);
    // numpy: np.random.RandomState(0).randint(0, 2**32, size=3, dtype=np.uint64)
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
  });
  it('reproduces numpy RandomState(0).permutation(n)[:5] for successive n', () => {
    const r = new MT19937(0);
    const got: number[] = [];
    for (const n of [2, 3, 5, 17, 40, 300]) {
      const a = Int32Array.from({ length: n }, (_, i) => i);
      r.shuffle(a, n);
      got.push(...Array.from(a.subarray(0, 5)));
    }
    // numpy: r = np.random.RandomState(0); [r.permutation(n)[:5] for n in (2, 3, 5, 17, 40, 300)]
    expect(got).toEqual([1, 0, 2, 0, 1, 0, 2, 1, 4, 3, 5, 2, 3, 16, 11, 32, 29, 25, 26, 36, 6, 259, 106, 215, 90]);
  });
});

describe('numpy pairwise summation', () => {
  // v_i = ((i*7919) % 1000)/7 - 50 + i*1e-3; numpy 1.24 sums of the float32 / float64 arrays
  const expected: Array<[number, number, number, number, number]> = [
    [5, 205.7242889404297, 205.7242857142857, 41.144859313964844, 47.018306732177734],
    [37, 729.8088989257812, 729.808857142857, 19.724565505981445, 41.203243255615234],
    [300, 6494.85009765625, 6494.85, 21.649499893188477, 41.46535110473633],
  ];
  for (const [n, sum32, sum64] of expected) {
    it(`n = ${n}: bit-identical to numpy's np.sum`, () => {
      const v = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 7.0 - 50 + i * 1e-3);
      expect(pairwiseSum32(Float32Array.from(v), n)).toBe(sum32);
      expect(pairwiseSum64(v, n)).toBe(sum64);
    });
  }
});

describe('symmetricEigen2x2 (LAPACK dsyevd order)', () => {
  const e: Eigen2x2 = { value0: 0, value1: 0, v0x: 0, v0y: 0, v1x: 0, v1y: 0 };
  it('eigenvalues ascending, eigenvectors orthonormal and correct', () => {
    symmetricEigen2x2(3, 1, 2, e);
    const l0 = (5 - Math.sqrt(5)) / 2,
      l1 = (5 + Math.sqrt(5)) / 2;
    expect(e.value0).toBeCloseTo(l0, 14);
    expect(e.value1).toBeCloseTo(l1, 14);
    expect(3 * e.v1x + 1 * e.v1y).toBeCloseTo(l1 * e.v1x, 13);
    expect(1 * e.v1x + 2 * e.v1y).toBeCloseTo(l1 * e.v1y, 13);
    expect(e.v0x * e.v1x + e.v0y * e.v1y).toBeCloseTo(0, 15);
  });
  it('a negligible off-diagonal element gives exactly the axes', () => {
    // LAPACK dsteqr: |b| <= sqrt|a| sqrt|c| eps -> b is dropped
    symmetricEigen2x2(1e-10, 1e-40, 4e-3, e);
    expect([e.value0, e.value1, e.v1x, e.v1y]).toEqual([1e-10, 4e-3, 0, 1]);
  });
});
