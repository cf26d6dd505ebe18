/**
 * Loads h5wasm's Node build once per thread (it reads the host filesystem at
 * offsets, NODERAWFS, so a file is never loaded whole), puts the compression
 * plugins of h5wasm-plugins (Blosc, zstd, lz4, ...) first on HDF5's plugin
 * search path, and turns on the throwing error handler so that any HDF5 error
 * (a filter that cannot be loaded included) is a JS exception, never garbage.
 */
import h5wasm from 'h5wasm/node';
import { readdirSync } from 'node:fs';
import { findPluginDir } from '../wasm/blosc-side-module.js';

export type H5Module = Awaited<typeof h5wasm.ready>;
export { h5wasm, findPluginDir };

export interface Hdf5Runtime {
  module: H5Module;
  /** the folder of filter plugins put first on the search path, or null if none was found */
  pluginDir: string | null;
  /** plugin library names found there, e.g. "libH5Zblosc.so" */
  plugins: string[];
}

let runtime: Promise<Hdf5Runtime> | undefined;

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
