/**
 * The ADC samples' differential var-ints (sim_telarray's "differential"
 * vectors, see varint.ts) decoded by a small WebAssembly SIMD kernel written
 * out as bytes here: runs of 8 one-byte codes (a trace's usual step of less
 * than ±64 counts) become 8 samples at once (zig-zag and a running sum in
 * 16-bit lanes, which is the same as the 32-bit sum truncated to 16 bits, as
 * the samples are stored), longer codes one at a time as in JavaScript.
 * The same values as `decodeDifferentialVectorsU16` (tested against it),
 * ~3× faster on LSTCam and FlashCam traces.
 *
 * The kernel decodes whole vectors while the object has room for the
 * longest codes (5 bytes per value) and stops there or at a code it does
 * not read (longer than 5 bytes): the caller finishes the rest, and reports
 * the bad code, in JavaScript.
 */
import { name, section, sharedMemorySection, sleb, uleb } from '../../util/wasm-bytes.js';
import {
  BLOCK,
  BR,
  BR_IF,
  ELSE,
  END,
  LOCAL_GET as GET,
  I16X8_ADD,
  I16X8_EXTRACT_LANE_U,
  I16X8_NEG,
  I16X8_SHR_U,
  I16X8_SPLAT,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_EQZ,
  I32_GE_S,
  I32_GT_S,
  I32_LOAD8_U,
  I32_LT_S,
  I32_LT_U,
  I32_MUL,
  I32_OR,
  I32_SHL,
  I32_SHR_U,
  I32_STORE,
  I32_STORE16,
  I32_SUB,
  I32_XOR,
  IF,
  LOOP,
  RETURN,
  SELECT,
  LOCAL_SET as SET,
  SHUFFLE,
  LOCAL_TEE as TEE,
  V128,
  V128_AND,
  V128_ANY_TRUE,
  V128_CONST,
  V128_LOAD8X8_U,
  V128_STORE,
  V128_XOR,
  VOID,
} from '../../util/wasm-opcodes.js';

const at = (offset: number) => [0, ...uleb(offset)];
const i32 = (n: number) => [I32_CONST, ...sleb(n)];
const i16x8 = (v: number) => [...V128_CONST, ...Array.from({ length: 8 }, () => [v & 0xff, (v >> 8) & 0xff]).flat()];
const ZERO = [...V128_CONST, ...new Array<number>(16).fill(0)];
/** i8x16.shuffle(a, zero) moving the i16 lanes up by `s` (lane i takes lane i − s, the first s lanes 0) */
const shiftLanes = (s: number) => [...SHUFFLE, ...Array.from({ length: 16 }, (_, j) => (j >= 2 * s ? j - 2 * s : 16))];

// parameters: pos (src byte offset), end, nVectors, nPer, o (dst byte offset); locals after them
const POS = 0,
  END_ = 1,
  NVEC = 2,
  NPER = 3,
  O = 4;
const V = 5,
  VAL = 6,
  R = 7,
  V0 = 8,
  M = 9,
  D = 10,
  T = 11,
  X = 12;

/** zig-zag of local m into local d */
const zigzag = [GET, M, ...i32(1), I32_SHR_U, ...i32(0), GET, M, ...i32(1), I32_AND, I32_SUB, I32_XOR, SET, D];
const byte = (k: number) => [GET, POS, I32_LOAD8_U, ...at(k)];
const advance = (n: number) => [GET, POS, ...i32(n), I32_ADD, SET, POS];

