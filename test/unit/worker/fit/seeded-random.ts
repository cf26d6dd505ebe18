/** Deterministic random numbers for statistical tests (mulberry32). */
export function seededRandom(seed: number): {
  uniform: () => number;
  normal: (mean?: number, sd?: number) => number;
  exponential: (tau: number) => number;
  poisson: (mean: number) => number;
} {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, sd = 1): number => {
    // Box–Muller; 1 − u avoids log(0)
    const u = 1 - uniform();
    const v = uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const exponential = (tau: number): number => -tau * Math.log(1 - uniform());
  const poissonSmall = (mean: number): number => {
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= uniform();
    } while (p > l);
    return k - 1;
  };
  // exact for any mean: a sum of independent Poisson variates is Poisson
  const poisson = (mean: number): number => {
    let k = 0;
    let rest = mean;
    while (rest > 30) {
      k += poissonSmall(30);
      rest -= 30;
    }
    return k + poissonSmall(rest);
  };
  return { uniform, normal, exponential, poisson };
}
