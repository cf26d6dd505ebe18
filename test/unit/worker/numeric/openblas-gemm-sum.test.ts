/**
 * The covariance of ctapipe's Hillas parameters, bit for bit as numpy
 * computes it (np.cov → OpenBLAS dgemm with fused multiply-adds, blocked
 * over K), checked against numpy run in the same test: the exact fused
 * multiply-add against Python's exact rational arithmetic, the dgemm-order
 * sum against numpy's matrix product for small and large K (blocking at 256
 * and the halved rest), and numpy's pairwise sums beyond its 8192-value
 * reduction buffer.
 */
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fma, gemmDot } from '../../../../src-worker/numeric/openblas-gemm-sum.js';
import { pairwiseSum32, pairwiseSum64 } from '../../../../src-worker/numeric/numpy-pairwise-sum.js';
import { Random } from '../../../../src-worker/util/random.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';

const hex = (v: number) => Buffer.from(new Float64Array([v]).buffer).toString('hex');
/** Python's float.hex() back to the number, exactly */
const fromHex = (h: string) => {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([-+]\d+)$/.exec(h);
  if (!m) return Number.parseFloat(h.replace(/^(-?)0x0\.0p\+0$/, '$10'));
  const mant = BigInt(`0x${m[2]}${m[3]}`);
  return (m[1] ? -1 : 1) * Number(mant) * 2 ** (Number(m[4]) - 4 * m[3].length);
};
const py = (script: string, input: unknown): unknown =>
  JSON.parse(execFileSync(python('numpy').path, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 }));

describeWith([python('numpy')], 'numpy/OpenBLAS arithmetic, checked against numpy in the same run', () => {
  itWith([python('numpy')], 'fma is the exactly rounded a·b + c', () => {
    const rng = new Random(7);
    const triples: number[][] = [];
    for (let i = 0; i < 4000; i++) {
      const e = () => 2 ** Math.floor(rng.uniform() * 40 - 20);
      const a = (rng.uniform() - 0.5) * e(),
        b = (rng.uniform() - 0.5) * e();
      // c near -a·b half of the time: heavy cancellation, where a separate rounding shows
      const c = i % 2 ? -a * b * (1 + (rng.uniform() - 0.5) * 2 ** -40) : (rng.uniform() - 0.5) * e();
      triples.push([a, b, c]);
    }
    triples.push([1 + 2 ** -52, 1 - 2 ** -53, -1], [0.1, 10, -1], [3, 1 / 3, -1], [2 ** 27 + 1, 2 ** 27 - 1, -(2 ** 54)]);
    const exact = py(
      'import json, sys\nfrom fractions import Fraction as F\nt = json.load(sys.stdin)\nprint(json.dumps([float(F(a) * F(b) + F(c)).hex() for a, b, c in t]))',
      triples,
    ) as string[];
    let same = 0;
    triples.forEach(([a, b, c], i) => {
      if (hex(fma(a, b, c)) === hex(fromHex(exact[i]))) same++;
    });
    expect(same).toBe(triples.length);
  });

  itWith([python('numpy')], "np.cov's matrix product: OpenBLAS's order and roundings, for short and long pixel lists and for pixels on a line", () => {
    const rng = new Random(11);
    const cases: { u: number[]; v: number[]; w: number[] }[] = [];
    for (const n of [2, 3, 5, 17, 100, 255, 256, 257, 300, 511, 513, 700, 1855]) {
      for (let k = 0; k < 3; k++) {
        const w = Array.from({ length: n }, () => Math.fround(0.5 + 50 * rng.uniform()));
        // k = 0: on a line through the origin of slope 0.37 (the collinear case), else scattered
        const u = Array.from({ length: n }, () => 2 * rng.uniform() - 1);
        const v = u.map((x) => (k === 0 ? 0.37 * x : 2 * rng.uniform() - 1));
        cases.push({ u, v, w });
      }
    }
    const numpy = py(
      `import json, sys, numpy as np
out = []
for c in json.load(sys.stdin):
    X = np.array([c["u"], c["v"]]); w = np.array(c["w"])
    XT = (X * w).T
    out.append([float(x).hex() for x in np.dot(X, XT).ravel()])
print(json.dumps(out))`,
      cases,
    ) as string[][];
    let same = 0;
    cases.forEach((c, i) => {
      const uw = c.u.map((x, k) => x * c.w[k]);
      const vw = c.v.map((x, k) => x * c.w[k]);
      const ours = [gemmDot(c.u, uw, c.u.length), gemmDot(c.u, vw, c.u.length), gemmDot(c.v, uw, c.u.length), gemmDot(c.v, vw, c.u.length)];
      if (ours.every((x, k) => hex(x) === hex(fromHex(numpy[i][k])))) same++;
    });
    expect(same).toBe(cases.length);
  });

  itWith([python('numpy')], "numpy's float32 and float64 sums, below and beyond its 8192-value reduction buffer", () => {
    const rng = new Random(3);
    const ns = [5, 128, 129, 8191, 8192, 8193, 20000, 40000, 70001];
    const data = ns.map((n) => Array.from({ length: n }, () => Math.fround(100 * rng.uniform() - 10)));
    const numpy = py(
      'import json, sys, numpy as np\nd = json.load(sys.stdin)\nprint(json.dumps([[float(np.array(a, dtype=np.float32).sum()), float(np.array(a, dtype=np.float64).sum())] for a in d]))',
      data,
    ) as [number, number][];
    data.forEach((a, i) => {
      expect(pairwiseSum32(Float32Array.from(a), a.length), `float32, n = ${a.length}`).toBe(numpy[i][0]);
      expect(pairwiseSum64(Float64Array.from(a), a.length), `float64, n = ${a.length}`).toBe(numpy[i][1]);
    });
  });
});
