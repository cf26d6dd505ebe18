/**
 * Lightpool's layers, enforced (`npm run lint:deps`, the first step of `npm test`):
 *
 *   src-renderer  ->  types of src-main/api and src-worker/containers, and pure src-worker modules
 *   src-main      ->  src-worker
 *   src-worker    ->  nothing but itself
 *
 * no import cycles; nothing imports the renderer; no Node built-ins in the renderer
 * or in src-worker's pure core (everything but src-worker/io, src-worker/threads and the
 * few lab modules that read and write files, listed below). tsconfig.core.json,
 * tsconfig.renderer.json and tsconfig.backend.json check the same layers' types.
 */

/** the pure src-worker modules the renderer may import as values (besides types from anywhere allowed) */
const RENDERER_MAY_RUN = ['^src-worker/(containers|figure|tank)/', '^src-worker/instrument/pixel-polygons\\.ts$', '^src-main/api/wire-codec\\.ts$'];

/** src-worker modules outside io/ and threads/ that read or write files */
const WORKER_NODE_MODULES = ['^src-worker/lab/image-stack/decode-image\\.ts$', '^src-worker/lab/lab-file-cache\\.ts$', '^src-worker/lab/lab-output-file\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules stay acyclic: a cycle means a type or a function is in the wrong module',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-the-renderer',
      severity: 'error',
      from: { pathNot: '^src-renderer/' },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'worker-imports-only-worker',
      severity: 'error',
      comment: 'src-worker is the pure core, I/O and thread entries: it never imports the backend or the UI',
      from: { path: '^src-worker/' },
      to: { path: '^src-(main|renderer)/' },
    },
    {
      name: 'renderer-sees-only-the-api-of-main',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: '^src-main/api/' },
    },
    {
      name: 'renderer-runs-only-allowed-modules',
      severity: 'error',
      comment: 'the renderer imports types from the API and the containers; it runs only the pure modules listed in RENDERER_MAY_RUN',
      from: { path: '^src-renderer/' },
      to: { path: '^src-(main|worker)/', pathNot: RENDERER_MAY_RUN, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-node-in-the-renderer',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-node-in-the-pure-core',
      severity: 'error',
      comment: 'only src-worker/io, src-worker/threads and the listed lab modules touch files, processes or the network',
      from: { path: '^src-worker/', pathNot: ['^src-worker/(io|threads)/', ...WORKER_NODE_MODULES] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-tests-in-the-product',
      severity: 'error',
      from: { path: '^src-' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
    },
  },
};
