/**
 * A glob of image files as the lab's image stacks take it, kept inside the
 * directories the user allowed (file-access.ts): in serve mode the part of
 * the pattern before its first wildcard must be inside a data directory, no
 * part may be "..", and every file it matches must be inside one after its
 * links are resolved. Relative patterns are taken from the working
 * directory, as file paths are.
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { listImageFiles } from '../../src-worker/lab/image-stack/image-stack.js';
import type { FileAccess } from '../files/file-access.js';
import { ApiError } from '../util/errors.js';

/** more files than this in one stack is refused (a glob over a whole disk, by mistake) */
export const MAX_STACK_FILES = 200_000;

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** The folders of `pattern` before its first wildcard segment (absolute). */
export function patternBase(pattern: string): string {
  const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
  const parts = abs.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (GLOB_CHARS.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '/';
}

/** The image files (sorted, as matched) of `pattern`, each checked against `access`. */
export async function expandStackPattern(pattern: string, access: FileAccess): Promise<string[]> {
  if (pattern.includes('\0')) throw new ApiError('bad-request', 'a pattern cannot contain a NUL character');
  const abs = isAbsolute(pattern) ? pattern : `${process.cwd()}${sep}${pattern}`;
  if (access.restricted) {
    if (abs.split(/[/\\{},]/).includes('..')) {
      throw new ApiError(
        'forbidden',
        `${pattern}: ".." is not allowed in a pattern on this server; give the folder inside a data directory (${access.roots.join(', ')})`,
      );
    }
    await access.place(patternBase(abs), 'list');
  }
  let paths: string[];
  try {
    paths = await listImageFiles(abs);
  } catch (err) {
    throw new ApiError('bad-request', `${pattern}: not a usable pattern (${err instanceof Error ? err.message : String(err)})`);
  }
  if (paths.length === 0) throw new ApiError('not-found', `no PNG or TIFF files match ${pattern}`);
  if (paths.length > MAX_STACK_FILES)
    throw new ApiError('bad-request', `${pattern} matches ${paths.length} files; a stack holds at most ${MAX_STACK_FILES} (narrow the pattern)`);
  if (access.restricted) {
    for (const p of paths) await access.place(p, 'read'); // a link inside that leads outside is refused
  }
  return paths;
}
