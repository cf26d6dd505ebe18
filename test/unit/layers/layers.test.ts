/**
 * The layer rules (.dependency-cruiser.cjs, run by `npm test` as lint:deps)
 * pass on the real tree and fail on a tree that breaks them: a deliberate
 * import cycle, the pure core importing the backend, the renderer running a
 * reader or importing a Node built-in, the backend importing the renderer.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CONFIG = join(REPO, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, 'src-main', 'src-worker', 'src-renderer', '--config', CONFIG, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lightpool-layers-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022' } }),
    'src-main/api/contract.ts': 'export interface Reply { ok: boolean }\n',
    'src-worker/containers/thing.ts': 'export interface Thing { x: number }\n',
    'src-renderer/main.ts': "import type { Reply } from '../src-main/api/contract.js';\nexport const r: Reply | undefined = undefined;\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('layer rules (dependency-cruiser)', () => {
  it('pass on the real tree', () => {
    const r = cruise(REPO);
    expect(r.out).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it('pass on a small tree that keeps them', () => {
    const dir = tree({});
    try {
      const r = cruise(dir);
      expect(r.out).toMatch(/no dependency violations found/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    [
      'a deliberate import cycle',
      {
        'src-worker/image/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src-worker/image/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      /no-circular/,
    ],
    [
      'the pure core importing the backend',
      { 'src-worker/image/c.ts': "import type { Reply } from '../../src-main/api/contract.js';\nexport type C = Reply;\n" },
      /worker-imports-only-worker/,
    ],
    [
      'a Node built-in in the pure core',
      { 'src-worker/image/d.ts': "import { readFileSync } from 'node:fs';\nexport const d = readFileSync;\n" },
      /no-node-in-the-pure-core/,
    ],
    ['a Node built-in in the renderer', { 'src-renderer/e.ts': "import { join } from 'node:path';\nexport const e = join;\n" }, /no-node-in-the-renderer/],
    [
      'the renderer running a reader',
      {
        'src-worker/io/reader.ts': 'export function read(): number { return 1; }\n',
        'src-renderer/f.ts': "import { read } from '../src-worker/io/reader.js';\nexport const f = read;\n",
      },
      /renderer-runs-only-allowed-modules/,
    ],
    [
      'the backend importing the renderer',
      { 'src-main/g.ts': "import { r } from '../src-renderer/main.js';\nexport const g = r;\n" },
      /nothing-imports-the-renderer/,
    ],
  ];
  for (const [what, files, rule] of broken) {
    it(`fail on ${what}`, () => {
      const dir = tree(files);
      try {
        const r = cruise(dir);
        expect(r.out).toMatch(rule);
        expect(r.status).not.toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
