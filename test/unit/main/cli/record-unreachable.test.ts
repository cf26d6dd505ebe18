/**
 * `lightpool record` against a source nobody listens on: it gives up after
 * --connect-timeout with an error that names the address and the reason,
 * exits non-zero and leaves no file behind.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../helpers/wait.js';

const CLI = fileURLToPath(new URL('../../../../dist/cli.js', import.meta.url));

describe('lightpool record, unreachable source', () => {
  it('fails with a clear error after --connect-timeout and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rec-unreach-'));
    try {
      const port = await freePort();
      const out = join(dir, 'run.h5');
      // it gives up by itself (spawnSync's own limit would kill a hung process and fail the status check)
      const r = spawnSync(
        process.execPath,
        [CLI, 'record', '--source', `tcp://127.0.0.1:${port}`, '--out', out, '--events', '10', '--connect-timeout', '1.5'],
        { encoding: 'utf8', timeout: 240_000 },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `cannot reach tcp://127\\.0\\.0\\.1:${port} within 1\\.5 s \\(.*ECONNREFUSED.*\\); is the DAQ server .* running there\\? Nothing was written`,
        ),
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
