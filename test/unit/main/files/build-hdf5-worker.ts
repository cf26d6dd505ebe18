/**
 * Bundles the HDF5 worker for tests (esbuild, like scripts/build.mjs) into
 * node_modules/.cache so its bare imports (h5wasm, zod) resolve, without
 * depending on the state of dist/.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

let built: Promise<string> | undefined;

export function buildHdf5Worker(): Promise<string> {
  built ??= (async () => {
    const outdir = join(REPO, 'node_modules', '.cache', 'lightpool-tests', String(process.pid));
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, 'hdf5-worker.js');
    await build({
      absWorkingDir: REPO,
      entryPoints: [join(REPO, 'src-worker/threads/hdf5-worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}
