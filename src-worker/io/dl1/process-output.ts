/**
 * The file `lightpool process` writes, in ctapipe's DL1/DL2 layout:
 *
 * - everything of the input that processing does not change, copied as it is
 *   (configuration, /dl1/event/subarray/trigger, /dl1/event/telescope/trigger,
 *   simulation tables), with the groups and their attributes;
 * - /dl1/event/telescope/images/tel_NNN: the input rows with the new
 *   image_mask;
 * - /dl1/event/telescope/parameters/tel_NNN: the recomputed parameters, with
 *   the input table's columns (names, dtypes, order, attributes) when it has
 *   one;
 * - /dl2/event/subarray/geometry/HillasReconstructor and
 *   /dl2/event/telescope/impact/HillasReconstructor/tel_NNN.
 *
 * - /dl1/service/image_statistics and
 *   /dl2/service/tel_event_statistics/HillasReconstructor: the quality
 *   queries this run applied, with its counts (the input's are not copied).
 *
 * The root group keeps the input's attributes plus Lightpool's provenance.
 */
import type { Metadata } from 'h5wasm/node';
import { TableReader, ChunkCache } from '../hdf5/table-reader.js';
import { H5Writer, type AttrSpec, type DatasetWriter } from '../hdf5/writer/h5-writer.js';
import type { TypeDesc } from '../hdf5/writer/datatype-encode.js';
import { int64Attr, readAttributeSpecs, setAttr } from '../export/copy-attributes.js';
import { chunkOptions, copyDataset, listTree, provenanceAttributes, type ExportEnv } from '../export/export-common.js';
import type { FieldSpec } from '../hdf5/h5-dtype.js';
import { RowEncoder, compoundTypeOf, pyTablesAttributes, type ColumnSpec } from './table-rows.js';
import type { ImageRows, ProcessInput } from './process-input.js';
import { CTAPIPE_TABLE_VERSION, DL1_PATHS, GEOMETRY_COLUMNS, HILLAS_RECONSTRUCTOR, IMPACT_COLUMNS, PARAMETER_COLUMNS, telTableName } from './dl1-layout.js';
import { stringAttr } from '../export/copy-attributes.js';
import { writeQualityStatistics } from './quality-statistics-table.js';
import { writeImageMasks } from './image-masks.js';
import { filtersFor, type FilterChoice, type OutputCompression } from '../hdf5/writer/output-filters.js';
import { directTable, storedFilters } from '../hdf5/read/direct-chunks.js';
import { FILTER_BLOSC, FILTER_DEFLATE, FILTER_FLETCHER32, FILTER_SHUFFLE } from '../hdf5/read/filters.js';
import { hasPointers } from '../hdf5/h5-dtype.js';
import { BLOSC_COMPCODE_ZSTD } from '../hdf5/writer/blosc-encode.js';
import type { QualityCounts, QualityCriterion } from '../../selection/quality-query.js';

const GEOMETRY_PATH = `${DL1_PATHS.dl2Geometry}/${HILLAS_RECONSTRUCTOR}`;
const IMPACT_GROUP = `${DL1_PATHS.dl2Impact}/${HILLAS_RECONSTRUCTOR}`;

/** Paths (prefixes) the output rewrites or leaves out. */
const NOT_COPIED = [`${DL1_PATHS.images}/`, `${DL1_PATHS.parameters}/`, `${DL1_PATHS.dl2}/`, DL1_PATHS.imageStatistics];

function rewritten(path: string): boolean {
  return NOT_COPIED.some((p) => path === p || path.startsWith(p));
}

export interface ProcessProvenance {
  command: string;
  software: { name: string; version: string };
  /** a description of the cleaning and quality settings */
  settings: string;
}

/** A table being written: its row encoder and dataset. */
interface OpenTable {
  encoder: RowEncoder;
  writer: DatasetWriter;
  attrs: AttrSpec[];
}