function body(): number[] {
  const c: number[] = [];
  // locals: 7 × i32, 1 × v128
  c.push(2, 7, I32, 1, V128);
  c.push(BLOCK, VOID); // $done
  c.push(LOOP, VOID); // $vec
  c.push(GET, V, GET, NVEC, I32_GE_S, BR_IF, 1);
  c.push(GET, POS, GET, NPER, ...i32(5), I32_MUL, I32_ADD, GET, END_, I32_GT_S, BR_IF, 1);
  c.push(...i32(0), SET, VAL, GET, NPER, SET, R);
  c.push(BLOCK, VOID); // $vecEnd
  c.push(LOOP, VOID); // $vals
  c.push(GET, R, I32_EQZ, BR_IF, 1);
  // eight one-byte codes at once
  c.push(BLOCK, VOID); // $scalar
  c.push(GET, R, ...i32(8), I32_LT_S, BR_IF, 0);
  c.push(GET, POS, ...V128_LOAD8X8_U, ...at(0), TEE, X, ...i16x8(0x80), ...V128_AND, ...V128_ANY_TRUE, BR_IF, 0);
  c.push(GET, X, ...i32(1), ...I16X8_SHR_U, GET, X, ...i16x8(1), ...V128_AND, ...I16X8_NEG, ...V128_XOR, SET, X);
  for (const s of [1, 2, 4]) c.push(GET, X, GET, X, ...ZERO, ...shiftLanes(s), ...I16X8_ADD, SET, X);
  c.push(GET, X, GET, VAL, ...I16X8_SPLAT, ...I16X8_ADD, SET, X);
  c.push(GET, O, GET, X, ...V128_STORE, ...at(0));
  c.push(GET, X, ...I16X8_EXTRACT_LANE_U, 7, SET, VAL);
  c.push(...advance(8), GET, O, ...i32(16), I32_ADD, SET, O, GET, R, ...i32(8), I32_SUB, SET, R);
  c.push(BR, 1); // next values
  c.push(END); // $scalar
  // one code
  c.push(...byte(0), SET, V0);
  c.push(GET, V0, ...i32(0x80), I32_LT_U, IF, VOID);
  c.push(GET, V0, SET, M, ...zigzag, ...advance(1));
  c.push(ELSE, GET, V0, ...i32(0xc0), I32_LT_U, IF, VOID);
  c.push(GET, V0, ...i32(0x3f), I32_AND, ...i32(8), I32_SHL, ...byte(1), I32_OR, SET, M, ...zigzag, ...advance(2));
  c.push(ELSE, GET, V0, ...i32(0xe0), I32_LT_U, IF, VOID);
  c.push(GET, V0, ...i32(0x1f), I32_AND, ...i32(16), I32_SHL, ...byte(1), ...i32(8), I32_SHL, I32_OR, ...byte(2), I32_OR, SET, M, ...zigzag, ...advance(3));
  c.push(ELSE, GET, V0, ...i32(0xf0), I32_LT_U, IF, VOID);
  c.push(
    GET,
    V0,
    ...i32(0x0f),
    I32_AND,
    ...i32(24),
    I32_SHL,
    ...byte(1),
    ...i32(16),
    I32_SHL,
    I32_OR,
    ...byte(2),
    ...i32(8),
    I32_SHL,
    I32_OR,
    ...byte(3),
    I32_OR,
    SET,
    M,
    ...zigzag,
    ...advance(4),
  );
  c.push(ELSE, GET, V0, ...i32(0xf8), I32_LT_U, IF, VOID);
  // 5 bytes: magnitude ((v0 & 7) << 31 | v1 << 23 | v2 << 15 | v3 << 7 | v4 >> 1), sign in bit 0 of v4
  c.push(GET, V0, ...i32(7), I32_AND, ...i32(31), I32_SHL, ...byte(1), ...i32(23), I32_SHL, I32_OR, ...byte(2), ...i32(15), I32_SHL, I32_OR);
  c.push(...byte(3), ...i32(7), I32_SHL, I32_OR, ...byte(4), ...i32(1), I32_SHR_U, I32_OR, SET, M);
  c.push(...byte(4), ...i32(1), I32_AND, SET, T);
  c.push(...i32(0), GET, M, I32_SUB, ...i32(1), I32_SUB, GET, M, GET, T, SELECT, SET, D, ...advance(5));
  c.push(ELSE, ...i32(-1), RETURN, END); // longer than 5 bytes: the caller reports it
  c.push(END, END, END, END);
  c.push(GET, VAL, GET, D, I32_ADD, SET, VAL);
  c.push(GET, O, GET, VAL, I32_STORE16, ...at(0), GET, O, ...i32(2), I32_ADD, SET, O);
  c.push(GET, R, ...i32(1), I32_SUB, SET, R);
  c.push(BR, 0); // next value
  c.push(END); // $vals
  c.push(END); // $vecEnd
  c.push(GET, V, ...i32(1), I32_ADD, SET, V, BR, 0);
  c.push(END); // $vec
  c.push(END); // $done
  c.push(...i32(0), GET, V, I32_STORE, ...at(0));
  c.push(GET, POS, END);
  return [...uleb(c.length), ...c];
}

/** decode(pos, end, nVectors, nPer, dst) → position after the vectors decoded (their count at byte 0), or -1 at a code longer than 5 bytes */
export function differentialKernelModule(): Uint8Array<ArrayBuffer> {
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...sharedMemorySection(1, 32768),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('decode'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

interface KernelExports {
  mem: WebAssembly.Memory;
  decode(pos: number, end: number, nVectors: number, nPer: number, dst: number): number;
}

let kernel: KernelExports | null | undefined;

function instance(): KernelExports | null {
  if (kernel === undefined) {
    try {
      const bytes = differentialKernelModule();
      kernel = WebAssembly.validate(bytes) ? (new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as KernelExports) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

/** Whether the kernel runs here (WebAssembly SIMD). */
export function differentialKernelAvailable(): boolean {
  return instance() !== null;
}

const SRC = 16;

/**
 * Decodes as many of the `nVectors` vectors of `nPer` values at
 * `bytes[pos..end)` as the kernel can into `out[outOffset..]`; returns the
 * vectors done and the position after them (null: the kernel is not
 * available, or met a code it does not read: do it all in JavaScript).
 */
export function decodeDifferentialKernel(
  bytes: Uint8Array,
  pos: number,
  end: number,
  nVectors: number,
  nPer: number,
  out: Uint16Array,
  outOffset: number,
): { done: number; pos: number } | null {
  const k = instance();
  if (!k) return null;
  const n = end - pos;
  const dst = (SRC + n + 15) & ~15;
  // the last 8-value store may write up to 7 values past a vector's end, inside the output area plus 16 bytes
  const need = dst + 2 * nVectors * nPer + 32;
  const have = k.mem.buffer.byteLength;
  if (need > have) k.mem.grow(Math.ceil((need - have) / 65536));
  const mem = new Uint8Array(k.mem.buffer);
  mem.set(bytes.subarray(pos, end), SRC);
  const r = k.decode(SRC, SRC + n, nVectors, nPer, dst);
  if (r < 0) return null;
  const done = new Int32Array(k.mem.buffer, 0, 1)[0];
  out.set(new Uint16Array(k.mem.buffer, dst, done * nPer), outOffset);
  return { done, pos: pos + (r - SRC) };
}
