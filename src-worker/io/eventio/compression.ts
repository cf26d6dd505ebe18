/**
 * Which whole-file compression a file uses, from its first bytes (the way
 * pyeventio's file_types.py and the `file` command tell them apart).
 */
import type { StreamCodec } from './stream-decoder.js';
import { gzipCodec } from './gzip-decoder.js';
import { gzipNativeCodec } from './gzip-native-decoder.js';
import { zstdCodec } from './zstd-decoder.js';

export type Compression = 'none' | 'gzip' | 'zstd';

export type CompressionGuess = { kind: Compression } | { kind: 'unsupported'; name: string };

const UNSUPPORTED: { magic: number[]; name: string }[] = [
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz' },
  { magic: [0x5d, 0x00, 0x00], name: 'lzma' },
  { magic: [0x04, 0x22, 0x4d, 0x18], name: 'lz4' },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'zip' },
  { magic: [0x1f, 0x9d], name: 'Unix compress (.Z)' },
  { magic: [0x89, 0x48, 0x44, 0x46], name: 'HDF5 (not EventIO)' },
];

export function detectCompression(head: Uint8Array): CompressionGuess {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return { kind: 'zstd' };
  for (const u of UNSUPPORTED) {
    if (head.length >= u.magic.length && u.magic.every((b, i) => head[i] === b)) return { kind: 'unsupported', name: u.name };
  }
  return { kind: 'none' };
}

/** The decoder for a compression; `sequential`: the file is read once in order (gzip: Node's zlib, no checkpoints). */
export function codecFor(kind: Compression, sequential = false): StreamCodec | null {
  if (kind === 'gzip') return sequential ? gzipNativeCodec : gzipCodec;
  if (kind === 'zstd') return zstdCodec;
  return null;
}
