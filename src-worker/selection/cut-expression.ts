/**
 * Cut expressions on table columns, e.g.
 *   hillas_intensity > 1000 && leakage_intensity_width_2 < 0.2
 * parsed into a small syntax tree and evaluated over numbers: no eval, no
 * access to anything but the named columns. Grammar (lowest precedence first):
 *   or:   and (('||' | 'or') and)*
 *   and:  not (('&&' | 'and') not)*
 *   not:  ('!' | 'not') not | cmp
 *   cmp:  sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
 *   sum:  prod (('+' | '-') prod)*
 *   prod: unary (('*' | '/' | '%') unary)*
 *   unary: '-' unary | '+' unary | atom
 *   atom: number | true | false | nan | inf | name | name '(' args ')' | '(' or ')'
 * Functions: abs sqrt log log10 exp sin cos tan arctan2 min max isnan isfinite.
 * Comparisons with NaN are false (as in numpy); booleans are 1 and 0.
 */

export type CutNode =
  | { kind: 'num'; value: number }
  | { kind: 'col'; name: string }
  | { kind: 'not'; arg: CutNode }
  | { kind: 'neg'; arg: CutNode }
  | { kind: 'bin'; op: string; left: CutNode; right: CutNode }
  | { kind: 'call'; fn: string; args: CutNode[] };

export class CutSyntaxError extends Error {}

const FUNCTIONS: Record<string, { arity: number; fn: (...a: number[]) => number }> = {
  abs: { arity: 1, fn: Math.abs },
  sqrt: { arity: 1, fn: Math.sqrt },
  log: { arity: 1, fn: Math.log },
  log10: { arity: 1, fn: Math.log10 },
  exp: { arity: 1, fn: Math.exp },
  sin: { arity: 1, fn: Math.sin },
  cos: { arity: 1, fn: Math.cos },
  tan: { arity: 1, fn: Math.tan },
  arctan2: { arity: 2, fn: Math.atan2 },
  min: { arity: 2, fn: Math.min },
  max: { arity: 2, fn: Math.max },
  isnan: { arity: 1, fn: (x) => (Number.isNaN(x) ? 1 : 0) },
  isfinite: { arity: 1, fn: (x) => (Number.isFinite(x) ? 1 : 0) },
};

const CONSTANTS: Record<string, number> = { true: 1, false: 0, nan: NaN, inf: Infinity, True: 1, False: 0 };

interface Token {
  t: 'num' | 'name' | 'op' | 'end';
  v: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    const op = /^(&&|\|\||<=|>=|==|!=|[<>!+\-*/%(),&|])/.exec(src.slice(i));
    if (op) {
      // numpy-style single & and | mean the same here
      const v = op[0] === '&' ? '&&' : op[0] === '|' ? '||' : op[0];
      out.push({ t: 'op', v, pos: i });
      i += op[0].length;
      continue;
    }
    throw new CutSyntaxError(`unexpected character "${c}" at position ${i + 1}`);
  }
  out.push({ t: 'end', v: '', pos: src.length });
  return out;
}

