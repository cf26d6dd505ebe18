/**
 * HDF5 datatypes as h5wasm describes them (Metadata), reduced to what a
 * reader needs: for each field of a (compound) row its byte offset and size,
 * element kind and per-row shape, and a numpy-like text (`<f4`, `|b1`,
 * `|S5`, `<f4(1855,)`) for listings.
 */
import type { Metadata } from 'h5wasm/node';

/** HDF5 type classes (H5T_class_t). */
export const H5T = {
  INTEGER: 0,
  FLOAT: 1,
  TIME: 2,
  STRING: 3,
  BITFIELD: 4,
  OPAQUE: 5,
  COMPOUND: 6,
  REFERENCE: 7,
  ENUM: 8,
  VLEN: 9,
  ARRAY: 10,
} as const;

export type ElementKind = 'int' | 'uint' | 'float' | 'bool' | 'string' | 'enum' | 'vlen-string' | 'other';

export interface FieldSpec {
  name: string;
  /** byte offset of the field in a row */
  offset: number;
  /** bytes of the field in a row (elemSize × count) */
  size: number;
  kind: ElementKind;
  /** bytes of one element */
  elemSize: number;
  /** elements per row (product of shape) */
  count: number;
  /** per-row shape, [] for a scalar field */
  shape: number[];
  /** numpy-like type text */
  dtype: string;
  /** name → value of an enum type */
  enumMembers?: Record<string, number>;
}

function elementKind(meta: Metadata): ElementKind {
  switch (meta.type) {
    case H5T.INTEGER:
      return meta.signed ? 'int' : 'uint';
    case H5T.FLOAT:
      return 'float';
    case H5T.BITFIELD:
      return meta.size === 1 ? 'bool' : 'uint';
    case H5T.STRING:
      return meta.vlen ? 'vlen-string' : 'string';
    case H5T.ENUM: {
      const members = meta.enum_type?.members ?? {};
      const names = Object.keys(members).sort();
      if (meta.size === 1 && names.length === 2 && names[0] === 'FALSE' && names[1] === 'TRUE') return 'bool';
      return 'enum';
    }
    case H5T.VLEN:
      return meta.vlen_type?.type === H5T.STRING ? 'vlen-string' : 'other';
    default:
      return 'other';
  }
}

function scalarText(meta: Metadata, kind: ElementKind): string {
  const end = meta.size === 1 ? '|' : meta.littleEndian ? '<' : '>';
  switch (kind) {
    case 'int':
      return `${end}i${meta.size}`;
    case 'uint':
      return `${end}u${meta.size}`;
    case 'float':
      return `${end}f${meta.size}`;
    case 'bool':
      return '|b1';
    case 'string':
      return `|S${meta.size}`;
    case 'vlen-string':
      return 'str';
    case 'enum':
      return `enum${meta.size * 8}{${Object.keys(meta.enum_type?.members ?? {}).join(',')}}`;
    default:
      if (meta.type === H5T.COMPOUND) return compoundText(meta);
      if (meta.type === H5T.REFERENCE) return 'ref';
      if (meta.type === H5T.OPAQUE) return `|V${meta.size}`;
      return `type${meta.type}:${meta.size}`;
  }
}

function compoundText(meta: Metadata): string {
  return `{${compoundFields(meta)
    .map((f) => `${f.name}: ${f.dtype}`)
    .join(', ')}}`;
}

/** The element spec of a non-compound type (arrays unrolled into shape). */
export function elementSpec(meta: Metadata, name = '', offset = 0): FieldSpec {
  if (meta.type === H5T.ARRAY && meta.array_type) {
    const base = meta.array_type;
    const shape = (base as Metadata & { shape?: number[] }).shape ?? [];
    const inner = elementSpec(base, name, offset);
    const count = shape.reduce((a, b) => a * b, 1) * inner.count;
    const fullShape = [...shape, ...inner.shape];
    return {
      ...inner,
      shape: fullShape,
      count,
      size: meta.size,
      dtype: `${inner.dtype.replace(/\(.*\)$/, '')}(${fullShape.join(',')}${fullShape.length === 1 ? ',' : ''})`,
    };
  }
  const kind = elementKind(meta);
  return {
    name,
    offset,
    size: meta.size,
    kind,
    elemSize: meta.size,
    count: 1,
    shape: [],
    dtype: scalarText(meta, kind),
    enumMembers: meta.type === H5T.ENUM ? meta.enum_type?.members : undefined,
  };
}

/** The fields of a compound type, in file order. */
export function compoundFields(meta: Metadata): FieldSpec[] {
  if (meta.type !== H5T.COMPOUND || !meta.compound_type) return [];
  return meta.compound_type.members.map((m) => elementSpec(m, m.name, m.offset));
}

export function isCompound(meta: Metadata): boolean {
  return meta.type === H5T.COMPOUND;
}

/** numpy-like text of any type. */
export function dtypeText(meta: Metadata): string {
  if (meta.type === H5T.COMPOUND) return compoundText(meta);
  return elementSpec(meta).dtype;
}

/** True when the type holds pointers (vlen, references) and cannot be read as raw bytes. */
export function hasPointers(meta: Metadata): boolean {
  if (meta.vlen || meta.type === H5T.VLEN || meta.type === H5T.REFERENCE) return true;
  if (meta.type === H5T.ARRAY && meta.array_type) return hasPointers(meta.array_type);
  if (meta.type === H5T.COMPOUND && meta.compound_type) return meta.compound_type.members.some(hasPointers);
  return false;
}