export class ProcessOutput {
  readonly writer: H5Writer;
  private readonly cache = new ChunkCache(64 << 20);
  private images = new Map<number, { table: TableReader; writer: DatasetWriter; mask: FieldSpec; attrs: AttrSpec[] }>();
  readonly env: ExportEnv;
  /** the output's compression: by default each table's as in the input (ctapipe's: Blosc/zstd 5 + fletcher32) */
  readonly compression: OutputCompression;
  /** the filters of the input's first image table: those of tables that have no source table */
  private readonly fileFilters: FilterChoice;

  constructor(
    readonly input: ProcessInput,
    readonly path: string,
    provenance: ProcessProvenance,
    env: Pick<ExportEnv, 'checkCancel' | 'progress'> & { level?: number; compression?: OutputCompression },
  ) {
    this.compression = env.compression ?? { kind: 'input', level: env.level };
    const firstImages = input.telescopes.find((t) => t.images)?.images?.path;
    this.fileFilters = filtersFor(firstImages ? storedFilters(input.file, firstImages) : null, this.compression);
    this.env = {
      progress: env.progress,
      checkCancel: env.checkCancel,
      level: this.fileFilters.deflateLevel ?? this.compression.level ?? 4,
      command: provenance.command,
      software: provenance.software,
      skipped: [],
    };
    this.writer = H5Writer.create(path);
    try {
      this.copyUnchanged(provenance);
    } catch (err) {
      this.writer.abort();
      throw err;
    }
  }

  private copyUnchanged(provenance: ProcessProvenance): void {
    const file = this.input.file;
    const env = this.env;
    const { groups, datasets } = listTree(file);
    const root = readAttributeSpecs(file, '/', env.skipped);
    for (const a of provenanceAttributes(env, file.path, [['process_settings', provenance.settings]], 'pytables')) setAttr(root, a);
    this.writer.rootAttributes(root);
    for (const g of groups) {
      if (g.startsWith(DL1_PATHS.dl2Service) || g === DL1_PATHS.imageStatistics) continue;
      this.writer.group(g, readAttributeSpecs(file, g, env.skipped));
    }
    const copied = datasets.filter((d) => !rewritten(d));
    copied.forEach((d, i) => {
      env.checkCancel();
      env.progress({ phase: 'copy', done: i, total: copied.length, current: d });
      const attrs = readAttributeSpecs(file, d, env.skipped);
      if (!this.copyStoredChunks(d, attrs)) copyDataset(file, this.writer, d, attrs, env, this.filtersOf(d));
    });
  }

  /**
   * Copies a 1-D chunked table whose output filters are its input filters
   * as its stored chunks, without decoding or encoding them (false when
   * that does not apply: the caller copies it row by row).
   */
  private copyStoredChunks(path: string, attrs: AttrSpec[]): boolean {
    const file = this.input.file;
    const meta = file.metadata(path);
    const chunkRows = meta.chunks?.[0];
    if ((meta.shape ?? []).length !== 1 || !chunkRows || (meta.chunks ?? []).length !== 1 || hasPointers(meta)) return false;
    const n = meta.shape![0];
    const direct = directTable(file, path, meta.size, n, chunkRows);
    if (!direct?.complete) return false;
    const choice = this.filtersOf(path);
    const ids = choice.blosc
      ? [...(choice.fletcher32 ? [FILTER_FLETCHER32] : []), FILTER_BLOSC]
      : [
          ...(choice.fletcher32 ? [FILTER_FLETCHER32] : []),
          ...(choice.shuffle ? [FILTER_SHUFFLE] : []),
          ...(choice.deflateLevel !== null ? [FILTER_DEFLATE] : []),
        ];
    const source = direct.layout.filters;
    if (source.length !== ids.length || source.some((f, i) => f.id !== ids[i])) return false;
    // the same level (and Blosc's zstd), or the chunks are re-encoded
    const blosc = source.find((f) => f.id === FILTER_BLOSC);
    if (blosc && (blosc.clientData[4] !== choice.blosc?.level || blosc.clientData[6] !== BLOSC_COMPCODE_ZSTD)) return false;
    const deflate = source.find((f) => f.id === FILTER_DEFLATE);
    if (deflate && deflate.clientData[0] !== choice.deflateLevel) return false;
    const opts = { ...chunkOptions(meta, meta.size, this.env.level), ...choice };
    if (opts.chunkRows !== chunkRows) return false;
    const chunks: { bytes: Uint8Array; rows: number }[] = [];
    for (let b = 0; b * chunkRows < n; b++) {
      const s = direct.stored(b);
      if (!s || s.filterMask !== 0) return false;
      chunks.push({ bytes: s.bytes, rows: Math.min(chunkRows, n - b * chunkRows) });
    }
    const dw = this.writer.dataset(path, meta as unknown as TypeDesc, [], opts);
    for (const c of chunks) dw.appendEncodedChunk(c.bytes, c.rows);
    dw.finish(attrs);
    return true;
  }

