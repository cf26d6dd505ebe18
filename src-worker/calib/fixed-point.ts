/**
 * ctapipe's fixed-point columns (ctapipe.io.tableio.FixedPointColumnTransform):
 * DataWriter can store R1 waveforms, DL1 images and peak times as integers
 * (`transform_waveform`, `transform_image`, `transform_peak_time`), with the
 * column attributes
 *
 *     CTAFIELD_<pos>_TRANSFORM        "fixed_point"
 *     CTAFIELD_<pos>_TRANSFORM_SCALE  e.g. 1000.0
 *     CTAFIELD_<pos>_TRANSFORM_OFFSET e.g. 0
 *     CTAFIELD_<pos>_TRANSFORM_DTYPE  the value's dtype before storing ("float32")
 *
 * Reading back (`inverse`): (stored.astype(source dtype) − offset) / scale,
 * with three reserved integers standing for −inf, NaN and +inf (unsigned
 * columns: max−2, max−1, max; signed: min, min+1, max). numpy (1.24, the
 * oracle's) turns the Python scalars offset and scale into the source dtype,
 * so a float32 source is decoded in float32 arithmetic, as here.
 * ctapipe's HDF5 reader applies the transform only to columns without a
 * UNIT, ENUM or TIME_SCALE attribute (those take precedence) and with a
 * non-zero scale: fixedPointTransformFromAttributes follows that.
 */

export type FixedPointStorage = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

export interface FixedPointTransform {
  scale: number;
  offset: number;
  /** the decoded values' dtype */
  sourceDtype: 'float32' | 'float64';
}

export type FixedPointStored = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

function storageOf(a: FixedPointStored): { signed: boolean; bits: number } {
  if (a instanceof Int8Array) return { signed: true, bits: 8 };
  if (a instanceof Uint8Array) return { signed: false, bits: 8 };
  if (a instanceof Int16Array) return { signed: true, bits: 16 };
  if (a instanceof Uint16Array) return { signed: false, bits: 16 };
  if (a instanceof Int32Array) return { signed: true, bits: 32 };
  if (a instanceof Uint32Array) return { signed: false, bits: 32 };
  if (a instanceof BigInt64Array) return { signed: true, bits: 64 };
  return { signed: false, bits: 64 };
}

/** The integers standing for -inf, NaN and +inf in a column of this storage type. */
export function fixedPointSpecialValues(signed: boolean, bits: number): { negInf: bigint; nan: bigint; posInf: bigint } {
  const b = BigInt(bits);
  if (signed) {
    const min = -(1n << (b - 1n));
    const max = (1n << (b - 1n)) - 1n;
    return { negInf: min, nan: min + 1n, posInf: max };
  }
  const max = (1n << b) - 1n;
  return { negInf: max - 2n, nan: max - 1n, posInf: max };
}

/** Decodes a fixed-point column (any shape, flat) into float32 or float64 values. */
export function decodeFixedPoint(stored: FixedPointStored, t: FixedPointTransform): Float32Array | Float64Array {
  if (!Number.isFinite(t.scale) || t.scale === 0) throw new RangeError(`fixed-point column: scale must be a non-zero number, got ${t.scale}`);
  if (!Number.isFinite(t.offset)) throw new RangeError(`fixed-point column: offset must be a number, got ${t.offset}`);
  const { signed, bits } = storageOf(stored);
  const sp = fixedPointSpecialValues(signed, bits);
  const n = stored.length;
  const f32 = t.sourceDtype === 'float32';
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  const scale = f32 ? Math.fround(t.scale) : t.scale;
  const offset = f32 ? Math.fround(t.offset) : t.offset;
  if (bits === 64) {
    const big = stored as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) {
      const v = big[i];
      if (v === sp.nan) out[i] = NaN;
      else if (v === sp.negInf) out[i] = -Infinity;
      else if (v === sp.posInf) out[i] = Infinity;
      else out[i] = f32 ? Math.fround(Math.fround(Number(v)) - offset) / scale : (Number(v) - offset) / scale;
    }
    return out;
  }
  const nan = Number(sp.nan),
    negInf = Number(sp.negInf),
    posInf = Number(sp.posInf);
  const small = stored as Exclude<FixedPointStored, BigInt64Array | BigUint64Array>;
  for (let i = 0; i < n; i++) {
    const v = small[i];
    if (v === nan) out[i] = NaN;
    else if (v === negInf) out[i] = -Infinity;
    else if (v === posInf) out[i] = Infinity;
    else out[i] = f32 ? Math.fround(Math.fround(v) - offset) / scale : (v - offset) / scale;
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder('latin1').decode(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1) return Number((v as unknown as ArrayLike<number | bigint>)[0]);
  return undefined;
}

/**
 * The fixed-point transform of column `pos` from a table's attributes (as
 * h5wasm returns them: numbers, bigints, strings), or null when ctapipe
 * would not apply one.
 */
export function fixedPointTransformFromAttributes(attrs: Record<string, unknown>, pos: number): FixedPointTransform | null {
  const p = `CTAFIELD_${pos}_`;
  if (text(attrs[`${p}UNIT`]) || text(attrs[`${p}ENUM`]) || text(attrs[`${p}TIME_SCALE`])) return null;
  const scale = num(attrs[`${p}TRANSFORM_SCALE`]);
  if (scale === undefined || scale === 0 || Number.isNaN(scale)) return null;
  const offset = num(attrs[`${p}TRANSFORM_OFFSET`]) ?? 0;
  const dtype = text(attrs[`${p}TRANSFORM_DTYPE`]) ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new RangeError(`fixed-point column ${pos}: unsupported source dtype "${dtype}" (float32 or float64)`);
  return { scale, offset, sourceDtype: dtype };
}
