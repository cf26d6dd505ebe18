// Where the Electron binary would be, and whether it is there, without
// triggering electron's download-on-first-use (it would hang offline).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, why: 'node_modules/electron/path.txt is missing (the binary was never downloaded)' };
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, rel);
  if (!existsSync(binary)) return { ok: false, why: `${binary} does not exist` };
  return { ok: true, binary };
}
