/** Whether a file is sim_telarray output, from its first bytes and its name (cheap: for the registry and the data browser). */
import { detectCompression } from '../eventio/compression.js';
import { syncByteOrder } from '../eventio/object-header.js';

/** names sim_telarray output goes by (a compressed file is taken by its name: its first bytes are the compressor's) */
const SIMTEL_NAME = /\.(simtel|simtel\.gz|simtel\.zst|simtel\.zstd|eventio|eventio\.gz|eventio\.zst)$/i;

/** A plain EventIO file starts with the sync marker (either byte order); a gzip or zstd one is taken by its name. */
export function looksLikeSimtel(head: Uint8Array, path: string): boolean {
  if (head.length >= 4 && syncByteOrder(head, 0) !== null) return true;
  const c = detectCompression(head);
  return (c.kind === 'gzip' || c.kind === 'zstd') && SIMTEL_NAME.test(path);
}
