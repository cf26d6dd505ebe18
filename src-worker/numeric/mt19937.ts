/**
 * The Mersenne Twister MT19937 exactly as numpy's legacy `np.random.seed` /
 * `RandomState` and numba's `np.random` use it (init_genrand seeding,
 * standard tempering), with numpy's bounded-integer rule (mask of the bit
 * length, reject values above the bound) and numpy's / numba's shuffle order.
 *
 * ctapipe's least-trimmed-squares fit (timing parameters) seeds numba's
 * generator with 0 on every call and draws its initial pairs with
 * `np.random.choice(n, 2, replace=False)`, i.e. the first two entries of
 * `np.random.permutation(n)`; reproducing the stream reproduces its result.
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** numpy `np.random.seed(seed)` / numba `np.random.seed(seed)` for an integer seed. */
  seed(seed: number): void {
    const mt = this.mt;
    let s = seed >>> 0;
    for (let pos = 0; pos < N; pos++) {
      mt[pos] = s;
      // s = 1812433253 * (s ^ (s >>> 30)) + pos + 1  (mod 2^32)
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + pos + 1) >>> 0;
    }
    this.index = N;
  }

  /** Copies the complete state of another generator (cheaper than seeding). */
  copyFrom(other: MT19937): void {
    this.mt.set(other.mt);
    this.index = other.index;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }

  /** Next 32-bit output (tempered), as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Uniform integer in [0, max] (numpy legacy `random_interval`, numba's
   * `np.random.randint(0, max + 1)`), for 0 <= max < 2^32.
   */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max >>> 0;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** In-place shuffle of a[0..n) in numpy's / numba's order (from the last element down). */
  shuffle(a: Int32Array | Float64Array, n: number): void {
    for (let i = n - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
