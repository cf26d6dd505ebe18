/**
 * ctapipe's per-telescope settings (`TelescopeParameter`): a single value, or
 * a list of `[command, argument, value]` triplets applied in order, later
 * ones overwriting earlier ones, where
 *
 * - `["type", pattern, value]` sets every telescope whose type string
 *   (`str(TelescopeDescription)`, "<size type>_<optics name>_<camera name>",
 *   e.g. "LST_LST_LSTCam") matches the shell-style pattern (Python's
 *   `fnmatch`: `*`, `?`, `[seq]`, `[!seq]`; case-sensitive, as on Linux and
 *   macOS: "LST_LST_LSTCam" does not match a prod6 "LST_LST_LSTcam"),
 * - `["id", tel_id, value]` sets one telescope;
 *
 * a single value means `["type", "*", value]`, and a list replaces the
 * default entirely, so a telescope no entry matches has no value (ctapipe
 * raises a KeyError when it gets there; so does `lookup`). A type pattern
 * that matches no telescope of the subarray is reported (ctapipe logs a
 * warning), so a misspelt camera never falls to the default unnoticed.
 * (ctapipe.core.telescope_component, 0.26.)
 */

export type PatternEntry = [command: 'type' | 'id', argument: string | number, value: unknown];

export class TelescopeParameterError extends Error {}

/**
 * ctapipe's TelescopeParameter.validate: a non-list becomes
 * `[["type", "*", value]]`; list entries must be 3-item lists with a 'type'
 * (string pattern) or 'id' (integer) command. `validate` checks each value.
 */
export function normalizePatternList(value: unknown, where: string, validate: (v: unknown) => unknown): PatternEntry[] {
  if (!Array.isArray(value)) return [['type', '*', validate(value)]];
  return value.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 3) {
      throw new TelescopeParameterError(`${where}[${i}]: pattern should be a list of (command, argument, value), got ${JSON.stringify(entry)}`);
    }
    const [command, arg, v] = entry as unknown[];
    if (command !== 'type' && command !== 'id')
      throw new TelescopeParameterError(`${where}[${i}]: command must be one of: 'type', 'id' (got ${JSON.stringify(command)})`);
    if (command === 'type') {
      if (typeof arg !== 'string') throw new TelescopeParameterError(`${where}[${i}]: 'type' argument should be a string`);
      return ['type', arg, validate(v)];
    }
    const id = typeof arg === 'number' ? arg : typeof arg === 'string' && /^\s*[+-]?\d+\s*$/.test(arg) ? Number(arg) : NaN;
    if (!Number.isInteger(id)) throw new TelescopeParameterError(`${where}[${i}]: Argument of 'id' should be an int (got '${String(arg)}')`);
    return ['id', id, validate(v)];
  });
}

/** Python's fnmatch.translate, as a RegExp matching the whole string. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++];
    if (c === '*') {
      re += '[\\s\\S]*';
      while (pattern[i] === '*') i++;
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (j < n && pattern[j] === '!') j++;
      if (j < n && pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
      } else {
        let stuff = pattern.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (stuff[0] === '!') stuff = `^${stuff.slice(1)}`;
        else if (stuff[0] === '^') stuff = `\\${stuff}`;
        re += `[${stuff.replace(/]/g, '\\]')}]`;
      }
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^(?:${re})$`);
}

export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchRegExp(pattern).test(name);
}

export interface SubarrayTypes {
  /** tel_id → type string, for every telescope of the subarray */
  typeOf: Map<number, string>;
}

export interface ResolvedParameter<T> {
  /** tel_id → value, for the telescopes some entry set */
  byTel: Map<number, T>;
  /** type patterns that matched no telescope type of the subarray */
  unmatched: string[];
}

/** ctapipe's TelescopeParameterLookup.attach_subarray. */
export function resolvePatternList<T>(entries: readonly PatternEntry[], subarray: SubarrayTypes): ResolvedParameter<T> {
  const types = [...new Set(subarray.typeOf.values())];
  const byTel = new Map<number, T>();
  const unmatched: string[] = [];
  for (const [command, arg, value] of entries) {
    if (command === 'type') {
      const re = fnmatchRegExp(String(arg));
      const matched = new Set(types.filter((t) => re.test(t)));
      if (matched.size === 0) unmatched.push(String(arg));
      for (const [telId, t] of subarray.typeOf) if (matched.has(t)) byTel.set(telId, value as T);
    } else {
      byTel.set(Number(arg), value as T);
    }
  }
  return { byTel, unmatched };
}

/** The value for one telescope; throws, naming the setting, when no entry gave it one. */
export function lookup<T>(r: ResolvedParameter<T>, telId: number, where: string, typeString: string): T {
  const v = r.byTel.get(telId);
  if (v === undefined) {
    throw new TelescopeParameterError(
      `${where}: no value for telescope ${telId} (${typeString}); set it explicitly, by telescope type, or with ['type', '*', value]`,
    );
  }
  return v;
}
