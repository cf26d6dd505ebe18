/**
 * Pieces for writing small WebAssembly modules out as bytes (no toolchain):
 * LEB128 numbers, sections, names, the SIMD prefix (the opcodes: wasm-opcodes.ts). Used by the HDF5 filter
 * kernels and the live pixel sums.
 */

/** unsigned LEB128 */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** signed LEB128 */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** a module section: id, byte length, content */
export const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/** a name as the binary format writes it (length, then the characters, ASCII) */
export const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** a SIMD instruction: the 0xfd prefix and its opcode as unsigned LEB128 */
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];

/**
 * The memory section of a module that defines its one memory as shared, `min`
 * pages to start and at most `max`. A shared memory's buffer is a
 * SharedArrayBuffer, which growing never detaches; growing an unshared one
 * detaches its old buffer, and V8 answers the first detach in a thread by
 * making every typed-array loop of that thread check for detached buffers
 * for the rest of its life (measured: a plain Float32Array loop 1.7× slower,
 * reading a sim_telarray file's events included).
 */
export const sharedMemorySection = (min: number, max: number): number[] => section(5, [1, 0x03, ...uleb(min), ...uleb(max)]);
