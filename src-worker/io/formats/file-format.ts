/**
 * The file-format registry's shapes (as h5web's visualization registry or
 * Phoenix's loaders): each format declares how it recognises a file, what it
 * offers, its reader, its subset writer if any, and which views open it. The
 * rest of the code asks the registry (registry.ts) or the description an
 * open file carries (`FileSummary.format`, `FileOpenResult.format`); adding a
 * format is a module and one line in the registry's list.
 */
import type { H5File } from '../hdf5/h5-file.js';
import type { ChunkCache } from '../hdf5/table-reader.js';
import type { Selection } from '../export/selection.js';
import type { ExportEnv } from '../export/export-common.js';
import type { ExportResult } from '../export/export-types.js';
import type { Dl1Summary } from '../dl1/dl1-types.js';
import type { FormatDescription } from './format-description.js';
import type { WatchmalSummary } from '../watchmal/watchmal-types.js';
import type { SimtelSummary } from '../simtel/simtel-reader.js';

export type { FormatDescription, FormatId, FormatOffer, FormatView } from './format-description.js';

/** A format's own summary of an open file (kept in FileSummary under its name). */
export interface FormatDetails {
  dl1?: Dl1Summary;
  watchmal?: WatchmalSummary;
  simtel?: SimtelSummary;
}

export interface FormatSummary {
  details: FormatDetails;
  /** one line for the UI */
  line: string;
  /** events in the file (0 when it has none) */
  eventCount: number;
  /** what `lightpool info` prints about it (after the file line) */
  info: string[];
}

/** A registered format: its description, and how it recognises, reads and writes files (in the HDF5 worker). */
export interface FileFormat<R = unknown> extends FormatDescription {
  /** true when an open HDF5 file is of this format (cheap: a look at the tree) */
  recognise(file: H5File): boolean;
  /** its reader for a recognised file */
  open(file: H5File, cache: ChunkCache): R;
  /** what the file holds (`datasets`: how many the file lists, `truncated` when more) */
  summarize(reader: R, tree: { datasets: number; truncated: boolean }): FormatSummary;
  /** writes the selected events to `output` in the same layout (formats that offer 'subset-export') */
  exportSubset?(reader: R, selection: Selection, output: string, env: ExportEnv): ExportResult;
}

/**
 * A format that is not HDF5 (sim_telarray EventIO): recognised by its first
 * bytes and its name, read from its path by its own streaming reader. Its
 * files have no HDF5 tree; what they offer is said in `offers` as for the others.
 */
export interface StreamFileFormat<R = unknown> extends FormatDescription {
  /** true when a file starting with `head` (its first bytes, up to 64) and named `path` is of this format */
  recogniseBytes(head: Uint8Array, path: string): boolean;
  /** its reader (throws an error naming the file when it cannot be read) */
  openPath(path: string): R;
  summarize(reader: R): FormatSummary;
  close(reader: R): void;
}

/** the description alone (what travels) */
export function describeFormat(f: FormatDescription): FormatDescription {
  return { id: f.id, label: f.label, offers: [...f.offers], views: [...f.views] };
}
