/**
 * The models the histogram fits use, with analytic gradients.
 * Parameter order is the order of `parameterNames`.
 */

export interface NonlinearModel {
  name: string;
  parameterNames: readonly string[];
  value(x: number, p: ArrayLike<number>): number;
  /** writes ∂f/∂p_j into out[j] */
  gradient(x: number, p: ArrayLike<number>, out: Float64Array): void;
}

/** A·exp(−(x − μ)² / (2σ²)); parameters [amplitude, mean, sigma]. */
export const gaussianModel: NonlinearModel = {
  name: 'gaussian',
  parameterNames: ['amplitude', 'mean', 'sigma'],
  value(x, p) {
    const u = (x - p[1]) / p[2];
    return p[0] * Math.exp(-0.5 * u * u);
  },
  gradient(x, p, out) {
    const d = x - p[1];
    const s = p[2];
    const e = Math.exp((-0.5 * d * d) / (s * s));
    out[0] = e;
    out[1] = (p[0] * e * d) / (s * s);
    out[2] = (p[0] * e * d * d) / (s * s * s);
  },
};

/**
 * A·exp(λ·(x − x0)) with a fixed reference x0; parameters [amplitude, slope].
 * The exponential fit reports τ = −1/λ instead of λ.
 */
export function exponentialSlopeModel(x0: number): NonlinearModel {
  return {
    name: 'exponential',
    parameterNames: ['amplitude', 'slope'],
    value(x, p) {
      return p[0] * Math.exp(p[1] * (x - x0));
    },
    gradient(x, p, out) {
      const e = Math.exp(p[1] * (x - x0));
      out[0] = e;
      out[1] = p[0] * e * (x - x0);
    },
  };
}

/** Σ_j c_j·x^j, j = 0..degree; parameters [c0, c1, ...]. */
export function polynomialModel(degree: number): NonlinearModel {
  const names = Array.from({ length: degree + 1 }, (_, j) => `c${j}`);
  return {
    name: 'polynomial',
    parameterNames: names,
    value(x, p) {
      let v = 0;
      for (let j = degree; j >= 0; j--) v = v * x + p[j];
      return v;
    },
    gradient(x, _p, out) {
      let xp = 1;
      for (let j = 0; j <= degree; j++) {
        out[j] = xp;
        xp *= x;
      }
    },
  };
}

/**
 * A·exp(−(x − μ)²/(2σ²)) + b0 + b1·(x − x0), a peak on a linear background
 * (a photopeak on the Compton continuum), with a fixed reference x0 that
 * keeps b0 and b1 weakly correlated; parameters [amplitude, mean, sigma,
 * background, slope].
 */
export function gaussianLinearModel(x0: number): NonlinearModel {
  return {
    name: 'gaussian-linear',
    parameterNames: ['amplitude', 'mean', 'sigma', 'background', 'slope'],
    value(x, p) {
      const u = (x - p[1]) / p[2];
      return p[0] * Math.exp(-0.5 * u * u) + p[3] + p[4] * (x - x0);
    },
    gradient(x, p, out) {
      const d = x - p[1];
      const s = p[2];
      const e = Math.exp((-0.5 * d * d) / (s * s));
      out[0] = e;
      out[1] = (p[0] * e * d) / (s * s);
      out[2] = (p[0] * e * d * d) / (s * s * s);
      out[3] = 1;
      out[4] = x - x0;
    },
  };
}
