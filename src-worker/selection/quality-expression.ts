/**
 * ctapipe's quality criteria — `[name, "python expression"]` pairs of its
 * ImageQualityQuery (on `image`, the cleaned pixels' float32 charges) and
 * StereoQualityQuery (on `parameters`, the ImageParametersContainer) — parsed
 * into a plain-data syntax tree that travels to worker threads and evaluates
 * with numpy's arithmetic. ctapipe `eval`s the expression; here only the
 * subset below is understood, and anything else is refused by `checkExpression`
 * with the reason, so a criterion is either applied as ctapipe applies it or
 * not at all:
 *
 *   numbers, True/False, ( ), + - * / **, < <= > >= == != (chained as in
 *   Python), and / or / not;
 *   image: image.sum() np.sum(image) np.count_nonzero(image) image.max()
 *          np.max(image) image.min() np.min(image) image.mean() np.mean(image)
 *          len(image) image.size  (float32 arithmetic as numpy: pairwise sum)
 *   parameters: parameters.<container>.<field> with `.value` on fields that
 *          carry a unit (hillas fov_lon, fov_lat, r, phi, length, width, psi
 *          and their uncertainties, timing slope), e.g.
 *          parameters.hillas.width.value > 0, parameters.morphology.n_pixels > 3
 *   np.isfinite(x), np.isnan(x), abs(x), np.abs(x)
 *
 * NaN compares false, as in numpy; numpy float32 scalars compare with Python
 * numbers in float64, which is what comparing the float32 value as a double
 * does.
 */
import { pairwiseSum32 } from '../numeric/numpy-pairwise-sum.js';

export type QualityContext = 'image' | 'parameters';

export type QualityAst =
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'image'; op: 'sum' | 'count_nonzero' | 'max' | 'min' | 'mean' | 'size' }
  /** a parameter column (ctapipe's DL1 column name, telescope frame) */
  | { k: 'param'; column: string }
  | { k: 'neg'; a: QualityAst }
  | { k: 'not'; a: QualityAst }
  | { k: 'fn'; f: 'isfinite' | 'isnan' | 'abs'; a: QualityAst }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '**'; a: QualityAst; b: QualityAst }
  | { k: 'cmp'; ops: CmpOp[]; args: QualityAst[] }
  | { k: 'and' | 'or'; args: QualityAst[] };

type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export class QualityExpressionError extends Error {}

// ---------------------------------------------------------------- tokens
type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z_0-9]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(\*\*|<=|>=|==|!=|[-+*/<>().,])/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new QualityExpressionError(`unexpected character '${c}'`);
  }
  out.push({ t: 'end' });
  return out;
}

