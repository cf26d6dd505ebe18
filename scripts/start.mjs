// `npm start`: the desktop app when the Electron binary is installed; otherwise
// serve mode, opened in Chromium/Chrome's --app window when one is installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const electron = electronBinary(root);

if (electron.ok && !process.env.LIGHTPOOL_FORCE_SERVE) {
  const child = spawn(electron.binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!electron.ok) {
    console.log(
      "The Electron binary is not installed here (it is downloaded from Electron's release host, which this machine cannot reach), " +
        'so Lightpool starts in serve mode instead; to get the desktop app run `npm run install-electron` on a machine with access.',
    );
  }
  startServe(Number(process.env.PORT ?? 8080));
}

function startServe(port, retried = false) {
  const child = spawn(process.execPath, [join(root, 'bin', 'lightpool.js'), 'serve', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    process.stderr.write(d);
  });
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    const m = /serving at (\S+)/.exec(String(d));
    if (m) openBrowser(m[1]);
  });
  child.on('exit', (code) => {
    if (code && !retried && /already in use/.test(stderr)) {
      console.log(`Port ${port} is busy; picking a free one.`);
      startServe(0, true);
      return;
    }
    process.exit(code ?? 0);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

function openBrowser(url) {
  if (process.env.LIGHTPOOL_NO_BROWSER) return;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log(`No display here: open ${url} in a browser.`);
    return;
  }
  const candidates =
    process.platform === 'darwin'
      ? ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium']
      : process.platform === 'win32'
        ? ['chrome', 'msedge']
        : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  if (process.env.CHROME) candidates.unshift(process.env.CHROME);
  const found = candidates.find((c) => spawnSync(process.platform === 'win32' ? 'where' : 'which', [c], { stdio: 'ignore' }).status === 0 || c.startsWith('/'));
  if (!found) {
    console.log(`No Chromium or Chrome found: open ${url} in any browser.`);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'lightpool-browser-'));
  const browser = spawn(found, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-sync'], {
    stdio: 'ignore',
    detached: true,
  });
  browser.on('error', () => console.log(`Could not start ${found}: open ${url} in any browser.`));
  browser.unref();
  console.log(`Opened ${url} in ${found} (app mode).`);
}
