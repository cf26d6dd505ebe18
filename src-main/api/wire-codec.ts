/**
 * Binary framing of API messages for WebSocket: JSON for the structure, raw
 * bytes for every typed array, so an 1855-pixel image travels as 7.4 kB of
 * float32, not as a JSON list of numbers.
 *
 * Frame layout (little-endian):
 *   u32 magic "LPW1" | u32 headerBytes | header (UTF-8 JSON) | pad to 8 |
 *   for each array: its bytes, padded to 8
 * In the header a typed array is replaced by {"$ta": index, "t": ctor, "n": length}.
 * The module has no Node or DOM dependencies: the renderer and backend share it.
 */
const MAGIC = 0x3157504c; // "LPW1"

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

const ctors = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type CtorName = keyof typeof ctors;

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeFrame(message: unknown): Uint8Array {
  const arrays: TypedArray[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (isTypedArray(value)) {
      arrays.push(value);
      return { $ta: arrays.length - 1, t: value.constructor.name, n: value.length };
    }
    return value;
  });
  const header = new TextEncoder().encode(json);
  let total = 8 + pad8(header.byteLength);
  for (const a of arrays) total += pad8(a.byteLength);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.byteLength, true);
  out.set(header, 8);
  let offset = 8 + pad8(header.byteLength);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += pad8(a.byteLength);
  }
  return out;
}

export class FrameError extends Error {}

/** Decodes a frame; arrays are views into (an 8-aligned copy of) the input. */
export function decodeFrame(input: ArrayBuffer | Uint8Array): unknown {
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.byteLength < 8) throw new FrameError('frame shorter than its 8-byte preamble');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new FrameError('frame does not start with the LPW1 magic');
  const headerBytes = view.getUint32(4, true);
  if (8 + headerBytes > bytes.byteLength) throw new FrameError('frame header runs past the end of the frame');
  const json = new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes));
  // First pass: collect array descriptors in index order to compute offsets.
  const descriptors: { t: CtorName; n: number }[] = [];
  const parsed: unknown = JSON.parse(json, (_k, value: unknown) => {
    if (value && typeof value === 'object' && '$ta' in value) {
      const d = value as { $ta: number; t: string; n: number };
      if (!(d.t in ctors) || !Number.isInteger(d.n) || d.n < 0 || d.$ta !== descriptors.length) {
        throw new FrameError(`bad array descriptor in frame header: ${JSON.stringify(d)}`);
      }
      descriptors.push({ t: d.t as CtorName, n: d.n });
      return { $ta: d.$ta };
    }
    return value;
  });
  const arrays: TypedArray[] = [];
  let offset = 8 + pad8(headerBytes);
  for (const d of descriptors) {
    const Ctor = ctors[d.t];
    const byteLength = d.n * Ctor.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.byteLength) throw new FrameError('frame arrays run past the end of the frame');
    arrays.push(new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, d.n));
    offset += pad8(byteLength);
  }
  return restore(parsed, arrays);
}

function restore(value: unknown, arrays: TypedArray[]): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], arrays);
    return value;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.$ta === 'number' && Object.keys(obj).length === 1) return arrays[obj.$ta];
    for (const k of Object.keys(obj)) obj[k] = restore(obj[k], arrays);
  }
  return value;
}