// ---------------------------------------------------------------- parser (Python precedence)
/** A dotted name with calls, before it is given a meaning: e.g. np.count_nonzero(image) */
type Chain = { parts: string[]; call?: Chain[] };
type Node = QualityAst | { k: 'chain'; chain: Chain };

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.p];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isName(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new QualityExpressionError(`expected '${v}'`);
    this.p++;
  }

  parse(): Node {
    const e = this.or();
    if (this.peek().t !== 'end') throw new QualityExpressionError(`unexpected '${(this.peek() as { v: unknown }).v}'`);
    return e;
  }
  private or(): Node {
    const args = [this.and()];
    while (this.isName('or')) {
      this.p++;
      args.push(this.and());
    }
    return args.length === 1 ? args[0] : { k: 'or', args: args as QualityAst[] };
  }
  private and(): Node {
    const args = [this.not()];
    while (this.isName('and')) {
      this.p++;
      args.push(this.not());
    }
    return args.length === 1 ? args[0] : { k: 'and', args: args as QualityAst[] };
  }
  private not(): Node {
    if (this.isName('not')) {
      this.p++;
      return { k: 'not', a: this.not() as QualityAst };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const first = this.arith();
    const ops: CmpOp[] = [];
    const args: Node[] = [first];
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.v)) {
        this.p++;
        ops.push(t.v as CmpOp);
        args.push(this.arith());
      } else break;
    }
    return ops.length ? { k: 'cmp', ops, args: args as QualityAst[] } : first;
  }
  private arith(): Node {
    let a = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.toks[this.p++] as { v: '+' | '-' }).v;
      a = { k: 'bin', op, a: a as QualityAst, b: this.term() as QualityAst };
    }
    return a;
  }
  private term(): Node {
    let a = this.factor();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.toks[this.p++] as { v: '*' | '/' }).v;
      a = { k: 'bin', op, a: a as QualityAst, b: this.factor() as QualityAst };
    }
    return a;
  }
  private factor(): Node {
    if (this.isOp('-')) {
      this.p++;
      return { k: 'neg', a: this.factor() as QualityAst };
    }
    if (this.isOp('+')) {
      this.p++;
      return this.factor();
    }
    const base = this.atom();
    if (this.isOp('**')) {
      this.p++;
      return { k: 'bin', op: '**', a: base as QualityAst, b: this.factor() as QualityAst };
    }
    return base;
  }
  private atom(): Node {
    const t = this.peek();
    if (t.t === 'num') {
      this.p++;
      return { k: 'num', v: t.v };
    }
    if (this.isOp('(')) {
      this.p++;
      const e = this.or();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'name') {
      if (t.v === 'True' || t.v === 'False') {
        this.p++;
        return { k: 'bool', v: t.v === 'True' };
      }
      return { k: 'chain', chain: this.chain() };
    }
    throw new QualityExpressionError(t.t === 'end' ? 'unexpected end of expression' : `unexpected '${t.v}'`);
  }
  private chain(): Chain {
    const parts = [(this.toks[this.p++] as { v: string }).v];
    let call: Chain[] | undefined;
    for (;;) {
      if (this.isOp('.') && !call) {
        this.p++;
        const n = this.peek();
        if (n.t !== 'name') throw new QualityExpressionError(`expected a name after '${parts.join('.')}.'`);
        this.p++;
        parts.push(n.v);
      } else if (this.isOp('(') && !call) {
        this.p++;
        call = [];
        while (!this.isOp(')')) {
          const a = this.or();
          if (!('chain' in a)) throw new QualityExpressionError(`${parts.join('.')}(...) takes a name here`);
          call.push((a as { chain: Chain }).chain);
          if (this.isOp(',')) this.p++;
          else break;
        }
        this.expectOp(')');
        // a method call ends the chain unless followed by an attribute (not supported)
        if (this.isOp('.') || this.isOp('(')) throw new QualityExpressionError(`'${parts.join('.')}(...)' followed by more is not supported`);
        return { parts, call };
      } else break;
    }
    return { parts };
  }
}

// ---------------------------------------------------------------- meaning of names
/** The fields of ctapipe's ImageParametersContainer groups: column prefix, and the fields with a unit (need .value). */
const PARAMETER_GROUPS: Record<string, { prefix: string; fields: string[]; withUnit: string[] }> = {
  hillas: {
    prefix: 'hillas_',
    fields: [
      'intensity',
      'fov_lon',
      'fov_lat',
      'r',
      'phi',
      'length',
      'length_uncertainty',
      'width',
      'width_uncertainty',
      'psi',
      'psi_uncertainty',
      'skewness',
      'kurtosis',
      'transverse_cog_uncertainty',
    ],
    withUnit: [
      'fov_lon',
      'fov_lat',
      'r',
      'phi',
      'length',
      'length_uncertainty',
      'width',
      'width_uncertainty',
      'psi',
      'psi_uncertainty',
      'transverse_cog_uncertainty',
    ],
  },
  timing: { prefix: 'timing_', fields: ['slope', 'intercept', 'deviation'], withUnit: ['slope'] },
  leakage: { prefix: 'leakage_', fields: ['pixels_width_1', 'pixels_width_2', 'intensity_width_1', 'intensity_width_2'], withUnit: [] },
  concentration: { prefix: 'concentration_', fields: ['cog', 'core', 'pixel'], withUnit: [] },
  morphology: { prefix: 'morphology_', fields: ['n_pixels', 'n_islands', 'n_small_islands', 'n_medium_islands', 'n_large_islands'], withUnit: [] },
  intensity_statistics: { prefix: 'intensity_', fields: ['max', 'min', 'mean', 'std', 'skewness', 'kurtosis'], withUnit: [] },
  peak_time_statistics: { prefix: 'peak_time_', fields: ['max', 'min', 'mean', 'std', 'skewness', 'kurtosis'], withUnit: [] },
};

