/** Whether a file is sim_telarray output, from its first bytes and its name (cheap: for the registry and the data browser). */
import { syncByteOrder } from '../eventio/object-header.js';

/** names sim_telarray output goes by (a compressed file is taken by its name: its first bytes are the compressor's) */
const SIMTEL_NAME = /\.(simtel|simtel\.gz|simtel\.zst|simtel\.zstd|eventio|eventio\.gz|eventio\.zst)$/i;

/** "\x89HDF", the start of the HDF5 signature */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46];

/**
 * A plain EventIO file starts with the sync marker (either byte order); a
 * gzip or zstd one is taken by its name. A file named like sim_telarray
 * output is taken as one unless it starts as HDF5, so that a damaged one is
 * told what is wrong with it as EventIO (not that it is no HDF5 file).
 */
export function looksLikeSimtel(head: Uint8Array, path: string): boolean {
  if (head.length >= 4 && syncByteOrder(head, 0) !== null) return true;
  if (!SIMTEL_NAME.test(path)) return false;
  return !HDF5_SIGNATURE.every((b, i) => head[i] === b);
}