  /** The output filters of a table written from the input's `source` (null: none, the file's). */
  private filtersOf(source: string | null): FilterChoice {
    if (source === null) return this.fileFilters;
    const f = storedFilters(this.input.file, source);
    return f ? filtersFor(f, this.compression) : this.fileFilters;
  }

  private imageWriter(telId: number, table: TableReader): { table: TableReader; writer: DatasetWriter; mask: FieldSpec; attrs: AttrSpec[] } {
    let w = this.images.get(telId);
    if (!w) {
      const path = `${DL1_PATHS.images}/${telTableName(telId)}`;
      if (!table.hasField('image_mask')) {
        throw new Error(`${this.input.file.path}: ${path} has no image_mask column to write the new masks into`);
      }
      const mask = table.field('image_mask');
      const attrs = readAttributeSpecs(this.input.file, path, this.env.skipped);
      const opts = { ...chunkOptions(table.meta, table.rowSize, this.env.level), ...this.filtersOf(path) };
      const writer = this.writer.dataset(path, table.meta as unknown as TypeDesc, [], opts);
      w = { table, writer, mask, attrs };
      this.images.set(telId, w);
    }
    return w;
  }

  /**
   * Appends image rows of telescope `telId` with their new masks, given as
   * the cleaned pixels of each row: pixels[offsets[r] .. offsets[r + 1]).
   */
  appendImages(telId: number, table: TableReader, rows: ImageRows, pixels: Int32Array, offsets: Int32Array): void {
    const w = this.imageWriter(telId, table);
    writeImageMasks(rows.raw, table.rowSize, w.mask, rows.count, pixels, offsets, `tel ${telId}`);
    w.writer.appendRows(rows.raw, rows.count);
  }

  /**
   * The filters, chunk rows and mask column of telescope `telId`'s output
   * image table, for pool workers that encode its chunks themselves
   * (appendEncodedImages).
   */
  imageChunkFormat(telId: number, table: TableReader): { filters: FilterChoice; chunkRows: number; mask: FieldSpec } {
    const o = this.imageWriter(telId, table).writer.opts;
    return {
      filters: { deflateLevel: o.deflateLevel, shuffle: o.shuffle, blosc: o.blosc ?? null, fletcher32: o.fletcher32 ?? false },
      chunkRows: o.chunkRows,
      mask: this.imageWriter(telId, table).mask,
    };
  }

  /** Appends whole image-table chunks that a worker encoded (rows[i] rows in chunk i), their masks already new. */
  appendEncodedImages(telId: number, table: TableReader, chunks: readonly Uint8Array[], rows: readonly number[]): void {
    const w = this.imageWriter(telId, table);
    chunks.forEach((c, i) => w.writer.appendEncodedChunk(c, rows[i]));
  }

  finishImages(telId: number): void {
    const w = this.images.get(telId);
    if (!w) return;
    if (w.attrs.some((a) => a.name === 'NROWS')) setAttr(w.attrs, int64Attr('NROWS', w.writer.nRows));
    w.writer.finish(w.attrs);
  }

