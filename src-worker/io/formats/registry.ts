/**
 * The file-format registry: every format Lightpool reads, in the order they
 * are tried (the first that recognises a file wins; plain HDF5 takes any
 * file, so it is last). Adding a format = a module beside this one and one
 * line in this list.
 */
import type { H5File } from '../hdf5/h5-file.js';
import type { FileFormat, FormatId } from './file-format.js';
import { dl1Format } from './dl1-format.js';
import { watchmalHitsFormat, watchmalImagesFormat } from './watchmal-format.js';
import { hdf5Format } from './hdf5-format.js';

export const FILE_FORMATS: readonly FileFormat<unknown>[] = [
  dl1Format as FileFormat<unknown>,
  watchmalHitsFormat as FileFormat<unknown>,
  watchmalImagesFormat as FileFormat<unknown>,
  hdf5Format as FileFormat<unknown>,
];

/** the format of an open HDF5 file */
export function recogniseFormat(file: H5File): FileFormat<unknown> {
  return FILE_FORMATS.find((f) => f.recognise(file)) ?? hdf5Format;
}

export function formatById(id: FormatId): FileFormat<unknown> {
  const f = FILE_FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`no file format "${id}"`);
  return f;
}
