/**
 * NumPy .npz archives: a zip of .npy members, stored or deflated (numpy's
 * savez / savez_compressed). Reads the central directory, then each wanted
 * member through node:zlib's inflateRaw (asynchronous: off the main thread).
 * Zip64 archives (members over 4 GiB) are refused with the reason.
 */
import { constants, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';

const inflateRawAsync = promisify(inflateRaw);

export interface NpzMember {
  /** the array's name (the member name without ".npy") */
  name: string;
  file: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class NpzError extends Error {}

export function listNpzMembers(zip: Uint8Array, label = 'archive'): NpzMember[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new NpzError(`${label}: not a zip archive (.npz files are zips of .npy arrays); no end-of-directory record`);
  const count = dv.getUint16(eocd + 10, true);
  const dirOffset = dv.getUint32(eocd + 16, true);
  if (dirOffset === 0xffffffff || count === 0xffff) throw new NpzError(`${label}: a zip64 archive; Lightpool reads .npz archives under 4 GiB`);
  const members: NpzMember[] = [];
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > zip.length || dv.getUint32(p, true) !== 0x02014b50) throw new NpzError(`${label}: damaged zip central directory (entry ${k})`);
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const localHeaderOffset = dv.getUint32(p + 42, true);
    const file = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    if (compressedSize === 0xffffffff || size === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw new NpzError(`${label}: member ${file} is stored as zip64 (over 4 GiB); Lightpool reads .npz archives under 4 GiB`);
    }
    members.push({ name: file.replace(/\.npy$/, ''), file, method, compressedSize, size, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/** The bytes of one member (an .npy file). */
export async function readNpzMember(zip: Uint8Array, m: NpzMember, label = 'archive'): Promise<Uint8Array> {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const h = m.localHeaderOffset;
  if (h + 30 > zip.length || dv.getUint32(h, true) !== 0x04034b50) throw new NpzError(`${label}: damaged local header of ${m.file}`);
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  const data = zip.subarray(start, start + m.compressedSize);
  if (data.length < m.compressedSize) throw new NpzError(`${label}: ${m.file} is cut short (archive truncated?)`);
  if (m.method === 0) return data;
  if (m.method !== 8) throw new NpzError(`${label}: ${m.file} uses zip compression method ${m.method}; only stored (0) and deflate (8) are read`);
  const out = await inflateRawAsync(data);
  if (out.length !== m.size) throw new NpzError(`${label}: ${m.file} inflated to ${out.length} bytes, the directory says ${m.size}`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The first bytes of a member (enough for an .npy header), without inflating all of it. */
export async function readNpzMemberHead(zip: Uint8Array, m: NpzMember, label = 'archive', compressedBytes = 65_536): Promise<Uint8Array> {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const h = m.localHeaderOffset;
  if (h + 30 > zip.length || dv.getUint32(h, true) !== 0x04034b50) throw new NpzError(`${label}: damaged local header of ${m.file}`);
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  const data = zip.subarray(start, start + Math.min(m.compressedSize, compressedBytes));
  if (m.method === 0) return data;
  if (m.method !== 8) throw new NpzError(`${label}: ${m.file} uses zip compression method ${m.method}; only stored (0) and deflate (8) are read`);
  const out = await inflateRawAsync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
