/**
 * Label and energy of an image from its path, by regular expressions
 * (the seed's `re.search(r'/([NE]R)/', path).group(1)` and
 * `float(re.search(r'/([0-9]+)_keV', path).group(1))`): the first capture
 * group, or the whole match when the expression has none. Class numbers:
 * the position of the label in `classes` (default: the labels found,
 * sorted, so ER = 0 and NR = 1).
 */

export const DEFAULT_LABEL_RE = '/([NE]R)/';
export const DEFAULT_ENERGY_RE = '/([0-9]+)_keV';

export function compilePathExpression(source: string, what: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new Error(`${what} expression ${JSON.stringify(source)} is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`);
  }
}

export function matchPath(re: RegExp, path: string): string | null {
  const m = re.exec(path);
  if (!m) return null;
  return m[1] ?? m[0];
}

export interface PathLabels {
  labels: string[];
  energies: Float64Array;
  classes: string[];
  classIndex: Int32Array;
}

export function labelPaths(paths: string[], labelRe: RegExp, energyRe: RegExp | null, classes?: string[]): PathLabels {
  const labels: string[] = [];
  const energies = new Float64Array(paths.length);
  paths.forEach((p, i) => {
    const label = matchPath(labelRe, p);
    if (label === null) throw new Error(`${p}: the label expression ${labelRe.source} does not match this path`);
    labels.push(label);
    if (energyRe) {
      const e = matchPath(energyRe, p);
      const v = e === null ? NaN : Number(e);
      if (!Number.isFinite(v)) throw new Error(`${p}: the energy expression ${energyRe.source} does not match a number in this path`);
      energies[i] = v;
    } else energies[i] = NaN;
  });
  const cls = classes ?? [...new Set(labels)].sort();
  const classIndex = new Int32Array(paths.length);
  labels.forEach((l, i) => {
    const k = cls.indexOf(l);
    if (k < 0) throw new Error(`${paths[i]}: label ${JSON.stringify(l)} is not one of the classes ${cls.join(', ')}`);
    classIndex[i] = k;
  });
  return { labels, energies, classes: cls, classIndex };
}