  /**
   * The input's table at `path` as a template (type + attributes), or one
   * built from `columns` with ctapipe's column attributes.
   */
  private openTable(path: string, template: string | null, columns: () => readonly ColumnSpec[]): OpenTable {
    const file = this.input.file;
    if (template && file.hasDataset(template)) {
      const meta = file.metadata(template) as Metadata;
      const t = new TableReader(file, template, this.cache);
      const attrs = readAttributeSpecs(file, template, this.env.skipped);
      const writer = this.writer.dataset(path, meta as unknown as TypeDesc, [], {
        ...chunkOptions(meta, t.rowSize, this.env.level),
        ...this.filtersOf(template),
      });
      return { encoder: new RowEncoder(meta as unknown as TypeDesc), writer, attrs };
    }
    const cols = [...columns()];
    const type = compoundTypeOf(cols);
    const writer = this.writer.dataset(path, type, [], { chunkRows: Math.max(1, Math.floor((64 * 1024) / type.size)), ...this.filtersOf(null) });
    return { encoder: new RowEncoder(type), writer, attrs: [...pyTablesAttributes(cols, 0), stringAttr('CTAPIPE_VERSION', CTAPIPE_TABLE_VERSION)] };
  }

  private finishTable(t: OpenTable): void {
    setAttr(t.attrs, int64Attr('NROWS', t.writer.nRows));
    t.writer.finish(t.attrs);
  }

  /** A template for a per-telescope table of `group`: this telescope's, else any other's. */
  private templateIn(group: string, telId: number): string | null {
    const own = `${group}/${telTableName(telId)}`;
    const file = this.input.file;
    if (file.hasDataset(own)) return own;
    if (file.kindOf(group) !== 'group') return null;
    const other = file.keys(group).find((k) => file.hasDataset(`${group}/${k}`));
    return other ? `${group}/${other}` : null;
  }

  /**
   * Writes /dl1/event/telescope/parameters/tel_NNN: per row obs_id, event_id,
   * the packed parameters (`columns` names them) and core_psi (deg, NaN when
   * the telescope was not used by the stereo reconstruction).
   */
  writeParameters(
    telId: number,
    rows: { obsId: Float64Array; eventId: Float64Array; packed: Float64Array; corePsi: Float64Array; n: number },
    columns: string[],
  ): void {
    const path = `${DL1_PATHS.parameters}/${telTableName(telId)}`;
    const t = this.openTable(path, this.templateIn(DL1_PATHS.parameters, telId), () => PARAMETER_COLUMNS);
    const index = new Map(columns.map((c, i) => [c, i]));
    const nCol = columns.length;
    const enc = t.encoder;
    type Source = { f: FieldSpec; get: (r: number) => number };
    const sources: Source[] = [];
    for (const f of enc.fields) {
      const k = index.get(f.name);
      let get: (r: number) => number;
      if (f.name === 'obs_id') get = (r) => rows.obsId[r];
      else if (f.name === 'event_id') get = (r) => rows.eventId[r];
      else if (f.name === 'tel_id') get = () => telId;
      else if (f.name === 'core_psi') get = (r) => rows.corePsi[r];
      else if (k !== undefined) get = (r) => rows.packed[r * nCol + k];
      else {
        const note = `${path}:${f.name} (not computed by Lightpool: written as ${f.kind === 'float' ? 'NaN' : '-1'})`;
        if (!this.env.skipped.includes(note)) this.env.skipped.push(note);
        get = () => NaN;
      }
      sources.push({ f, get });
    }
    this.writeRows(t, rows.n, sources);
    this.finishTable(t);
  }

