/**
 * The file-format registry: every format Lightpool reads, in the order they
 * are tried (the first that recognises a file wins; plain HDF5 takes any
 * file, so it is last). Adding a format = a module beside this one and one
 * line in this list.
 */
import type { H5File } from '../hdf5/h5-file.js';
import type { FileFormat, FormatDescription, FormatId, StreamFileFormat } from './file-format.js';
import { dl1Format } from './dl1-format.js';
import { watchmalHitsFormat, watchmalImagesFormat } from './watchmal-format.js';
import { hdf5Format } from './hdf5-format.js';
import { simtelFormat } from './simtel-format.js';

export const FILE_FORMATS: readonly FileFormat<unknown>[] = [
  dl1Format as FileFormat<unknown>,
  watchmalHitsFormat as FileFormat<unknown>,
  watchmalImagesFormat as FileFormat<unknown>,
  hdf5Format as FileFormat<unknown>,
];

/** Formats that are not HDF5, tried first on a file's first bytes and name (an HDF5 file is none of them). */
export const STREAM_FORMATS: readonly StreamFileFormat<unknown>[] = [simtelFormat as StreamFileFormat<unknown>];

/** every registered format's description, HDF5 or not */
export function allFormats(): readonly FormatDescription[] {
  return [...STREAM_FORMATS, ...FILE_FORMATS];
}

/** the non-HDF5 format of a file from its first bytes and name, or null (then it is opened as HDF5) */
export function recogniseStreamFormat(head: Uint8Array, path: string): StreamFileFormat<unknown> | null {
  return STREAM_FORMATS.find((f) => f.recogniseBytes(head, path)) ?? null;
}

/** the format of an open HDF5 file */
export function recogniseFormat(file: H5File): FileFormat<unknown> {
  return FILE_FORMATS.find((f) => f.recognise(file)) ?? hdf5Format;
}

export function formatById(id: FormatId): FileFormat<unknown> {
  const f = FILE_FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`no file format "${id}"`);
  return f;
}
