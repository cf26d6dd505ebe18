/**
 * The fast path for reading HDF5 data with h5wasm: HDF5 decodes (and
 * decompresses) a hyperslab straight into a reusable buffer on the wasm heap
 * in the file's own byte layout, and we copy the bytes out once. Compound
 * rows then stay packed bytes that column decoders slice into typed arrays,
 * instead of h5wasm's nested JS arrays of numbers. Tables read through
 * TableReader first try the chunk fast path (read/direct-chunks.ts), which
 * undoes the filters outside HDF5 and comes back here for anything else.
 */
import { Hdf5Error } from './h5-errors.js';
import type { H5File } from './h5-file.js';

/** Largest single read, bytes (the wasm heap is 2 GiB); LIGHTPOOL_HDF5_MAX_READ_MB overrides. */
export function maxReadBytes(): number {
  const mb = Number(process.env.LIGHTPOOL_HDF5_MAX_READ_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : 512 * 1024 * 1024;
}

function size(bytes: number): string {
  const m = bytes / 2 ** 20;
  if (m < 1) return `${(bytes / 1024).toFixed(0)} KiB`;
  return m < 10 ? `${m.toFixed(1)} MiB` : `${m.toFixed(0)} MiB`;
}

interface Scratch {
  ptr: number;
  cap: number;
}
const scratchByModule = new WeakMap<object, Scratch>();

/**
 * Reads the hyperslab `offset`/`count` (one entry per dimension) of dataset
 * `path` as raw bytes, `elemSize` bytes per element. Returns a fresh copy.
 */
export function readRawHyperslab(file: H5File, path: string, offset: number[], count: number[], elemSize: number): Uint8Array {
  const n = count.reduce((a, b) => a * b, 1);
  const nbytes = n * elemSize;
  if (!(Number.isSafeInteger(nbytes) && nbytes >= 0)) {
    throw new Hdf5Error(
      'corrupt',
      `${file.path}: ${path} has an impossible size (${count.join('×')} elements of ${elemSize} bytes); the file may be damaged`,
      file.path,
    );
  }
  if (nbytes > maxReadBytes()) {
    throw new Hdf5Error(
      'too-large',
      `${file.path}: reading ${count.join('×')} elements of ${path} needs ${size(nbytes)}, more than the ${size(maxReadBytes())} allowed in one read; read it in slices`,
      file.path,
    );
  }
  if (nbytes === 0) return new Uint8Array(0);
  const m = file.module;
  let scratch = scratchByModule.get(m);
  if (!scratch) {
    scratch = { ptr: 0, cap: 0 };
    scratchByModule.set(m, scratch);
  }
  if (scratch.cap < nbytes) {
    if (scratch.ptr) m._free(scratch.ptr);
    const cap = Math.max(nbytes, 1 << 20);
    const ptr = m._malloc(cap);
    if (!ptr) {
      scratch.ptr = 0;
      scratch.cap = 0;
      throw new Hdf5Error('too-large', `${file.path}: out of memory allocating ${(nbytes / 2 ** 20).toFixed(0)} MiB to read ${path}`, file.path);
    }
    scratch.ptr = ptr;
    scratch.cap = cap;
  }
  const ptr = scratch.ptr;
  file.guard(`dataset ${path}`, () => {
    const scalar = count.length === 0;
    const status = m.get_dataset_data(
      file.fileId,
      path,
      scalar ? null : count.map((c) => BigInt(c)),
      scalar ? null : offset.map((o) => BigInt(o)),
      scalar ? null : count.map(() => 1n),
      BigInt(ptr),
    );
    if (status < 0) throw new Error(`H5Dread returned ${status}`);
  });
  return m.HEAPU8.slice(ptr, ptr + nbytes);
}
