/**
 * One open HDF5 file (read-only) with the checks done before HDF5 sees it:
 * the file exists, is a regular file, and carries the HDF5 signature (at 0 or
 * a power-of-two user-block offset), so "not HDF5" is a clear error rather
 * than an HDF5 diagnostic stack.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Hdf5Error, explainHdf5Failure } from './h5-errors.js';
import { h5wasm, hdf5Runtime, type H5Module } from './h5-runtime.js';
import type { Dataset, Group, Metadata } from 'h5wasm/node';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Offset of the HDF5 superblock signature, or -1 when the file has none. */
export function findHdf5Signature(path: string, size: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    for (let off = 0; off + 8 <= size; off = off === 0 ? 512 : off * 2) {
      if (readSync(fd, buf, 0, 8, off) !== 8) return -1;
      if (SIGNATURE.every((b, i) => buf[i] === b)) return off;
    }
    return -1;
  } finally {
    closeSync(fd);
  }
}

export class H5File {
  private closed = false;
  private closeHooks: (() => void)[] = [];
  private kinds = new Map<string, 'group' | 'dataset' | 'other' | null>();
  private metas = new Map<string, Metadata>();

  private constructor(
    readonly path: string,
    readonly size: number,
    readonly module: H5Module,
    readonly file: InstanceType<typeof h5wasm.File>,
  ) {}

  static async open(path: string): Promise<H5File> {
    const { module } = await hdf5Runtime();
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Hdf5Error('not-hdf5', `${path}: not a regular file`, path);
      size = st.size;
    } catch (err) {
      if (err instanceof Hdf5Error) throw err;
      throw new Hdf5Error('file-not-found', `${path}: file not found or not readable`, path);
    }
    if (size < 8 || findHdf5Signature(path, size) < 0) {
      throw new Hdf5Error('not-hdf5', `${path}: not an HDF5 file (no HDF5 signature found${size < 8 ? `; the file has only ${size} bytes` : ''})`, path);
    }
    try {
      const file = new h5wasm.File(path, 'r');
      return new H5File(path, size, module, file);
    } catch (err) {
      throw explainHdf5Failure(err, path, 'the file');
    }
  }

  get fileId(): bigint {
    return this.file.file_id;
  }

  /** Runs `fn`, converting HDF5 failures into an Hdf5Error naming this file and `what`. */
  guard<T>(what: string, fn: () => T): T {
    if (this.closed) throw new Hdf5Error('not-open', `${this.path}: the file was closed`, this.path);
    try {
      return fn();
    } catch (err) {
      throw explainHdf5Failure(err, this.path, what);
    }
  }

  /** Object type at `path`: 'group', 'dataset', 'other', or null when there is nothing there. */
  kindOf(path: string): 'group' | 'dataset' | 'other' | null {
    if (path === '/' || path === '') return 'group';
    const known = this.kinds.get(path);
    if (known !== undefined) return known;
    const kind = this.findKind(path);
    this.kinds.set(path, kind);
    return kind;
  }

  private findKind(path: string): 'group' | 'dataset' | 'other' | null {
    // Check each component so a missing parent is not an HDF5 error.
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    for (let i = 0; i < parts.length; i++) {
      const parent = cur === '' ? '/' : cur;
      const keys = this.guard(`group ${parent}`, () => this.module.get_names(this.fileId, parent, false));
      if (!keys.includes(parts[i])) return null;
      cur += '/' + parts[i];
      if (i < parts.length - 1 && this.rawType(cur) !== this.module.H5O_TYPE_GROUP) return null;
    }
    const t = this.rawType(cur);
    if (t === this.module.H5O_TYPE_GROUP) return 'group';
    if (t === this.module.H5O_TYPE_DATASET) return 'dataset';
    return 'other';
  }

  private rawType(path: string): number {
    return this.guard(`${path}`, () => this.module.get_type(this.fileId, path));
  }

  has(path: string): boolean {
    return this.kindOf(path) !== null;
  }

  hasDataset(path: string): boolean {
    return this.kindOf(path) === 'dataset';
  }

  /** Names of the members of a group (not recursive). */
  keys(path: string): string[] {
    return this.guard(`group ${path}`, () => this.module.get_names(this.fileId, path || '/', false));
  }

  /** A dataset's shape, type, chunking...: read once (the file is open read-only), then shared; do not modify it. */
  metadata(path: string): Metadata {
    const known = this.metas.get(path);
    if (known) return known;
    if (!this.hasDataset(path)) throw new Hdf5Error('node-not-found', `${this.path}: dataset ${path} does not exist`, this.path);
    const meta = this.guard(`dataset ${path}`, () => this.module.get_dataset_metadata(this.fileId, path));
    this.metas.set(path, meta);
    return meta;
  }

  dataset(path: string): Dataset {
    if (!this.hasDataset(path)) throw new Hdf5Error('node-not-found', `${this.path}: dataset ${path} does not exist`, this.path);
    return this.guard(`dataset ${path}`, () => this.file.get(path) as Dataset);
  }

  group(path: string): Group {
    if (this.kindOf(path) !== 'group') throw new Hdf5Error('node-not-found', `${this.path}: group ${path} does not exist`, this.path);
    return this.guard(`group ${path}`, () => (path === '/' ? this.file : (this.file.get(path) as Group)));
  }

  /** Runs `fn` when the file is closed (e.g. to release a descriptor of the chunk fast path). */
  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeHooks.splice(0)) {
      try {
        fn();
      } catch {
        // releasing side resources must not stop the file from closing
      }
    }
    try {
      this.file.close();
    } catch {
      // a damaged file may fail to close cleanly; the handle is gone either way
    }
  }
}
