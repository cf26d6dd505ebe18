/**
 * The reference tools a test may need that a contributor may not have, found
 * in one place: Debian's Python with h5py / PyTables / numpy / scipy / Pillow,
 * the real ctapipe 0.26 (the "oracle"), and Chromium.
 *
 * Each lookup is: an environment variable, then the usual places, then (for
 * ctapipe) `../shared/tools/ctapipe-oracle/install.sh` when that folder sits
 * beside the clone, as it does in CI. A missing tool is never a silent pass:
 * tests that need it are skipped with the reason in their title and a line on
 * stderr saying how to install it (`skipNote`; vitest: `describeWith` in
 * ./vitest-tools.ts; Playwright: `test.skip(skipNote(...).skip, ...)`).
 *
 * This is the only file under src-*, test, bench or scripts that may mention
 * the sibling `../shared` folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReferenceTool {
  /** what the tests call it, e.g. "python3 with h5py, tables" */
  name: string;
  ok: boolean;
  /** the executable when ok */
  path: string;
  /** why it is missing, and how to install it, when not ok */
  why: string;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The optional sibling folder CI puts beside the clone (the oracle's installer lives there). */
const SHARED_ORACLE = resolve(REPO, '../shared/tools/ctapipe-oracle/install.sh');

const memo = new Map<string, ReferenceTool>();
function once(key: string, find: () => ReferenceTool): ReferenceTool {
  let t = memo.get(key);
  if (!t) {
    t = find();
    memo.set(key, t);
  }
  return t;
}

function imports(python: string, modules: readonly string[]): string | null {
  try {
    execFileSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'pipe', timeout: 120_000 });
    return null;
  } catch (e) {
    const err = e as { stderr?: Buffer; code?: string };
    if (err.code === 'ENOENT') return `${python} not found`;
    const last =
      String(err.stderr ?? '')
        .trim()
        .split('\n')
        .pop() ?? 'import failed';
    return last;
  }
}

const DEBIAN_PACKAGES: Record<string, string> = {
  h5py: 'python3-h5py',
  tables: 'python3-tables',
  numpy: 'python3-numpy',
  scipy: 'python3-scipy',
  PIL: 'python3-pil',
};

/**
 * Python 3 with the given modules: $LIGHTPOOL_PYTHON, else /usr/bin/python3
 * (Debian's, where python3-h5py and python3-tables install), else python3 on PATH.
 */
export function python(...modules: string[]): ReferenceTool {
  const key = `python:${modules.join(',')}`;
  return once(key, () => {
    const name = modules.length ? `python3 with ${modules.join(', ')}` : 'python3';
    const candidates = [process.env.LIGHTPOOL_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
    let reason = 'no python3 found';
    for (const c of candidates) {
      const err = imports(c, modules);
      if (err === null) return { name, ok: true, path: c, why: '' };
      reason = `${c}: ${err}`;
    }
    const pkgs = modules.map((m) => DEBIAN_PACKAGES[m] ?? `python3-${m}`).join(' ');
    return { name, ok: false, path: '', why: `${reason}; install with \`apt-get install ${pkgs}\` or set LIGHTPOOL_PYTHON` };
  });
}

/**
 * The real ctapipe 0.26 as a python executable: $LIGHTPOOL_CTAPIPE_PYTHON,
 * else an oracle already installed in ~/.cache/ctapipe-oracle, else
 * `../shared/tools/ctapipe-oracle/install.sh` when present (it installs
 * offline and prints the wrapper's path).
 */
export function ctapipe(): ReferenceTool {
  return once('ctapipe', () => {
    const name = 'ctapipe 0.26 (the oracle)';
    const check = (py: string): string | null => imports(py, ['ctapipe', 'ctapipe.io', 'eventio']);
    const tried: string[] = [];
    const env = process.env.LIGHTPOOL_CTAPIPE_PYTHON;
    if (env) {
      const err = check(env);
      if (err === null) return { name, ok: true, path: env, why: '' };
      tried.push(`LIGHTPOOL_CTAPIPE_PYTHON=${env}: ${err}`);
    }
    const cached = join(process.env.CTAPIPE_ORACLE_DIR ?? join(homedir(), '.cache/ctapipe-oracle'), 'python');
    if (existsSync(cached) && existsSync(join(dirname(cached), '.installed-0.26.0'))) {
      const err = check(cached);
      if (err === null) return { name, ok: true, path: cached, why: '' };
      tried.push(`${cached}: ${err}`);
    }
    if (existsSync(SHARED_ORACLE)) {
      try {
        const out = execFileSync('bash', [SHARED_ORACLE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
        const py = out.trim().split('\n').pop() ?? '';
        const err = check(py);
        if (err === null) return { name, ok: true, path: py, why: '' };
        tried.push(`${py}: ${err}`);
      } catch (e) {
        const err = e as { stderr?: string };
        tried.push(
          `install.sh failed: ${String(err.stderr ?? e)
            .trim()
            .split('\n')
            .pop()}`,
        );
      }
    } else {
      tried.push('no ../shared/tools/ctapipe-oracle beside the clone');
    }
    return {
      name,
      ok: false,
      path: '',
      why: `${tried.join('; ')}; set LIGHTPOOL_CTAPIPE_PYTHON to a python with ctapipe 0.26, or put the ctapipe oracle at ../shared/tools/ctapipe-oracle`,
    };
  });
}

/** Chromium for the end-to-end tests: $CHROMIUM_PATH, else /usr/bin/chromium. */
export function chromium(): ReferenceTool {
  return once('chromium', () => {
    const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    return existsSync(p)
      ? { name: 'Chromium', ok: true, path: p, why: '' }
      : { name: 'Chromium', ok: false, path: '', why: `${p} not found; install with \`apt-get install chromium\` or set CHROMIUM_PATH` };
  });
}

const announced = new Set<string>();
/** The title suffix for a test that needs `tools`, and a line on stderr the first time one is missing. */
export function skipNote(...tools: ReferenceTool[]): { skip: boolean; note: string } {
  const missing = tools.filter((t) => !t.ok);
  if (missing.length === 0) return { skip: false, note: '' };
  const why = missing.map((t) => `${t.name} missing: ${t.why}`).join('; ');
  if (!announced.has(why)) {
    announced.add(why);
    process.stderr.write(`SKIPPED (reference tool missing) — ${why}\n`);
  }
  return { skip: true, note: ` [skipped: ${missing.map((t) => t.name).join(', ')} not available]` };
}
