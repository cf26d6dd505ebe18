/**
 * Pieces for writing small WebAssembly modules out as bytes (no toolchain):
 * LEB128 numbers, sections, names, SIMD opcodes. Used by the HDF5 filter
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

/** the opcodes the kernels use (WebAssembly core and SIMD instruction sets) */
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const I32_CONST = 0x41;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const V128_LOAD = simd(0x00);
export const V128_STORE = simd(0x0b);
export const V128_CONST = simd(0x0c);
export const SHUFFLE = simd(0x0d);
