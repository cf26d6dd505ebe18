/**
 * Which filters a written table gets: by default those of the table it comes
 * from (ctapipe's files: Blosc/zstd level 5 with shuffle and fletcher32, as
 * PyTables writes them; a zlib file stays zlib), or one compressor chosen
 * for every table (`blosc`: Blosc/zstd + fletcher32 like ctapipe; `gzip`:
 * shuffle + deflate; `none`), with an optional level (Blosc 1-9, gzip 0-9;
 * 0 stores the chunks as they are). A table with no source (or whose source
 * cannot be read) gets ctapipe's default. Blosc needs h5wasm-plugins'
 * codecs; without them gzip is written.
 */
import type { PipelineFilter } from '../read/chunk-index.js';
import { FILTER_BLOSC, FILTER_DEFLATE, FILTER_FLETCHER32, FILTER_SHUFFLE } from '../read/filters.js';
import { bloscAvailable } from './blosc-encode.js';
import type { ChunkOptions } from './h5-writer.js';

export type CompressionKind = 'input' | 'blosc' | 'gzip' | 'none';
export const COMPRESSION_KINDS: readonly CompressionKind[] = ['input', 'blosc', 'gzip', 'none'];

export interface OutputCompression {
  kind: CompressionKind;
  /** the compressor's level; undefined: the source's (input) or the default (Blosc 5, gzip 4) */
  level?: number;
}

export type FilterChoice = Pick<ChunkOptions, 'deflateLevel' | 'shuffle' | 'blosc' | 'fletcher32'>;

const NONE: FilterChoice = { deflateLevel: null, shuffle: false, blosc: null, fletcher32: false };

function blosc(level: number | undefined, shuffle = true, fletcher32 = true): FilterChoice {
  if (level === 0) return NONE;
  if (!bloscAvailable()) return gzip(undefined);
  return { deflateLevel: null, shuffle, blosc: { level: Math.min(9, Math.max(1, level ?? 5)) }, fletcher32 };
}

function gzip(level: number | undefined, shuffle = true, fletcher32 = false): FilterChoice {
  if (level === 0) return NONE;
  return { deflateLevel: level ?? 4, shuffle, blosc: null, fletcher32 };
}

/** The filters of a table written from one with pipeline `source` (null: none to follow). */
export function filtersFor(source: readonly PipelineFilter[] | null, c: OutputCompression): FilterChoice {
  switch (c.kind) {
    case 'none':
      return NONE;
    case 'blosc':
      return blosc(c.level);
    case 'gzip':
      return gzip(c.level);
    case 'input': {
      if (!source) return blosc(c.level);
      const has = (id: number) => source.find((f) => f.id === id);
      const fletcher32 = !!has(FILTER_FLETCHER32);
      const b = has(FILTER_BLOSC);
      if (b) return blosc(c.level ?? b.clientData[4], (b.clientData[5] ?? 1) !== 0, fletcher32);
      const d = has(FILTER_DEFLATE);
      if (d) return gzip(c.level ?? d.clientData[0], !!has(FILTER_SHUFFLE), fletcher32);
      return { ...NONE, fletcher32 };
    }
  }
}

/** A short description for notes and summaries, e.g. "blosc:zstd 5 + fletcher32". */
export function describeFilters(f: FilterChoice): string {
  const parts = [f.blosc ? `blosc:zstd ${f.blosc.level}` : f.deflateLevel !== null ? `gzip ${f.deflateLevel}` : 'uncompressed'];
  if (f.fletcher32) parts.push('fletcher32');
  return parts.join(' + ');
}
