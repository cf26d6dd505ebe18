/**
 * Finds Lightpool's assets/ folder from wherever the running code lives
 * (src-* under vitest, dist/ when bundled, resources/ when packaged).
 * LIGHTPOOL_ASSETS overrides the search.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function assetsDir(): string {
  if (cached) return cached;
  const fromEnv = process.env.LIGHTPOOL_ASSETS;
  if (fromEnv) return (cached = fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets');
    if (existsSync(join(candidate, 'cameras'))) return (cached = candidate);
    dir = dirname(dir);
  }
  throw new Error('Lightpool assets folder not found (looked upwards from the running code); set LIGHTPOOL_ASSETS to its path');
}
