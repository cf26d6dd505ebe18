/**
 * h5wasm-plugins' Blosc plugin (libH5Zblosc.so) outside HDF5: an Emscripten
 * side module that exports the whole ZSTD_* API and LZ4_*, instantiated on a
 * WebAssembly memory of its own. Two users: the HDF5 chunk fast path
 * (../hdf5/read/plugin-codecs.ts: Blosc blocks decoded without HDF5's filter
 * pipeline) and the sim_telarray reader's zstd stream decoder
 * (../eventio/zstd-wasm.ts).
 *
 * Here: finding and compiling the module once per thread, its memory and
 * table sizes (the dylink.0 section), a small allocator over the instance's
 * memory, and the instance with the few libc functions the library calls
 * (malloc, free, memcpy, memset, …) given in JavaScript; any other import
 * throws (the caller then reports the data as unreadable or falls back).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const WASM_PAGE = 65536;
const MEMORY_BASE = 1024;

/** h5wasm-plugins' plugin folder (LIGHTPOOL_HDF5_PLUGIN_PATH overrides it; empty: none), or null. */
export function findPluginDir(): string | null {
  const fromEnv = process.env.LIGHTPOOL_HDF5_PLUGIN_PATH;
  if (fromEnv !== undefined) return fromEnv && existsSync(fromEnv) ? fromEnv : null;
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('h5wasm-plugins/package.json')), 'plugins');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** The compiled module and what its dylink.0 section says it needs. */
export interface SideModule {
  module: WebAssembly.Module;
  memorySize: number;
  tableSize: number;
}

let compiled: SideModule | null | undefined;
let compileError = '';

/** The Blosc plugin compiled (once per thread); throws, with the reason, when it cannot be loaded here. */
export function bloscSideModule(): SideModule {
  if (compiled === undefined) {
    try {
      const dir = findPluginDir();
      if (!dir) throw new Error('h5wasm-plugins not found');
      const module = new WebAssembly.Module(readFileSync(join(dir, 'libH5Zblosc.so')));
      compiled = { module, ...readDylink(module) };
    } catch (e) {
      compileError = (e as Error).message;
      compiled = null;
    }
  }
  if (!compiled) throw new Error(compileError);
  return compiled;
}

/** Memory and table sizes from a side module's dylink.0 section. */
function readDylink(module: WebAssembly.Module): { memorySize: number; tableSize: number } {
  const sec = WebAssembly.Module.customSections(module, 'dylink.0')[0];
  if (!sec) throw new Error('not an Emscripten side module');
  const b = new Uint8Array(sec);
  let p = 0;
  const leb = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const x = b[p++];
      v += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return v;
      shift += 7;
    }
  };
  while (p < b.length) {
    const type = b[p++];
    const len = leb();
    const end = p + len;
    if (type === 1) {
      const memorySize = leb();
      leb(); // memory alignment
      const tableSize = leb();
      return { memorySize, tableSize };
    }
    p = end;
  }
  throw new Error('no memory info in dylink.0');
}

/** What a heap is, to copy and load again (checkpoints of a decoder). */
export interface HeapState {
  top: number;
  live: [number, number][];
  free: { ptr: number; size: number }[];
}

/** Best-fit allocator over an instance's memory (blocks 16-aligned); 0 when the memory cannot grow. */
export class SideModuleHeap {
  top: number;
  private live = new Map<number, number>();
  private free: { ptr: number; size: number }[] = [];

  constructor(
    private readonly memory: WebAssembly.Memory,
    start: number,
  ) {
    this.top = start;
  }

  malloc(n: number): number {
    const size = Math.max(16, (n + 15) & ~15);
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].size >= size && (best < 0 || this.free[i].size < this.free[best].size)) best = i;
    if (best >= 0) {
      const f = this.free[best];
      this.free.splice(best, 1);
      this.live.set(f.ptr, f.size);
      return f.ptr;
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > 0x7fff0000) return 0;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / WASM_PAGE));
      } catch {
        return 0;
      }
    }
    this.top = end;
    this.live.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) return;
    this.live.delete(ptr);
    if (ptr + size === this.top) this.top = ptr;
    else this.free.push({ ptr, size });
  }

  state(): HeapState {
    return { top: this.top, live: [...this.live], free: this.free.map((f) => ({ ...f })) };
  }

  load(s: HeapState): void {
    this.top = s.top;
    this.live = new Map(s.live);
    this.free = s.free.map((f) => ({ ...f }));
  }
}

/** An instance of the side module on `memory`. */
export interface SideModuleInstance<E> {
  exports: E;
  heap: SideModuleHeap;
}

/**
 * Instantiates `m` on `memory` (grown to hold its data and a stack of
 * `stackSize` bytes), its libc given here; `label` names it in the error of
 * an unexpected import call.
 */
