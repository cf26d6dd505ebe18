/**
 * Bundles the CLI and the pool worker for tests (esbuild, like
 * scripts/build.mjs) into node_modules/.cache, laid out as in dist/ (cli.js
 * next to worker/pool-worker.js), without depending on the state of dist/.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../files/build-hdf5-worker.js';

let built: Promise<string> | undefined;

/** Path of the bundled cli.js. */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const outdir = join(REPO, 'node_modules', '.cache', 'lightpool-tests', `process-${process.pid}`);
    mkdirSync(outdir, { recursive: true });
    await build({
      absWorkingDir: REPO,
      entryPoints: { cli: join(REPO, 'src-main/cli/main.ts'), 'worker/pool-worker': join(REPO, 'src-worker/threads/pool-worker.ts') },
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      external: ['electron'],
      target: 'node20',
      logLevel: 'warning',
    });
    return join(outdir, 'cli.js');
  })();
  return built;
}
