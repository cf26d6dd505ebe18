// Bundles every entry point of Lightpool with esbuild into dist/.
// Node-side bundles sit at the top of dist/ so that each can find its workers
// as `new URL('./worker/<name>.js', import.meta.url)` and assets as `../assets`.
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

/** Node (main process, CLI, workers, tools): ESM, dependencies stay in node_modules. */
const nodeEntries = {
  cli: 'src-main/cli/main.ts',
  'electron-main': 'src-main/electron/main.ts',
  'worker/pool-worker': 'src-worker/threads/pool-worker.ts',
  'worker/hdf5-worker': 'src-worker/threads/hdf5-worker.ts',
  'worker/fit-worker': 'src-worker/threads/fit-worker.ts',
  'worker/record-worker': 'src-worker/threads/record-worker.ts',
  'worker/mlem-worker': 'src-worker/threads/mlem-worker.ts',
  'worker/lab-tasks': 'src-worker/threads/lab-tasks.ts',
  'worker/daq-io-thread': 'src-main/daq/client/daq-io-thread.ts',
  'worker/simtel-export-thread': 'src-main/files/simtel-export-thread.ts',
  'worker/zmq-subscriber': 'src-main/daq/client/zmq-subscriber-process.ts',
  parity: 'src-main/tools/parity.ts',
};
const present = Object.fromEntries(Object.entries(nodeEntries).filter(([, f]) => existsSync(join(root, f))));

const common = { absWorkingDir: root, bundle: true, sourcemap: 'linked', logLevel: 'warning', target: 'node20' };

await Promise.all([
  build({
    ...common,
    entryPoints: present,
    outdir: dist,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    external: ['electron'],
  }),
  existsSync(join(root, 'src-main/electron/preload.ts')) &&
    build({
      ...common,
      entryPoints: { 'electron-preload': 'src-main/electron/preload.ts' },
      outdir: dist,
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
    }),
  existsSync(join(root, 'src-renderer/main.ts')) &&
    build({
      ...common,
      entryPoints: { app: 'src-renderer/main.ts' },
      outdir: join(dist, 'renderer'),
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      minify: process.env.LIGHTPOOL_DEV ? false : true,
      loader: { '.css': 'css' },
    }),
]);

if (existsSync(join(root, 'src-renderer/index.html'))) {
  cpSync(join(root, 'src-renderer/index.html'), join(dist, 'renderer/index.html'));
}
for (const file of ['styles.css', 'icon.svg']) {
  if (existsSync(join(root, 'src-renderer', file))) cpSync(join(root, 'src-renderer', file), join(dist, 'renderer', file));
}
// uPlot's stylesheet, loaded by the histogram views (src-renderer/dom/uplot-css.ts)
if (existsSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'))) {
  cpSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(dist, 'renderer/uPlot.min.css'));
}
