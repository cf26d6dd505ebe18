/**
 * The HDF5 files a worker thread reads lab data from, kept open between
 * tasks (a signals file is read in many row batches): at most four, the
 * least recently used closed first, reopened when the file changed on disk.
 */
import { statSync } from 'node:fs';
import { H5File } from '../io/hdf5/h5-file.js';

interface Entry {
  file: H5File;
  mtimeMs: number;
  size: number;
}

const open = new Map<string, Entry>();
const MAX_OPEN = 4;

export async function cachedH5File(path: string): Promise<H5File> {
  let st: { mtimeMs: number; size: number } | null = null;
  try {
    st = statSync(path);
  } catch {
    st = null;
  }
  const known = open.get(path);
  if (known && st && known.mtimeMs === st.mtimeMs && known.size === st.size) {
    open.delete(path);
    open.set(path, known);
    return known.file;
  }
  if (known) {
    open.delete(path);
    known.file.close();
  }
  const file = await H5File.open(path);
  open.set(path, { file, mtimeMs: st?.mtimeMs ?? 0, size: st?.size ?? 0 });
  while (open.size > MAX_OPEN) {
    const [oldest, e] = open.entries().next().value as [string, Entry];
    open.delete(oldest);
    e.file.close();
  }
  return file;
}
