/**
 * Free space on the disk a folder is on, for the recording's check before it
 * starts and while it runs (fs.statfs: the blocks available to this user).
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/** bytes available to this user on the disk holding `dir` (or its nearest existing parent) */
export type FreeBytes = (dir: string) => Promise<number>;

export const statfsFreeBytes: FreeBytes = async (dir) => {
  let at = dir;
  for (;;) {
    try {
      const s = await statfs(at);
      return s.bavail * s.bsize;
    } catch (err) {
      const up = dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || up === at) throw err;
      at = up;
    }
  }
};

/** below this many bytes free, recording does not start and a running one stops (1 GB) */
export const DEFAULT_MIN_FREE_BYTES = 1e9;

export function megabytes(bytes: number): string {
  return `${Math.floor(bytes / 1e6).toLocaleString('en-US')} MB`;
}