const IMAGE_REDUCTIONS: Record<string, 'sum' | 'count_nonzero' | 'max' | 'min' | 'mean'> = {
  sum: 'sum',
  count_nonzero: 'count_nonzero',
  max: 'max',
  min: 'min',
  mean: 'mean',
  amax: 'max',
  amin: 'min',
};

function isImage(c: Chain, ctx: QualityContext): boolean {
  return ctx === 'image' && c.parts.length === 1 && c.parts[0] === 'image' && !c.call;
}

function resolveChain(c: Chain, ctx: QualityContext): QualityAst {
  const name = c.parts.join('.');
  const what = `${name}${c.call ? '(...)' : ''}`;
  // np.f(x) / f(x)
  if (c.call) {
    const fn = c.parts[0] === 'np' || c.parts[0] === 'numpy' ? c.parts.slice(1).join('.') : c.parts.length === 1 ? c.parts[0] : null;
    const method = c.parts.length === 2 && c.parts[0] === 'image' && ctx === 'image' ? c.parts[1] : null;
    if (method && c.call.length === 0 && method in IMAGE_REDUCTIONS && method !== 'count_nonzero') return { k: 'image', op: IMAGE_REDUCTIONS[method] };
    if (fn && c.call.length === 1) {
      const arg = c.call[0];
      if (isImage(arg, ctx)) {
        if (fn === 'len') return { k: 'image', op: 'size' };
        if (fn in IMAGE_REDUCTIONS && c.parts[0] !== fn) return { k: 'image', op: IMAGE_REDUCTIONS[fn] };
      } else if (fn === 'isfinite' || fn === 'isnan' || fn === 'abs') {
        if (fn !== 'abs' && c.parts[0] !== 'np' && c.parts[0] !== 'numpy') throw new QualityExpressionError(`'${what}' is not a numpy function`);
        return { k: 'fn', f: fn, a: resolveChain(arg, ctx) };
      }
    }
    throw new QualityExpressionError(`'${what}' is not supported`);
  }
  if (ctx === 'image' && name === 'image.size') return { k: 'image', op: 'size' };
  if (ctx === 'parameters' && c.parts[0] === 'parameters') {
    const group = PARAMETER_GROUPS[c.parts[1] ?? ''];
    const field = c.parts[2] ?? '';
    if (!group || !group.fields.includes(field) || c.parts.length > 4)
      throw new QualityExpressionError(
        `'${name}' is not an image parameter (parameters.<hillas|timing|leakage|concentration|morphology|intensity_statistics|peak_time_statistics>.<field>)`,
      );
    const hasUnit = group.withUnit.includes(field);
    if (c.parts.length === 4 && c.parts[3] !== 'value') throw new QualityExpressionError(`'${name}': only .value is supported on a parameter`);
    if (hasUnit && c.parts.length === 3) throw new QualityExpressionError(`'${name}' is a quantity with a unit; compare '${name}.value'`);
    if (!hasUnit && c.parts.length === 4) throw new QualityExpressionError(`'${name}': ${c.parts.slice(0, 3).join('.')} has no unit (no .value)`);
    return { k: 'param', column: group.prefix + field };
  }
  throw new QualityExpressionError(
    `unknown name '${name}'${ctx === 'image' ? ' (the image criteria see `image`)' : ' (the stereo criteria see `parameters`)'}`,
  );
}

function resolve(n: Node, ctx: QualityContext): QualityAst {
  switch (n.k) {
    case 'chain':
      return resolveChain(n.chain, ctx);
    case 'neg':
    case 'not':
      return { ...n, a: resolve(n.a, ctx) };
    case 'fn':
      return { ...n, a: resolve(n.a, ctx) };
    case 'bin':
      return { ...n, a: resolve(n.a, ctx), b: resolve(n.b, ctx) };
    case 'cmp':
      return { ...n, args: n.args.map((a) => resolve(a, ctx)) };
    case 'and':
    case 'or':
      return { ...n, args: n.args.map((a) => resolve(a, ctx)) };
    default:
      return n;
  }
}

