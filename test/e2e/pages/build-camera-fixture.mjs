// Bundles the camera fixture page (camera-fixture.ts) with esbuild into
// `outDir` next to an index.html that fixes each camera image to
// stageWidth × stageHeight CSS px. Used by the e2e tests and bench/.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** @returns {Promise<string>} file:// URL of the page */
export async function buildCameraFixture(outDir, { stageWidth = 600, stageHeight = 600 } = {}) {
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: REPO,
    entryPoints: [join(REPO, 'test/e2e/pages/camera-fixture.ts')],
    outfile: join(outDir, 'camera-fixture.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife', // a classic script: module scripts do not load from file://
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(REPO, 'src-renderer/styles.css'), join(outDir, 'styles.css'));
  writeFileSync(
    join(outDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>camera fixture</title>
<link rel="stylesheet" href="styles.css">
<style>
  html, body { height: auto; overflow: visible; margin: 0; }
  #grid { display: grid; gap: 6px; padding: 6px; align-items: start; }
  .camera-panel { width: ${stageWidth + 54}px; }
  .camera-body { grid-template-columns: ${stageWidth}px 54px; flex: none; }
  .camera-stage { width: ${stageWidth}px; height: ${stageHeight}px; }
</style></head>
<body><div id="grid"></div><script src="camera-fixture.js"></script></body></html>`,
  );
  return 'file://' + join(outDir, 'index.html');
}
