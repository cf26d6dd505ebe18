/**
 * EventIO's variable-length integers (eventio's `get_count` / `get_scount`
 * family, as pyeventio's var_int.pyx reads them):
 *
 * - the number of leading one bits of the first byte says how many bytes
 *   follow (0xxxxxxx: 1 byte, 10xxxxxx: 2, 110xxxxx: 3, ... 11111110: 8,
 *   11111111: 9), the value is big-endian in the remaining bits;
 * - signed values are zig-zag coded: 0, -1, 1, -2, 2 ... are 0, 1, 2, 3, 4 ...
 * - "differential" vectors (ADC samples and sums) store signed differences of
 *   consecutive values, accumulated into a 32-bit integer from 0 per vector.
 *
 * Values up to 2^53 are exact (JavaScript numbers); longer codes are read
 * with multiplication, so they lose only the low bits of values nobody writes.
 */
import { ObjectParseError } from './eventio-errors.js';
import { decodeDifferentialKernel } from './differential-kernel.js';

/** blocks of at least this many values go to the WebAssembly SIMD kernel first (differential-kernel.ts) */
const KERNEL_MIN_VALUES = 256;

/** Number of bytes of the var-int that starts with `first`. */
export function varintLength(first: number): number {
  if ((first & 0x80) === 0) return 1;
  if ((first & 0xc0) === 0x80) return 2;
  if ((first & 0xe0) === 0xc0) return 3;
  if ((first & 0xf0) === 0xe0) return 4;
  if ((first & 0xf8) === 0xf0) return 5;
  if ((first & 0xfc) === 0xf8) return 6;
  if ((first & 0xfe) === 0xfc) return 7;
  if (first === 0xfe) return 8;
  return 9;
}

/** Masks of the value bits in the first byte, by code length (8 and 9: none). */
const FIRST_MASK = [0, 0x7f, 0x3f, 0x1f, 0x0f, 0x07, 0x03, 0x01, 0x00, 0x00];

/**
 * The unsigned var-int at `bytes[pos]`, which must lie wholly before `end`.
 * Returns the value; its length is `varintLength(bytes[pos])`.
 */
export function decodeUnsignedVarint(bytes: Uint8Array, pos: number, end: number): number {
  if (pos >= end) throw new ObjectParseError(`var-int at byte ${pos} runs past the end of the object (${end} bytes)`);
  const b0 = bytes[pos];
  if (b0 < 0x80) return b0;
  const n = varintLength(b0);
  if (pos + n > end) throw new ObjectParseError(`${n}-byte var-int at byte ${pos} runs past the end of the object (${end} bytes)`);
  let v = b0 & FIRST_MASK[n];
  // 9-byte codes have no value bits in the first byte and 8 in the second byte
  for (let i = 1; i < n; i++) v = v * 256 + bytes[pos + i];
  return v;
}

/** Zig-zag decoding of an unsigned var-int value (0,1,2,3,... → 0,-1,1,-2,...). */
export function zigzag(u: number): number {
  if (u <= 0x7fffffff) return u & 1 ? -(u >>> 1) - 1 : u >>> 1;
  const half = Math.floor(u / 2);
  return u % 2 === 1 ? -half - 1 : half;
}

/**
 * Decodes `n` differential signed var-ints (one vector) starting at `pos`,
 * accumulating from 0 in a 32-bit signed integer as eventio does, and stores
 * the running values into `out[outOffset ..]` (a Uint16Array truncates them
 * to 16 bits, as pyeventio's `.astype('u2')`). Returns the position after the
 * vector. Throws when the vector runs past `end`.
 */
export function decodeDifferentialVector(
  bytes: Uint8Array,
  pos: number,
  end: number,
  n: number,
  out: Uint16Array | Uint32Array | Int32Array,
  outOffset: number,
): number {
  let val = 0;
  // fast loop while at least 5 bytes (the longest code we accept) remain
  const safeEnd = end - 5;
  let i = 0;
  for (; i < n && pos <= safeEnd; i++) {
    const v0 = bytes[pos++];
    let m: number;
    if ((v0 & 0x80) === 0) {
      m = v0;
    } else if ((v0 & 0xc0) === 0x80) {
      m = ((v0 & 0x3f) << 8) | bytes[pos++];
    } else if ((v0 & 0xe0) === 0xc0) {
      m = ((v0 & 0x1f) << 16) | (bytes[pos] << 8) | bytes[pos + 1];
      pos += 2;
    } else if ((v0 & 0xf0) === 0xe0) {
      m = ((v0 & 0x0f) << 24) | (bytes[pos] << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
      pos += 3;
    } else if ((v0 & 0xf8) === 0xf0) {
      // bits 32 and 33 of the format are ignored, as in pyeventio
      val = (val + fiveByteMagnitude(v0, bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3])) | 0;
      pos += 4;
      out[outOffset + i] = val;
      continue;
    } else {
      throw new ObjectParseError(`differential var-int with first byte 0x${v0.toString(16)} at byte ${pos - 1} (longer than 5 bytes)`);
    }
    // m holds the zig-zag code (sign in bit 0)
    val = m & 1 ? (val - (m >>> 1) - 1) | 0 : (val + (m >>> 1)) | 0;
    out[outOffset + i] = val;
  }
  // the last few values, with bounds checks
  for (; i < n; i++) {
    if (pos >= end) throw new ObjectParseError(`differential vector of ${n} values runs past the end of the object (${end} bytes) at value ${i}`);
    const v0 = bytes[pos];
    const len = varintLength(v0);
    if (len > 5) throw new ObjectParseError(`differential var-int with first byte 0x${v0.toString(16)} at byte ${pos} (longer than 5 bytes)`);
    if (pos + len > end) throw new ObjectParseError(`differential vector of ${n} values runs past the end of the object (${end} bytes) at value ${i}`);
    if (len === 5) {
      val = (val + fiveByteMagnitude(v0, bytes[pos + 1], bytes[pos + 2], bytes[pos + 3], bytes[pos + 4])) | 0;
    } else {
      let m = v0 & FIRST_MASK[len];
      for (let k = 1; k < len; k++) m = (m << 8) | bytes[pos + k];
      val = m & 1 ? (val - (m >>> 1) - 1) | 0 : (val + (m >>> 1)) | 0;
    }
    pos += len;
    out[outOffset + i] = val;
  }
  return pos;
}

