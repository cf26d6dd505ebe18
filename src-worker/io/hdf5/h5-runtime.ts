/**
 * Loads h5wasm's Node build once per thread (it reads the host filesystem at
 * offsets, NODERAWFS, so a file is never loaded whole), puts the compression
 * plugins of h5wasm-plugins (Blosc, zstd, lz4, ...) first on HDF5's plugin
 * search path, and turns on the throwing error handler so that any HDF5 error
 * (a filter that cannot be loaded included) is a JS exception, never garbage.
 */
import h5wasm from 'h5wasm/node';
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type H5Module = Awaited<typeof h5wasm.ready>;
export { h5wasm };

export interface Hdf5Runtime {
  module: H5Module;
  /** the folder of filter plugins put first on the search path, or null if none was found */
  pluginDir: string | null;
  /** plugin library names found there, e.g. "libH5Zblosc.so" */
  plugins: string[];
}

let runtime: Promise<Hdf5Runtime> | undefined;

/** Finds h5wasm-plugins' plugins/ folder (LIGHTPOOL_HDF5_PLUGIN_PATH overrides). */
export function findPluginDir(): string | null {
  const fromEnv = process.env.LIGHTPOOL_HDF5_PLUGIN_PATH;
  if (fromEnv !== undefined) return fromEnv && existsSync(fromEnv) ? fromEnv : null;
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('h5wasm-plugins/package.json');
    const dir = join(dirname(pkg), 'plugins');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

export function hdf5Runtime(): Promise<Hdf5Runtime> {
  runtime ??= (async () => {
    const module = await h5wasm.ready;
    const pluginDir = findPluginDir();
    let plugins: string[] = [];
    if (pluginDir) {
      module.insert_plugin_search_path(pluginDir, 0);
      plugins = readdirSync(pluginDir).filter((f) => f.startsWith('libH5Z'));
    }
    module.activate_throwing_error_handler();
    return { module, pluginDir, plugins };
  })();
  return runtime;
}
