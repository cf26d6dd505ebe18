/**
 * Where the backend may read and write files: the one policy the file, export,
 * recording, point-cloud and listing code asks before touching a path.
 *
 * - The desktop app and the other commands have full access (the user is
 *   local): a path is only made absolute.
 * - `lightpool serve` has data directories (`--data-dir DIR`, by default the
 *   folder it was started in and the folders of the FILEs on its command
 *   line): every path must be inside one of them, after symbolic links are
 *   resolved (realpath), so a link inside cannot lead outside. The path handed
 *   back is the real one, which is what the caller opens.
 *
 * A path outside is refused with the same message whether or not it exists:
 * the check looks at the path as written first and touches the file system
 * only for paths that are inside a data directory.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../util/errors.js';

export type FileAccessPurpose = 'read' | 'write' | 'list';

export interface FileAccess {
  /** false: any path the user can reach */
  readonly restricted: boolean;
  /** the data directories (real paths); empty when unrestricted */
  readonly roots: readonly string[];
  /**
   * The absolute path to use for `given` (relative paths are taken from the
   * working directory), or an ApiError 'forbidden' when it is outside the data
   * directories. The file need not exist (its existence is the caller's check).
   */
  place(given: string, purpose: FileAccessPurpose): Promise<string>;
}

/** The desktop app and the one-shot commands: the user is local. */
export const fullAccess: FileAccess = {
  restricted: false,
  roots: [],
  place: async (given) => resolve(given),
};

/** true when `path` is `root` or below it (both absolute, normalised) */
export function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  const r = relative(root, path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) && r.split(sep)[0] !== '..';
}

const verbs: Record<FileAccessPurpose, string> = { read: 'read', write: 'write', list: 'list' };

export class DataDirectories implements FileAccess {
  readonly restricted = true;

  private constructor(
    /** the directories as given (absolute), for the check of the path as written */
    private readonly given: readonly string[],
    /** and their real paths */
    readonly roots: readonly string[],
  ) {}

  /** Checks that each directory exists; resolves them. Throws an Error naming one that does not. */
  static async create(dirs: readonly string[]): Promise<DataDirectories> {
    const given: string[] = [];
    const roots: string[] = [];
    for (const d of dirs) {
      const abs = resolve(d);
      let real: string;
      try {
        real = await realpath(abs);
      } catch {
        throw new Error(`data directory ${abs} does not exist`);
      }
      if (!(await stat(real)).isDirectory()) throw new Error(`data directory ${abs} is not a folder`);
      if (!given.includes(abs)) given.push(abs);
      if (!roots.includes(real)) roots.push(real);
    }
    if (roots.length === 0) throw new Error('no data directory given');
    return new DataDirectories(given, roots);
  }

  private outside(given: string, purpose: FileAccessPurpose): ApiError {
    return new ApiError(
      'forbidden',
      `cannot ${verbs[purpose]} ${given}: it is outside this server's data directories (${this.roots.join(', ')}); ` +
        'lightpool serve reads and writes only inside them (start it with --data-dir DIR to add one)',
    );
  }

  async place(given: string, purpose: FileAccessPurpose): Promise<string> {
    if (given.includes('\0')) throw new ApiError('bad-request', 'a path cannot contain a NUL character');
    const abs = resolve(given);
    // the path as written first: nothing outside is looked at, so a refusal says nothing about it
    if (![...this.given, ...this.roots].some((root) => isInside(abs, root))) throw this.outside(given, purpose);
    const real = await realPathOf(abs);
    if (real === undefined || !this.roots.some((root) => isInside(real, root))) throw this.outside(given, purpose);
    return real;
  }

  /** the data directory `path` (a real path) lies in, if any */
  rootOf(path: string): string | undefined {
    return this.roots.find((root) => isInside(path, root));
  }
}

/**
 * The real path of `abs`, or for a path that does not exist (a file to be
 * written), the real path of its nearest existing folder with the rest
 * appended; undefined when a part of it is a link to nothing (where it would
 * lead cannot be checked).
 */
async function realPathOf(abs: string): Promise<string | undefined> {
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      const real = await realpath(at);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ApiError('failed', `cannot resolve ${abs}: ${(err as Error).message}`);
      if (
        await lstat(at).then(
          () => true,
          () => false,
        )
      )
        return undefined; // a dangling link
      const up = dirname(at);
      if (up === at) return abs;
      rest.push(basename(at));
      at = up;
    }
  }
}
