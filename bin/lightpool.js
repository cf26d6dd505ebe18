#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm run build` (run automatically by npm install).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('lightpool: dist/cli.js is missing; run `npm run build` in the Lightpool folder first.\n');
  process.exit(1);
}
await import(cli.href);
