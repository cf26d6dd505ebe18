/**
 * What a fit shows: the fitted function (evaluated here, a few arithmetic
 * operations, so the renderer can draw the curve) and its parameters as
 * "value ± error" with the error's two significant digits, plus χ²/ndf.
 */
import type { FitResultWire } from '../../src-main/api/histogram-contract.js';
import { formatSignificant } from '../format/numbers.js';

export type FitModel = FitResultWire['model'];

/** The fitted function at x, as the backend defines it (src-worker/fit/fit-models.ts). */
export function evaluateFitAt(fit: Pick<FitResultWire, 'model' | 'parameters' | 'x0'>, x: number): number {
  const p = fit.parameters;
  switch (fit.model) {
    case 'gaussian': {
      const u = (x - p[1]) / p[2];
      return p[0] * Math.exp(-0.5 * u * u);
    }
    case 'exponential':
      return p[0] * Math.exp(-(x - (fit.x0 ?? 0)) / p[1]);
    case 'polynomial': {
      let v = 0;
      for (let j = p.length - 1; j >= 0; j--) v = v * x + p[j];
      return v;
    }
  }
}

/**
 * "value ± error" rounded to the error's 2 significant digits (PDG style,
 * without the 354 rule); scientific notation for very large or small values.
 */
export function formatWithError(value: number, error: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (!(error > 0) || !Number.isFinite(error)) return `${formatSignificant(value)} ± ${Number.isFinite(error) ? '0' : '∞'}`;
  const exp = Math.floor(Math.log10(error)) - 1;
  const mag = Math.max(Math.abs(value), error);
  if (mag >= 1e5 || mag < 1e-3) {
    const e10 = Math.floor(Math.log10(mag));
    const digits = Math.max(0, e10 - exp);
    const s = 10 ** e10;
    return `(${(value / s).toFixed(digits)} ± ${(error / s).toFixed(digits)})e${e10}`;
  }
  const decimals = Math.max(0, -exp);
  const round = (v: number) => (decimals > 0 ? v.toFixed(decimals) : String(Math.round(v / 10 ** exp) * 10 ** exp));
  return `${round(value)} ± ${round(error)}`;
}

const MODEL_TITLES: Record<FitModel, string> = { gaussian: 'Gaussian', exponential: 'exponential', polynomial: 'polynomial' };
const PARAMETER_SYMBOLS: Record<string, string> = { amplitude: 'A', mean: 'μ', sigma: 'σ', tau: 'τ' };

/** The lines of the fit box: title, one line per parameter, χ²/ndf. */
export function fitLines(fit: FitResultWire, unit = ''): string[] {
  const u = unit ? ` ${unit}` : '';
  const formula =
    fit.model === 'gaussian'
      ? 'A·exp(−(x−μ)²/2σ²)'
      : fit.model === 'exponential'
        ? `A·exp(−(x−${formatSignificant(fit.x0 ?? 0)})/τ)`
        : fit.parameters.map((_, j) => (j === 0 ? 'c0' : j === 1 ? 'c1·x' : `c${j}·x${superscript(j)}`)).join(' + ');
  const lines = [`${MODEL_TITLES[fit.model]} fit: ${formula}`];
  fit.parameterNames.forEach((name, j) => {
    const sym = PARAMETER_SYMBOLS[name] ?? name;
    const withUnit = name === 'mean' || name === 'sigma' || name === 'tau' ? u : '';
    lines.push(`${sym} = ${formatWithError(fit.parameters[j], fit.errors[j])}${withUnit}`);
  });
  lines.push(
    `χ²/ndf = ${fit.chi2.toFixed(1)} / ${fit.ndf}${fit.ndf > 0 ? ` = ${(fit.chi2 / fit.ndf).toFixed(2)}` : ''}${fit.converged ? '' : ' (not converged)'}`,
  );
  return lines;
}

function superscript(n: number): string {
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return String(n)
    .split('')
    .map((d) => sup[Number(d)])
    .join('');
}
