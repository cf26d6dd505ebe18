/**
 * The new image_mask column of image-table rows, from the cleaned pixels of
 * each row (pixels[offsets[r] .. offsets[r + 1]), as the image batch gives
 * them): one byte per pixel, 1 where the pixel survived, in the rows' own
 * bytes. Used on the main thread (rows read through HDF5) and in the pool
 * workers (whole decoded chunks).
 */
import type { FieldSpec } from '../hdf5/h5-dtype.js';

export function writeImageMasks(
  raw: Uint8Array,
  rowSize: number,
  mask: Pick<FieldSpec, 'offset' | 'count'>,
  nRows: number,
  pixels: Int32Array,
  offsets: Int32Array,
  what: string,
): void {
  const nPix = mask.count;
  if (offsets.length !== nRows + 1) throw new Error(`${what}: ${offsets.length - 1} masks for ${nRows} rows`);
  for (let r = 0; r < nRows; r++) {
    const base = r * rowSize + mask.offset;
    raw.fill(0, base, base + nPix);
    for (let k = offsets[r]; k < offsets[r + 1]; k++) {
      const i = pixels[k];
      if (!(i >= 0 && i < nPix)) throw new Error(`${what}: pixel ${i} out of range (${nPix} pixels)`);
      raw[base + i] = 1;
    }
  }
}
