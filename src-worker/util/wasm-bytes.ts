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
