/**
 * The file part of the API: open an HDF5 file, browse it (tree, slices, table
 * rows), step through its events (ctapipe DL1 as array events, WatChMaL as
 * tank events), and export subsets with progress and cancel.
 *
 * Types of the HDF5 worker's results are re-used as they are (type-only
 * imports: the renderer never loads worker code).
 */
import { imageExtractorChoiceSchema, type ImageExtractorType, type ResolvedImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';
import { z } from 'zod';
import type { ExportProgress, ExportResult } from '../../src-worker/io/export/export-types.js';
import type { FormatDescription, FormatId, FormatOffer, FormatView } from '../../src-worker/io/formats/format-description.js';
import type { ArrayEvent } from './event-types.js';
import type { CameraGeometry, SubarrayDescription } from './instrument-types.js';
import type { TreeNode } from '../../src-worker/io/hdf5/browse-types.js';
import type { SliceResult } from '../../src-worker/io/hdf5/browse-types.js';
import type { TableRowsResult } from '../../src-worker/io/hdf5/browse-types.js';
import type { PmtGeometry } from '../../src-worker/containers/pmt-geometry.js';
import type { WatchmalEvent } from '../../src-worker/io/watchmal/watchmal-types.js';
import type { PixelWaveform, PixelWaveforms } from '../../src-worker/containers/pixel-waveforms.js';
import type {
  WaveformGain,
  WaveformLevel,
  WaveformLevelInfo,
  WaveformLevels,
  WaveformSums,
  TelescopeWaveformSums,
} from '../../src-worker/containers/waveform-sums.js';

export type { PixelWaveform, PixelWaveforms, WaveformGain, WaveformLevel, WaveformLevelInfo, WaveformLevels, WaveformSums, TelescopeWaveformSums };
export type { SliceResult, TableRowsResult, TreeNode, ExportProgress, ExportResult, FormatDescription, FormatId, FormatOffer, FormatView };

const fileId = z.string().min(1).max(200);
const nonNegInt = z.number().int().nonnegative();

export const fileRequestSchemas = {
  'file.open': z.object({ path: z.string().min(1).max(4096) }).strict(),
  /**
   * what is inside a data directory (serve mode's Open…): its folders and the
   * files Lightpool can open, with size and kind; without `dir`, the data
   * directories themselves. A folder outside them is refused.
   */
  'file.browse': z.object({ dir: z.string().min(1).max(4096).optional() }).strict(),
  'file.close': z.object({ fileId }).strict(),
  'file.list': z.object({}).strict(),
  /** the tree of groups and datasets under `path` (default "/") */
  'file.tree': z.object({ fileId, path: z.string().min(1).max(4096).optional(), maxDepth: nonNegInt.max(64).optional() }).strict(),
  /** a hyperslab of a numeric or string dataset (bounded in size by the worker) */
  'file.readSlice': z
    .object({
      fileId,
      path: z.string().min(1).max(4096),
      start: z.array(nonNegInt).max(32).optional(),
      count: z.array(nonNegInt).max(32).optional(),
    })
    .strict(),
  /** rows [start, start+count) of a compound table, one typed array per column */
  'file.readTableRows': z
    .object({
      fileId,
      path: z.string().min(1).max(4096),
      start: nonNegInt,
      count: nonNegInt.max(100_000),
      columns: z.array(z.string().max(256)).max(10_000).optional(),
    })
    .strict(),
  /** the subarray of a DL1 file, in the same shape as the live one */
  'file.subarray': z.object({ fileId }).strict(),
  /** event `index` (0-based, in file order) of a DL1 or WatChMaL file */
  'file.event': z.object({ fileId, index: nonNegInt }).strict(),
  /** event by (obs_id, event_id) of a DL1 file: its index, or a not-found error */
  'file.findEvent': z.object({ fileId, obsId: z.number().int(), eventId: z.number().int() }).strict(),
  /** a camera geometry as stored in a DL1 file (the live view's instrument.geometry, for file cameras) */
  'file.geometry': z.object({ fileId, camera: z.string().min(1).max(200) }).strict(),
  /**
   * the waveforms of up to 64 pixels of telescope `telId` in event `index` (sim_telarray files, and ctapipe
   * HDF5 files with /r1 or /r0 waveform tables): R1 (p.e./sample), R0 high and low gain when `r0`, the
   * extraction window, the extracted charge and peak time, true photo-electrons where the file has them
   */
  'file.waveforms': z
    .object({ fileId, index: nonNegInt, telId: nonNegInt.max(100_000), pixels: z.array(nonNegInt.max(10_000_000)).min(1).max(64), r0: z.boolean().optional() })
    .strict(),
  /**
   * the image extractor a sim_telarray file's images, peak times and waveform windows are computed with
   * (ctapipe's ImageExtractor classes and traits: NeighborPeakWindowSum, LocalPeakWindowSum,
   * GlobalPeakWindowSum, FixedWindowSum): without `extractor` only says which; `null` goes back to
   * ctapipe's default (NeighborPeakWindowSum, width 7, shift 3)
   */
  'file.extractor': z.object({ fileId, extractor: imageExtractorChoiceSchema.nullable().optional() }).strict(),
  /**
   * whether the file has R0 and R1 waveforms a camera can show the sums of (R0: how many gains), with
   * their unit, what is summed, and why not when it has none
   */
  'file.waveformLevels': z.object({ fileId }).strict(),
  /**
   * per pixel, the sum over samples of the R0 (`r0.waveform[gain].sum(axis=-1)`: raw ADC counts,
   * pedestal included; gain high unless asked) or R1 (`r1.waveform.sum(axis=-1)`: p.e., calibrated and
   * gain-selected) waveforms of the telescopes `telIds` (default: every telescope with data) in event
   * `index`: a whole camera in one call, computed in the worker that reads the waveforms
   */
  'file.waveformSums': z
    .object({
      fileId,
      index: nonNegInt,
      level: z.enum(['r0', 'r1']),
      gain: z.enum(['high', 'low']).optional(),
      telIds: z.array(nonNegInt.max(100_000)).min(1).max(1000).optional(),
    })
    .strict(),
  /** the PMT geometry for a WatChMaL file (chosen by PMT count unless named) */
  'file.pmtGeometry': z.object({ fileId, name: z.string().max(200).optional() }).strict(),
  /**
   * starts writing a subset of the file (a sim_telarray file's selected events: calibrated to ctapipe's DL1
   * layout as `lightpool export` does; by index, not by cut); the reply comes at once with the job id, progress and the end
   * arrive on the "export-progress" stream under that id (give your own `jobId` to match messages that
   * could arrive before the reply)
   */
  'file.export': z
    .object({
      fileId,
      out: z.string().min(1).max(4096),
      selection: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('indices'), indices: z.array(nonNegInt).min(1).max(10_000_000) }).strict(),
        z.object({ kind: z.literal('where'), expr: z.string().min(1).max(10_000) }).strict(),
      ]),
      overwrite: z.boolean().optional(),
      /** a sim_telarray file: also write the R0 and R1 waveform tables (ctapipe's DataWriter.write_r0/r1_waveforms) */
      writeWaveforms: z.boolean().optional(),
      jobId: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,100}$/)
        .optional(),
    })
    .strict(),
  'file.exportCancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
} as const;

