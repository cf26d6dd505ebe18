/**
 * file.browse: what serve mode's Open… shows instead of a free path field —
 * the folders inside the data directories and the files Lightpool can open
 * (HDF5 by its signature, sim_telarray by its sync marker or name, NumPy .npy/.npz for the Points tab), with size and
 * kind. Hidden entries and unfinished recordings (*.partial) are left out, and
 * so is a link that leads outside the data directories.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DataEntry, DataListing } from '../api/file-contract.js';
import { isInside, type FileAccess } from './file-access.js';
import { ApiError } from '../util/errors.js';
import { looksLikeSimtel } from '../../src-worker/io/simtel/simtel-sniff.js';

/** entries examined per folder at most (each file's first bytes are read) */
export const MAX_ENTRIES = 2000;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** an HDF5 superblock sits at 0 or, after a user block, at 512, 1024, 2048 ... (2048 is as far as we look) */
const HDF5_OFFSETS = [0, 512, 1024, 2048];
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, at: number, magic: number[]): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

/** what kind of file Lightpool can open `path` as, from its first bytes; undefined: none */
async function fileKind(path: string, name: string): Promise<DataEntry['kind'] | undefined> {
  let head: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const buf = new Uint8Array(2048 + 8);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined; // unreadable: not listed
  }
  if (HDF5_OFFSETS.some((o) => startsWith(head, o, HDF5_SIGNATURE))) return 'hdf5';
  if (looksLikeSimtel(head, name)) return 'simtel';
  if (startsWith(head, 0, NPY_MAGIC)) return 'npy';
  if (startsWith(head, 0, ZIP_MAGIC) && /\.npz$/i.test(name)) return 'npz';
  return undefined;
}

function byName(a: DataEntry, b: DataEntry): number {
  if ((a.kind === 'folder') !== (b.kind === 'folder')) return a.kind === 'folder' ? -1 : 1;
  return a.name.localeCompare(b.name);
}

export async function browseData(access: FileAccess, dir: string | undefined): Promise<DataListing> {
  const roots = access.restricted ? [...access.roots] : [process.cwd()];
  if (dir === undefined) {
    const entries: DataEntry[] = [];
    for (const root of roots) {
      const s = await stat(root).catch(() => undefined);
      if (s?.isDirectory()) entries.push({ name: root, path: root, kind: 'folder', size: 0, modified: s.mtimeMs / 1000 });
    }
    return { roots, entries, truncated: false };
  }
  const real = await access.place(dir, 'list');
  const s = await stat(real).catch(() => undefined);
  if (!s) throw new ApiError('not-found', `cannot list ${dir}: no such folder`);
  if (!s.isDirectory()) throw new ApiError('bad-request', `cannot list ${dir}: it is a file, not a folder`);
  const names = (await readdir(real, { withFileTypes: true })).filter((d) => !d.name.startsWith('.') && !d.name.endsWith('.partial'));
  names.sort((a, b) => a.name.localeCompare(b.name));
  const truncated = names.length > MAX_ENTRIES;
  const entries: DataEntry[] = [];
  for (const d of names.slice(0, MAX_ENTRIES)) {
    let path = join(real, d.name);
    if (d.isSymbolicLink()) {
      // listed only when it leads somewhere inside the data directories
      try {
        path = await access.place(path, 'list');
      } catch {
        continue;
      }
    }
    const st = await stat(path).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) {
      entries.push({ name: d.name, path: join(real, d.name), kind: 'folder', size: 0, modified: st.mtimeMs / 1000 });
    } else if (st.isFile()) {
      const kind = await fileKind(path, d.name);
      if (kind) entries.push({ name: d.name, path: join(real, d.name), kind, size: st.size, modified: st.mtimeMs / 1000 });
    }
  }
  entries.sort(byName);
  const up = dirname(real);
  // up to the data directory; above it, the list of data directories (no `parent`)
  const atRoot = up === real || (access.restricted && access.roots.includes(real));
  const parent = !atRoot && (!access.restricted || access.roots.some((r) => isInside(up, r))) ? up : undefined;
  return { dir: real, parent, roots, entries, truncated };
}