/**
 * The signed difference of a 5-byte code as a 32-bit value: magnitude
 * ((v0 & 7) << 31 | v1 << 23 | v2 << 15 | v3 << 7 | v4 >> 1) with the sign in
 * bit 0 of v4, in C's 32-bit integer arithmetic (pyeventio's var_int.pyx).
 */
function fiveByteMagnitude(v0: number, v1: number, v2: number, v3: number, v4: number): number {
  const mag = ((v0 & 0x07) << 31) | (v1 << 23) | (v2 << 15) | (v3 << 7) | (v4 >> 1);
  return v4 & 1 ? (-mag - 1) | 0 : mag | 0;
}

/**
 * `nVectors` consecutive differential vectors of `nPer` values each (the ADC
 * samples of many pixels) into a Uint16Array: the same decoding as
 * decodeDifferentialVector, specialised for the hot path (one call for the
 * whole block, a monomorphic 16-bit store, branch-free zig-zag of 1-byte
 * codes, which most sample differences are).
 */
export function decodeDifferentialVectorsU16(
  bytes: Uint8Array,
  pos: number,
  end: number,
  nVectors: number,
  nPer: number,
  out: Uint16Array,
  outOffset: number,
): number {
  const safeEnd = end - 5;
  let o = outOffset;
  let v = 0;
  if (nVectors * nPer >= KERNEL_MIN_VALUES) {
    // the kernel does what it can (the same values); the rest, and any error, here
    const k = decodeDifferentialKernel(bytes, pos, end, nVectors, nPer, out, outOffset);
    if (k) {
      v = k.done;
      pos = k.pos;
      o = outOffset + v * nPer;
    }
  }
  for (; v < nVectors; v++) {
    if (pos + nPer + 4 > end) {
      // near the end of the object: the checked decoder
      for (; v < nVectors; v++) {
        pos = decodeDifferentialVector(bytes, pos, end, nPer, out, o);
        o += nPer;
      }
      return pos;
    }
    let val = 0;
    const stop = o + nPer;
    while (o < stop) {
      if (pos > safeEnd) {
        // finish this vector with checks
        const done = nPer - (stop - o);
        const tmp = new Int32Array(stop - o);
        pos = decodeDifferentialTail(bytes, pos, end, stop - o, tmp, val, done, nPer);
        for (let k = 0; k < tmp.length; k++) out[o + k] = tmp[k];
        o = stop;
        break;
      }
      const v0 = bytes[pos];
      if (v0 < 0x80) {
        val = (val + ((v0 >>> 1) ^ -(v0 & 1))) | 0;
        pos++;
      } else if (v0 < 0xc0) {
        const m = ((v0 & 0x3f) << 8) | bytes[pos + 1];
        val = (val + ((m >>> 1) ^ -(m & 1))) | 0;
        pos += 2;
      } else if (v0 < 0xe0) {
        const m = ((v0 & 0x1f) << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
        val = (val + ((m >>> 1) ^ -(m & 1))) | 0;
        pos += 3;
      } else if (v0 < 0xf0) {
        const m = ((v0 & 0x0f) << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3];
        val = (val + ((m >>> 1) ^ -(m & 1))) | 0;
        pos += 4;
      } else if (v0 < 0xf8) {
        val = (val + fiveByteMagnitude(v0, bytes[pos + 1], bytes[pos + 2], bytes[pos + 3], bytes[pos + 4])) | 0;
        pos += 5;
      } else {
        throw new ObjectParseError(`differential var-int with first byte 0x${v0.toString(16)} at byte ${pos} (longer than 5 bytes)`);
      }
      out[o++] = val;
    }
  }
  return pos;
}

/** The rest of a vector whose decoding started in the fast loop: continues from `val` with bounds checks. */
function decodeDifferentialTail(bytes: Uint8Array, pos: number, end: number, n: number, out: Int32Array, val: number, done: number, nPer: number): number {
  for (let i = 0; i < n; i++) {
    if (pos >= end) throw new ObjectParseError(`differential vector of ${nPer} values runs past the end of the object (${end} bytes) at value ${done + i}`);
    const v0 = bytes[pos];
    const len = varintLength(v0);
    if (len > 5) throw new ObjectParseError(`differential var-int with first byte 0x${v0.toString(16)} at byte ${pos} (longer than 5 bytes)`);
    if (pos + len > end)
      throw new ObjectParseError(`differential vector of ${nPer} values runs past the end of the object (${end} bytes) at value ${done + i}`);
    if (len === 5) {
      val = (val + fiveByteMagnitude(v0, bytes[pos + 1], bytes[pos + 2], bytes[pos + 3], bytes[pos + 4])) | 0;
    } else {
      let m = v0 & FIRST_MASK[len];
      for (let k = 1; k < len; k++) m = (m << 8) | bytes[pos + k];
      val = (val + ((m >>> 1) ^ -(m & 1))) | 0;
    }
    pos += len;
    out[i] = val;
  }
  return pos;
}