export interface FileOpenResult {
  /** names the file in later requests */
  fileId: string;
  path: string;
  /** the file's format (the file-format registry's id) */
  kind: FormatId;
  /** what the format is and offers, and the views that open it (the first: where the file goes) */
  format: FormatDescription;
  /** one line for the user */
  summary: string;
  /** events in the file (formats with events), else 0 */
  eventCount: number;
  /** bytes on disk */
  size: number;
}

/** One event of an open file, ready for the views. */
export type FileEvent =
  | { kind: 'dl1'; fileId: string; index: number; count: number; event: ArrayEvent }
  | { kind: 'watchmal'; fileId: string; index: number; count: number; event: WatchmalEvent };

/** What file.browse lists: a folder, or a file Lightpool can open (recognised by its first bytes). */
export interface DataEntry {
  name: string;
  /** absolute path on the serving machine (give it to file.open, points.read or file.browse) */
  path: string;
  /** 'hdf5': an HDF5 file (DL1, WatChMaL or any other: file.open says which); 'simtel': sim_telarray EventIO; 'npy'/'npz': NumPy arrays for the Points tab */
  kind: 'folder' | 'hdf5' | 'simtel' | 'npy' | 'npz';
  /** bytes (0 for folders) */
  size: number;
  /** last modification, s since the epoch */
  modified: number;
}

export interface DataListing {
  /** the folder listed (absolute); absent when listing the data directories themselves */
  dir?: string;
  /** the folder above, when it is inside a data directory */
  parent?: string;
  /** the data directories */
  roots: string[];
  /** folders first, then files, each by name */
  entries: DataEntry[];
  /** true when the folder held more entries than are listed */
  truncated: boolean;
}

/** Reply of file.extractor. */
export interface FileExtractor {
  /** the extractor in use, every trait set (ctapipe's names in camelCase: windowWidth, windowShift, ...) */
  extractor: ResolvedImageExtractorConfig;
  /** true when it is ctapipe's CameraCalibrator default */
  isDefault: boolean;
  /** false for files that hold their images (DL1): the extractor cannot be chosen there */
  choosable: boolean;
  /** the extractors one can choose */
  types: ImageExtractorType[];
}

export interface FileExportStarted {
  jobId: string;
  /** the absolute output path */
  out: string;
}

export interface FileReplies {
  'file.open': FileOpenResult;
  'file.browse': DataListing;
  'file.close': { closed: boolean };
  'file.list': FileOpenResult[];
  'file.tree': TreeNode;
  'file.readSlice': SliceResult;
  'file.readTableRows': TableRowsResult;
  'file.subarray': SubarrayDescription;
  'file.event': FileEvent;
  'file.findEvent': { index: number };
  'file.geometry': CameraGeometry;
  'file.pmtGeometry': PmtGeometry;
  'file.waveforms': PixelWaveforms;
  'file.extractor': FileExtractor;
  'file.waveformLevels': WaveformLevels;
  'file.waveformSums': WaveformSums;
  'file.export': FileExportStarted;
  'file.exportCancel': { cancelled: boolean };
}

export interface ExportProgressMessage {
  jobId: string;
  fileId: string;
  out: string;
  progress?: ExportProgress;
  /** set once, when the job has ended */
  done?: { ok: true; result: ExportResult } | { ok: false; message: string; cancelled: boolean };
}

export interface FileStreams {
  /** a file was opened (by any renderer, the shell's menu, drag-and-drop, or the command line) */
  'file-opened': FileOpenResult;
  'export-progress': ExportProgressMessage;
}

export const fileStreamNames = ['file-opened', 'export-progress'] as const satisfies readonly (keyof FileStreams)[];
