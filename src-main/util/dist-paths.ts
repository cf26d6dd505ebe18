/**
 * Locates the bundled worker scripts in dist/worker/ and the renderer in
 * dist/renderer/, both from the bundles at the top of dist/ and from the
 * TypeScript sources under vitest (which run before nothing is bundled but
 * after `npm run build`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findUp(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, relative), join(dir, 'dist', relative)]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error(`${relative} not found next to the running code; run \`npm run build\` first`);
}

export function workerScript(name: string): string {
  return findUp(join('worker', `${name}.js`));
}

export function rendererDir(): string {
  return findUp('renderer');
}