export function instantiateSideModule<E>(m: SideModule, memory: WebAssembly.Memory, stackSize: number, label: string): SideModuleInstance<E> {
  const stackTop = align16(MEMORY_BASE + m.memorySize) + stackSize;
  if (memory.buffer.byteLength < stackTop) memory.grow(Math.ceil((stackTop - memory.buffer.byteLength) / WASM_PAGE));
  const heap = new SideModuleHeap(memory, stackTop);
  // one view of the memory, made again only after the memory grew (which detaches the old buffer)
  let view = new Uint8Array(memory.buffer);
  const bytes = (): Uint8Array => (view.byteLength === 0 ? (view = new Uint8Array(memory.buffer)) : view);
  // the library copies many short runs (literals, matches): a loop beats copyWithin's call there
  const move = (d: number, s: number, n: number): number => {
    const b = bytes();
    if (n > 32) b.copyWithin(d, s, s + n);
    else if (d <= s || d >= s + n) for (let i = 0; i < n; i++) b[d + i] = b[s + i];
    else for (let i = n - 1; i >= 0; i--) b[d + i] = b[s + i];
    return d;
  };
  const bulk = bulkMemoryOn(memory);
  const env: Record<string, WebAssembly.ImportValue> = {
    memory,
    __indirect_function_table: new WebAssembly.Table({ initial: 1 + m.tableSize, element: 'anyfunc' }),
    __stack_pointer: new WebAssembly.Global({ value: 'i32', mutable: true }, stackTop),
    __memory_base: new WebAssembly.Global({ value: 'i32', mutable: false }, MEMORY_BASE),
    __table_base: new WebAssembly.Global({ value: 'i32', mutable: false }, 1),
    malloc: (n: number) => heap.malloc(n >>> 0),
    calloc: (a: number, b: number) => {
      const n = (a >>> 0) * (b >>> 0);
      const p = heap.malloc(n);
      if (p) bytes().fill(0, p, p + n);
      return p;
    },
    posix_memalign: (out: number, align: number, n: number) => {
      const p = heap.malloc((n >>> 0) + (align >>> 0));
      if (!p) return 12; // ENOMEM
      if (p % Math.max(16, align >>> 0) !== 0) return 12; // every block is 16-aligned; larger alignments are not expected
      new DataView(memory.buffer).setUint32(out, p, true);
      return 0;
    },
    free: (p: number) => heap.release(p),
    memcpy: bulk?.copy ?? move,
    memmove: bulk?.copy ?? move,
    memset: bulk?.fill ?? ((d: number, v: number, n: number) => (bytes().fill(v & 0xff, d, d + n), d)),
    memcmp: (a: number, b: number, n: number) => {
      const x = bytes();
      for (let i = 0; i < n; i++) if (x[a + i] !== x[b + i]) return x[a + i] - x[b + i];
      return 0;
    },
    getenv: () => 0,
    clock: () => 0,
    // diagnostics the library may print: nothing to print to
    __small_fprintf: () => 0,
    fiprintf: () => 0,
    fwrite: () => 0,
    fflush: () => 0,
    fputc: () => 0,
  };
  const got: Record<string, WebAssembly.ImportValue> = {};
  for (const imp of WebAssembly.Module.imports(m.module)) {
    if (imp.module === 'env' && !(imp.name in env)) {
      if (imp.kind === 'function') {
        env[imp.name] = () => {
          throw new Error(`${label}: unexpected call to ${imp.name}`);
        };
      }
    } else if (imp.module === 'GOT.mem' || imp.module === 'GOT.func') {
      got[imp.name] = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    }
  }
  const instance = new WebAssembly.Instance(m.module, { env, 'GOT.mem': got, 'GOT.func': got });
  const exports = instance.exports as unknown as E & { __wasm_apply_data_relocs?: () => void; __wasm_call_ctors?: () => void };
  exports.__wasm_apply_data_relocs?.();
  exports.__wasm_call_ctors?.();
  return { exports, heap };
}

/**
 * memcpy/memmove (`copy`) and memset (`fill`) as WebAssembly on `memory`
 * (bulk memory: memory.copy, which is memmove, and memory.fill): the
 * library calls them for every literal run and match it copies, and a call
 * from WebAssembly into WebAssembly costs far less than one into JavaScript
 * (about 5% of decoding a zstd stream). Null where bulk memory is not
 * supported (the JavaScript versions are used then).
 */
// prettier-ignore
const BULK_MEMORY_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type 0: (i32 dst, i32 src|value, i32 n) -> i32 dst
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
  // import env.memory (no minimum, no maximum: any memory)
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x00,
  // two functions of type 0
  0x03, 0x03, 0x02, 0x00, 0x00,
  // export "copy" = function 0, "fill" = function 1
  0x07, 0x0f, 0x02, 0x04, 0x63, 0x6f, 0x70, 0x79, 0x00, 0x00, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x01,
  0x0a, 0x1e, 0x02,
  // copy: memory.copy(dst, src, n); dst
  0x0e, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x20, 0x00, 0x0b,
  // fill: memory.fill(dst, value, n); dst
  0x0d, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x00, 0x20, 0x00, 0x0b,
]);
let bulkModule: WebAssembly.Module | null | undefined;

type MemFn = (d: number, s: number, n: number) => number;

function bulkMemoryOn(memory: WebAssembly.Memory): { copy: MemFn; fill: MemFn } | null {
  if (bulkModule === undefined) {
    try {
      bulkModule = new WebAssembly.Module(BULK_MEMORY_MODULE);
    } catch {
      bulkModule = null;
    }
  }
  if (!bulkModule) return null;
  try {
    const e = new WebAssembly.Instance(bulkModule, { env: { memory } }).exports as { copy: MemFn; fill: MemFn };
    return { copy: e.copy, fill: e.fill };
  } catch {
    return null;
  }
}

function align16(x: number): number {
  return (x + 15) & ~15;
}