  private writeRows(t: OpenTable, n: number, sources: { f: FieldSpec; get: (r: number) => number; k?: number }[]): void {
    const block = Math.max(1, Math.floor((4 << 20) / t.encoder.rowSize));
    for (let s = 0; s < n; s += block) {
      this.env.checkCancel();
      const c = Math.min(block, n - s);
      const bytes = new Uint8Array(c * t.encoder.rowSize);
      const view = new DataView(bytes.buffer);
      for (let r = 0; r < c; r++) {
        const o = r * t.encoder.rowSize;
        for (const src of sources) {
          if (src.f.count > 1) continue;
          RowEncoder.set(view, o, src.f, src.get(s + r));
        }
      }
      // array columns (e.g. the telescope mask) are filled by their own callback per element
      for (const src of sources) {
        if (src.f.count <= 1) continue;
        const arr = src as unknown as { f: FieldSpec; getArray: (r: number, k: number) => number };
        for (let r = 0; r < c; r++) for (let k = 0; k < src.f.count; k++) RowEncoder.set(view, r * t.encoder.rowSize, src.f, arr.getArray(s + r, k), k);
      }
      t.writer.appendRows(bytes, c);
    }
  }

  /**
   * Writes /dl2/event/subarray/geometry/HillasReconstructor: one row per
   * event of the trigger table, the columns of ctapipe's
   * ReconstructedGeometryContainer with the HillasReconstructor_ prefix.
   * `value(event, column)` gives a column's value (column without prefix);
   * `telescopeUsed(event, k)` whether the k-th telescope of the subarray (by
   * ascending tel_id) was used.
   */
  writeGeometry(
    nEvents: number,
    obsId: Float64Array,
    eventId: Float64Array,
    value: (e: number, column: string) => number,
    telescopeUsed: (e: number, k: number) => boolean,
    nTelescopes: number,
  ): void {
    const P = 'HillasReconstructor_';
    const t = this.openTable(GEOMETRY_PATH, GEOMETRY_PATH, () =>
      GEOMETRY_COLUMNS.map((c) => (c.name === `${P}telescopes` ? { ...c, shape: [nTelescopes] } : c)),
    );
    const sources = t.encoder.fields.map((f) => {
      if (f.name === 'obs_id') return { f, get: (e: number) => obsId[e] };
      if (f.name === 'event_id') return { f, get: (e: number) => eventId[e] };
      if (f.name === `${P}telescopes`) {
        if (f.count !== nTelescopes)
          throw new Error(`${GEOMETRY_PATH}: the input's telescope mask has ${f.count} entries, the subarray ${nTelescopes} telescopes`);
        return { f, get: () => 0, getArray: (e: number, k: number) => (telescopeUsed(e, k) ? 1 : 0) };
      }
      const column = f.name.startsWith(P) ? f.name.slice(P.length) : f.name;
      return { f, get: (e: number) => value(e, column) };
    });
    this.writeRows(t, nEvents, sources);
    this.finishTable(t);
  }

  /** Writes /dl2/event/telescope/impact/HillasReconstructor/tel_NNN (distance of the telescope to the shower axis, m). */
  writeImpact(telId: number, obsId: Float64Array, eventId: Float64Array, distance: Float64Array, n: number): void {
    const path = `${IMPACT_GROUP}/${telTableName(telId)}`;
    const P = 'HillasReconstructor_tel_';
    const t = this.openTable(path, this.templateIn(IMPACT_GROUP, telId), () => IMPACT_COLUMNS);
    const sources = t.encoder.fields.map((f) => {
      if (f.name === 'obs_id') return { f, get: (r: number) => obsId[r] };
      if (f.name === 'event_id') return { f, get: (r: number) => eventId[r] };
      if (f.name === 'tel_id') return { f, get: () => telId };
      if (f.name === `${P}impact_distance`) return { f, get: (r: number) => distance[r] };
      return { f, get: () => NaN };
    });
    this.writeRows(t, n, sources);
    this.finishTable(t);
  }

  /** ctapipe-process's record of a quality query (see quality-statistics-table.ts). */
  writeQualityStatistics(path: string, criteria: readonly QualityCriterion[], counts: QualityCounts): void {
    writeQualityStatistics(this.writer, path, criteria, counts, this.env.level);
  }

  close(): number {
    this.writer.close();
    return this.writer.bytesWritten;
  }

  abort(): void {
    this.writer.abort();
  }
}
