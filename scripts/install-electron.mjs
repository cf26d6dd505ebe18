// `npm run install-electron`: downloads the Electron binary (needs access to Electron's release host).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
console.log('Downloading the Electron binary (set ELECTRON_MIRROR to use a mirror)…');
const r = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('Could not download Electron. Without it, `npm start` runs Lightpool in serve mode in your browser.');
  process.exit(r.status ?? 1);
}