export function parseCut(src: string): CutNode {
  const toks = tokenize(src);
  let k = 0;
  const peek = () => toks[k];
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isWord = (v: string) => peek().t === 'name' && peek().v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new CutSyntaxError(`expected "${v}" at position ${peek().pos + 1}`);
    k++;
  };
  const or = (): CutNode => {
    let left = and();
    while (isOp('||') || isWord('or')) {
      k++;
      left = { kind: 'bin', op: '||', left, right: and() };
    }
    return left;
  };
  const and = (): CutNode => {
    let left = not();
    while (isOp('&&') || isWord('and')) {
      k++;
      left = { kind: 'bin', op: '&&', left, right: not() };
    }
    return left;
  };
  const not = (): CutNode => {
    if (isOp('!') || isWord('not')) {
      k++;
      return { kind: 'not', arg: not() };
    }
    return cmp();
  };
  const cmp = (): CutNode => {
    const left = sum();
    for (const op of ['<=', '>=', '==', '!=', '<', '>']) {
      if (isOp(op)) {
        k++;
        const right = sum();
        for (const op2 of ['<=', '>=', '==', '!=', '<', '>']) {
          if (isOp(op2)) throw new CutSyntaxError(`chained comparison at position ${peek().pos + 1}: use && between comparisons`);
        }
        return { kind: 'bin', op, left, right };
      }
    }
    return left;
  };
  const sum = (): CutNode => {
    let left = prod();
    while (isOp('+') || isOp('-')) {
      const op = toks[k++].v;
      left = { kind: 'bin', op, left, right: prod() };
    }
    return left;
  };
  const prod = (): CutNode => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = toks[k++].v;
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): CutNode => {
    if (isOp('-')) {
      k++;
      return { kind: 'neg', arg: unary() };
    }
    if (isOp('+')) {
      k++;
      return unary();
    }
    return atom();
  };
  const atom = (): CutNode => {
    const tok = peek();
    if (tok.t === 'num') {
      k++;
      return { kind: 'num', value: Number(tok.v) };
    }
    if (isOp('(')) {
      k++;
      const e = or();
      expect(')');
      return e;
    }
    if (tok.t === 'name') {
      k++;
      if (isOp('(')) {
        const f = FUNCTIONS[tok.v];
        if (!f) throw new CutSyntaxError(`unknown function "${tok.v}" (known: ${Object.keys(FUNCTIONS).join(', ')})`);
        k++;
        const args: CutNode[] = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) {
            k++;
            args.push(or());
          }
        }
        expect(')');
        if (args.length !== f.arity) throw new CutSyntaxError(`${tok.v}() takes ${f.arity} argument${f.arity > 1 ? 's' : ''}, got ${args.length}`);
        return { kind: 'call', fn: tok.v, args };
      }
      if (tok.v in CONSTANTS) return { kind: 'num', value: CONSTANTS[tok.v] };
      if (['and', 'or', 'not'].includes(tok.v)) throw new CutSyntaxError(`unexpected "${tok.v}" at position ${tok.pos + 1}`);
      return { kind: 'col', name: tok.v };
    }
    if (tok.t === 'end') throw new CutSyntaxError('the expression ends too early');
    throw new CutSyntaxError(`unexpected "${tok.v}" at position ${tok.pos + 1}`);
  };
  const tree = or();
  if (peek().t !== 'end') throw new CutSyntaxError(`unexpected "${peek().v}" at position ${peek().pos + 1}`);
  return tree;
}

/** The column names an expression uses. */
export function cutColumns(node: CutNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'col':
      out.add(node.name);
      break;
    case 'not':
    case 'neg':
      cutColumns(node.arg, out);
      break;
    case 'bin':
      cutColumns(node.left, out);
      cutColumns(node.right, out);
      break;
    case 'call':
      for (const a of node.args) cutColumns(a, out);
      break;
    default:
      break;
  }
  return out;
}

const truthy = (x: number) => x !== 0 && !Number.isNaN(x);

/** Evaluates `node` with column values from `get`. */
export function evalCut(node: CutNode, get: (name: string) => number): number {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'col':
      return get(node.name);
    case 'not':
      return truthy(evalCut(node.arg, get)) ? 0 : 1;
    case 'neg':
      return -evalCut(node.arg, get);
    case 'call':
      return FUNCTIONS[node.fn].fn(...node.args.map((a) => evalCut(a, get)));
    case 'bin': {
      if (node.op === '&&') return truthy(evalCut(node.left, get)) && truthy(evalCut(node.right, get)) ? 1 : 0;
      if (node.op === '||') return truthy(evalCut(node.left, get)) || truthy(evalCut(node.right, get)) ? 1 : 0;
      const a = evalCut(node.left, get);
      const b = evalCut(node.right, get);
      switch (node.op) {
        case '<':
          return a < b ? 1 : 0;
        case '<=':
          return a <= b ? 1 : 0;
        case '>':
          return a > b ? 1 : 0;
        case '>=':
          return a >= b ? 1 : 0;
        case '==':
          return a === b ? 1 : 0;
        case '!=':
          return a !== b ? 1 : 0;
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
        default:
          throw new CutSyntaxError(`unknown operator ${node.op}`);
      }
    }
  }
}

/** True when the expression holds (non-zero, not NaN). */
export function passes(node: CutNode, get: (name: string) => number): boolean {
  return truthy(evalCut(node, get));
}
