/**
 * A chunk's stored bytes (as read from the file, filters applied) decoded
 * anywhere, e.g. in a pool worker that got them as a transferred buffer:
 * the same filters as the chunk fast path (direct-chunks.ts), Blosc with
 * its fletcher32 trailer checked in the decoders' memory, deflate, shuffle
 * and fletcher32 outside it. Throws on anything it cannot decode or a
 * failed checksum; the caller names the file and table.
 */
import type { PipelineFilter } from './chunk-index.js';
import { FILTER_BLOSC, FILTER_DEFLATE, FILTER_FLETCHER32, FILTER_SHUFFLE, inflate, undoFletcher32, unshuffleThenFletcher } from './filters.js';
import { bloscDecodeStored, bloscDecompress } from './blosc.js';

/** The `full` bytes of the chunk stored as `stored` with `filters` (bit i of `filterMask`: filter i skipped). */
export function decodeStoredChunk(stored: Uint8Array, filters: readonly PipelineFilter[], filterMask: number, full: number): Uint8Array {
  const applied: number[] = [];
  for (let i = filters.length - 1; i >= 0; i--) if (!(filterMask & (1 << i))) applied.push(i);
  const ids = applied.map((i) => filters[i].id);
  let data: Uint8Array;
  if (ids[0] === FILTER_BLOSC && ids.length <= 2 && (ids.length === 1 || ids[1] === FILTER_FLETCHER32)) {
    data = bloscDecodeStored((dst) => dst.set(stored), stored.byteLength, ids[1] === FILTER_FLETCHER32, full + 4);
  } else {
    data = stored;
    for (let k = 0; k < applied.length; k++) {
      const f = filters[applied[k]];
      if (f.id === FILTER_FLETCHER32) data = undoFletcher32(data);
      else if (f.id === FILTER_DEFLATE) data = inflate(data, full);
      else if (f.id === FILTER_SHUFFLE) {
        const verify = applied[k + 1] !== undefined && filters[applied[k + 1]].id === FILTER_FLETCHER32;
        data = unshuffleThenFletcher(data, f.clientData[0] ?? 1, verify);
        if (verify) k++;
      } else if (f.id === FILTER_BLOSC) data = bloscDecompress(data, full + 4);
      else throw new Error(`HDF5 filter ${f.id} is not decoded here`);
    }
    if (data === stored) data = stored.slice();
  }
  if (data.byteLength !== full) throw new Error(`chunk decoded to ${data.byteLength} bytes, expected ${full}`);
  return data;
}
