/**
 * Errors of the HDF5 layer. Every error names the file (and the node when
 * there is one) and says what the problem is in words a user can act on; the
 * HDF5 library's diagnostic stack is boiled down to its innermost cause.
 */

export type Hdf5ErrorCode =
  | 'file-not-found'
  | 'not-hdf5'
  | 'truncated'
  | 'missing-plugin'
  | 'unknown-layout'
  | 'too-large'
  | 'corrupt'
  | 'node-not-found'
  | 'bad-request'
  | 'not-open'
  | 'cancelled'
  | 'timeout'
  | 'worker-died'
  | 'write-failed'
  | 'internal';

export interface Hdf5ErrorJson {
  code: Hdf5ErrorCode;
  message: string;
  file?: string;
  /** the worker's HDF5 state may be damaged: the client replaces the worker */
  fatal?: boolean;
}

export class Hdf5Error extends Error {
  override readonly name = 'Hdf5Error';
  constructor(
    readonly code: Hdf5ErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }

  toJSON(): Hdf5ErrorJson {
    return { code: this.code, message: this.message, file: this.file };
  }
}

export function isHdf5Error(err: unknown): err is Hdf5Error {
  return err instanceof Hdf5Error;
}

/** Filter ids of HDF5 compression plugins we know by name (for messages). */
const FILTER_NAMES: Record<string, number> = {
  blosc: 32001,
  lzf: 32000,
  bzip2: 307,
  lz4: 32004,
  bshuf: 32008,
  zfp: 32013,
  zstd: 32015,
  blosc2: 32026,
};

/** The innermost "function(): message" lines of an HDF5-DIAG stack. */
function diagCauses(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /#\d+:.* in [A-Za-z0-9_]+\(\): (.*)$/.exec(line);
    if (m) out.push(m[1].trim());
  }
  return out;
}

/**
 * Turns anything thrown by h5wasm (an HDF5-DIAG stack string or Error) into an
 * Hdf5Error that names `file` and `what` (e.g. "dataset /dl1/event/...").
 */
export function explainHdf5Failure(err: unknown, file: string, what: string): Hdf5Error {
  if (err instanceof Hdf5Error) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const causes = diagCauses(raw);
  const all = causes.join(' | ') || raw;

  const filter = /required filter '([^']+)' is not registered/.exec(all);
  if (filter) {
    const name = filter[1];
    const id = FILTER_NAMES[name.toLowerCase()];
    return new Hdf5Error(
      'missing-plugin',
      `${file}: cannot read ${what}: it is compressed with the '${name}'${id ? ` (HDF5 filter ${id})` : ''} filter and no plugin for it could be loaded ` +
        `(the h5wasm-plugins package is missing or its plugins folder is not readable; set LIGHTPOOL_HDF5_PLUGIN_PATH to a folder holding libH5Z${name}.so)`,
      file,
    );
  }
  const trunc = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(all);
  if (trunc) {
    return new Hdf5Error(
      'truncated',
      `${file}: the file is truncated (${trunc[1]} bytes on disk, the HDF5 superblock says ${trunc[2]}); it was probably not copied or written completely`,
      file,
    );
  }
  if (/file signature not found|Not an HDF5 file/i.test(raw)) {
    return new Hdf5Error('not-hdf5', `${file}: not an HDF5 file (no HDF5 signature found)`, file);
  }
  if (/checksum|fletcher32|Fletcher32|filter operation failed|data pipeline read failed|decompress/i.test(all)) {
    return new Hdf5Error('corrupt', `${file}: ${what} is damaged: ${lastMeaningful(causes) ?? raw.slice(0, 200)}`, file);
  }
  if (/doesn't exist|not found|object .* doesn't exist|unable to find/i.test(all) && /name|link|object/.test(all)) {
    return new Hdf5Error('node-not-found', `${file}: ${what} does not exist`, file);
  }
  if (/Memory allocation of -?\d+ bytes failed/.test(raw)) {
    const big = !/of -/.test(raw);
    return new Hdf5Error(
      big ? 'too-large' : 'corrupt',
      big
        ? `${file}: ${what} is too large to read at once (${raw.slice(0, 120)})`
        : `${file}: cannot read ${what}: its header gives an impossible size (the file may be damaged)`,
      file,
    );
  }
  if (/name not defined|error - /.test(raw) && !causes.length) {
    // h5wasm's own message when HDF5 could not open an object that the file lists
    return new Hdf5Error('corrupt', `${file}: cannot read ${what}: the object could not be opened (the file may be damaged)`, file);
  }
  const cause = lastMeaningful(causes);
  if (cause) return new Hdf5Error('corrupt', `${file}: cannot read ${what}: ${cause} (the file may be damaged)`, file);
  return new Hdf5Error('internal', `${file}: cannot read ${what}: ${raw.split('\n')[0].slice(0, 300)}`, file);
}

function lastMeaningful(causes: string[]): string | undefined {
  // The deepest cause that is not only "can't read/open ..." boilerplate.
  for (let i = causes.length - 1; i >= 0; i--) {
    const c = causes[i];
    if (!/encountered an error|can't open directory|Please verify its existence/.test(c)) return c;
  }
  return causes[causes.length - 1];
}