/** Parses one criterion's expression; throws QualityExpressionError saying what it cannot evaluate. */
export function parseQualityExpression(expression: string, ctx: QualityContext): QualityAst {
  if (/\blambda\b/.test(expression)) throw new QualityExpressionError('lambda expressions are not accepted (ctapipe >= 0.16 refuses them too)');
  return resolve(new Parser(tokenize(expression)).parse(), ctx);
}

// ---------------------------------------------------------------- evaluation
/** What an expression is evaluated on: the cleaned image, or a parameter row. */
export interface QualityInput {
  /** the cleaned pixels' charges (float32), `n` of them */
  image?: Float32Array;
  n?: number;
  /** scratch of >= n float32 for the sum */
  scratch?: Float32Array;
  /** a parameter column's value */
  param?: (column: string) => number;
}

function imageValue(op: 'sum' | 'count_nonzero' | 'max' | 'min' | 'mean' | 'size', x: QualityInput): number {
  const img = x.image!;
  const n = x.n ?? img.length;
  switch (op) {
    case 'size':
      return n;
    case 'count_nonzero': {
      let c = 0;
      for (let i = 0; i < n; i++) if (img[i] !== 0) c++;
      return c;
    }
    case 'sum':
    case 'mean': {
      const s = x.scratch ?? new Float32Array(n);
      for (let i = 0; i < n; i++) s[i] = img[i];
      const sum = pairwiseSum32(s, n);
      return op === 'sum' ? sum : Math.fround(sum / n);
    }
    case 'max':
    case 'min': {
      // numpy raises on an empty array; ctapipe's query would then fail: count it as not passing
      if (n === 0) return NaN;
      let m = img[0];
      for (let i = 1; i < n; i++) {
        const v = img[i];
        if (Number.isNaN(v)) return NaN;
        if (op === 'max' ? v > m : v < m) m = v;
      }
      return m;
    }
  }
}

/** Python's bool(): a number is true unless it is 0 (NaN is true) */
function truthy(v: number | boolean): boolean {
  return typeof v === 'boolean' ? v : v !== 0;
}

function num(v: number | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export function evaluateQuality(a: QualityAst, x: QualityInput): number | boolean {
  switch (a.k) {
    case 'num':
    case 'bool':
      return a.v;
    case 'image':
      return imageValue(a.op, x);
    case 'param':
      return x.param ? x.param(a.column) : NaN;
    case 'neg':
      return -num(evaluateQuality(a.a, x));
    case 'not':
      return !truthy(evaluateQuality(a.a, x));
    case 'fn': {
      const v = num(evaluateQuality(a.a, x));
      return a.f === 'isfinite' ? Number.isFinite(v) : a.f === 'isnan' ? Number.isNaN(v) : Math.abs(v);
    }
    case 'bin': {
      const l = num(evaluateQuality(a.a, x));
      const r = num(evaluateQuality(a.b, x));
      switch (a.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return l / r;
        case '**':
          return l ** r;
      }
      break;
    }
    case 'cmp': {
      let left = num(evaluateQuality(a.args[0], x));
      for (let i = 0; i < a.ops.length; i++) {
        const right = num(evaluateQuality(a.args[i + 1], x));
        let ok: boolean;
        switch (a.ops[i]) {
          case '<':
            ok = left < right;
            break;
          case '<=':
            ok = left <= right;
            break;
          case '>':
            ok = left > right;
            break;
          case '>=':
            ok = left >= right;
            break;
          case '==':
            ok = left === right;
            break;
          case '!=':
            ok = left !== right;
            break;
        }
        if (!ok) return false;
        left = right;
      }
      return true;
    }
    case 'and': {
      let v: number | boolean = true;
      for (const s of a.args) {
        v = evaluateQuality(s, x);
        if (!truthy(v)) return v;
      }
      return v;
    }
    case 'or': {
      let v: number | boolean = false;
      for (const s of a.args) {
        v = evaluateQuality(s, x);
        if (truthy(v)) return v;
      }
      return v;
    }
  }
  throw new Error('unreachable');
}

/** A criterion's outcome as ctapipe's QualityQuery records it (numpy bool of the expression's value). */
export function passes(a: QualityAst, x: QualityInput): boolean {
  return truthy(evaluateQuality(a, x));
}
