/**
 * The HDF5 files the lab analyses write (spectrum, MLEM image, image stack),
 * through Lightpool's own writer (src-worker/io/hdf5/writer): plain datasets of
 * float64/float32/int64 numbers and variable-length strings, chunked along
 * their first dimension, with h5py-style attributes. The file is written to
 * a hidden temporary name beside OUT and renamed only by commit(); abort()
 * (an error, a Cancel) removes it, so OUT is never half-written.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { outputPathProblem, temporaryOutputPath } from '../io/output-path.js';
import { H5Writer, type AttrSpec, type ChunkOptions } from '../io/hdf5/writer/h5-writer.js';
import type { TypeDesc } from '../io/hdf5/writer/datatype-encode.js';
import { int64Attr, vlenStringAttr } from '../io/export/copy-attributes.js';
import { Hdf5Error } from '../io/hdf5/h5-errors.js';

export const F64: TypeDesc = { type: 1, size: 8 };
export const F32: TypeDesc = { type: 1, size: 4 };
export const I64: TypeDesc = { type: 0, size: 8, signed: true };
export const I32: TypeDesc = { type: 0, size: 4, signed: true };

export type AttrInput = string | number | number[] | Float64Array;

/** h5py-style attributes: str as variable-length UTF-8, integers (and arrays of them) as int64, other numbers and arrays as float64. */
export function attributes(values: Record<string, AttrInput | undefined>): AttrSpec[] {
  const out: AttrSpec[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (typeof v === 'string') out.push(vlenStringAttr(name, v));
    else if (typeof v === 'number') out.push(Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? int64Attr(name, v) : float64Attr(name, [v], true));
    else {
      const values = Array.from(v);
      if (values.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 53)) {
        out.push({ name, type: I64, shape: [values.length], data: new Uint8Array(BigInt64Array.from(values, (x) => BigInt(x)).buffer) });
      } else out.push(float64Attr(name, values, false));
    }
  }
  return out;
}

function float64Attr(name: string, values: number[], scalar: boolean): AttrSpec {
  return { name, type: F64, shape: scalar ? [] : [values.length], data: new Uint8Array(Float64Array.from(values).buffer) };
}

/** Checks OUT before any work: a different file than the inputs, its folder exists, not there yet unless `overwrite`. */
export function checkOutputPath(output: string, inputs: string[], overwrite: boolean): string {
  const out = resolve(output);
  for (const i of inputs) if (resolve(i) === out) throw new Hdf5Error('bad-request', `${out}: the output must be a different file than the input`, out);
  const problem = outputPathProblem(out);
  if (problem) throw new Hdf5Error('bad-request', problem, out);
  if (existsSync(out) && !overwrite) throw new Hdf5Error('bad-request', `${out}: exists already (choose another name, or allow overwriting with --force)`, out);
  return out;
}

function chunkRowsFor(rowBytes: number, nRows: number): number {
  // about 256 KiB per chunk, never more rows than there are
  return Math.max(1, Math.min(Math.max(1, nRows), Math.floor((256 * 1024) / Math.max(1, rowBytes))));
}

export class LabOutputFile {
  readonly output: string;
  readonly temp: string;
  private writer: H5Writer;
  private finished = false;

  constructor(output: string) {
    this.output = resolve(output);
    this.temp = temporaryOutputPath(this.output);
    this.writer = H5Writer.create(this.temp);
  }

  rootAttributes(attrs: AttrSpec[]): void {
    this.writer.rootAttributes(attrs);
  }

  group(path: string, attrs: AttrSpec[] = []): void {
    this.writer.group(path, attrs);
  }

  /** A whole dataset of `data` with shape [data.length / Π rowShape, ...rowShape]. */
  array(
    path: string,
    data: Float64Array | Float32Array | BigInt64Array | Int32Array,
    rowShape: number[] = [],
    attrs: AttrSpec[] = [],
    deflateLevel: number | null = 4,
  ): void {
    const type = data instanceof Float64Array ? F64 : data instanceof Float32Array ? F32 : data instanceof BigInt64Array ? I64 : I32;
    const perRow = rowShape.reduce((a, b) => a * b, 1);
    const nRows = data.length / perRow;
    if (!Number.isInteger(nRows)) throw new Error(`${path}: ${data.length} values do not make rows of ${rowShape.join('×')}`);
    const w = this.writer.dataset(path, type, rowShape, this.chunking(type.size * perRow, nRows, deflateLevel));
    w.appendRows(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), nRows);
    w.finish(attrs);
  }

  /** A dataset written row block by row block (e.g. images); finish() it with its attributes. */
  rows(path: string, type: TypeDesc, rowShape: number[], chunkRows: number, deflateLevel: number | null, shuffle = false) {
    return this.writer.dataset(path, type, rowShape, { chunkRows, deflateLevel, shuffle });
  }

  /** A 1-D dataset of variable-length UTF-8 strings. */
  strings(path: string, values: string[], attrs: AttrSpec[] = []): void {
    const w = this.writer.stringDataset(path, values, { chunkRows: Math.max(1, Math.min(values.length, 1024)), deflateLevel: null, shuffle: false });
    w.finish(attrs);
  }

  private chunking(rowBytes: number, nRows: number, deflateLevel: number | null): ChunkOptions {
    return { chunkRows: chunkRowsFor(rowBytes, nRows), deflateLevel, shuffle: false };
  }

  /** Closes the file and renames it to OUT (replacing an existing OUT). */
  commit(): string {
    if (this.finished) throw new Error('the output was already committed or aborted');
    this.finished = true;
    try {
      this.writer.close();
      renameSync(this.temp, this.output);
    } catch (err) {
      rmSync(this.temp, { force: true });
      throw new Hdf5Error('write-failed', `${this.output}: could not be written (${err instanceof Error ? err.message : String(err)})`, this.output);
    }
    return this.output;
  }

  /** Drops the temporary file; OUT is untouched. Safe to call twice. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      this.writer.abort();
    } finally {
      rmSync(this.temp, { force: true });
    }
  }
}
