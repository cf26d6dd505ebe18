/**
 * serve's last-resort handler: an error nothing caught is logged and the
 * process goes on serving; errors that keep coming end it with status 70.
 * Runs the handler in a child process (bundled with esbuild from the source),
 * with a small HTTP server standing for serve.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lightpool-last-resort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(): Promise<string> {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { createServer } from 'node:http';
import { keepServingOnUncaughtErrors } from ${JSON.stringify(join(process.cwd(), 'src-main/cli/last-resort.ts'))};
import { logger } from ${JSON.stringify(join(process.cwd(), 'src-main/util/log.ts'))};
keepServingOnUncaughtErrors(logger('serve'), 3);
const throws = Number(process.argv[2]);
const server = createServer((req, res) => {
  if (req.url === '/throw') { setTimeout(() => { throw new Error('a bug in a callback'); }); Promise.reject(new Error('a forgotten rejection')); }
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
void throws;
`,
  );
  const out = join(dir, 'entry.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
  return out;
}

function run(script: string): Promise<{ port: number; output: () => string; exit: Promise<number | null>; kill: () => void }> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LIGHTPOOL_LOG: 'info' } });
  let text = '';
  child.stderr.on('data', (d) => (text += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      text += d;
      const m = /port (\d+)/.exec(text);
      if (m) resolve({ port: Number(m[1]), output: () => text, exit, kill: () => child.kill('SIGKILL') });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
  });
}

describe('the last-resort handler', () => {
  it('logs an uncaught error and a rejection, and keeps serving; exits with 70 when they repeat', async () => {
    const p = await run(await bundle());
    try {
      expect(await (await fetch(`http://127.0.0.1:${p.port}/throw`)).text()).toBe('ok');
      await expect.poll(() => p.output(), { timeout: 20_000 }).toMatch(/a bug in a callback/);
      await expect.poll(() => p.output(), { timeout: 20_000 }).toMatch(/unhandled promise rejection, serving goes on: Error: a forgotten rejection/);
      expect(p.output()).toMatch(/unexpected error \(uncaughtException\), serving goes on: Error: a bug in a callback/);
      expect(await (await fetch(`http://127.0.0.1:${p.port}/`)).text()).toBe('ok');
      // two more requests: six errors within the minute, over the limit of three
      await fetch(`http://127.0.0.1:${p.port}/throw`);
      await fetch(`http://127.0.0.1:${p.port}/throw`).catch(() => undefined);
      expect(await p.exit).toBe(70);
      expect(p.output()).toMatch(/unexpected errors within a minute: exiting \(status 70\)/);
    } finally {
      p.kill();
    }
  });
});
