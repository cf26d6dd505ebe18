/**
 * EventIO object headers (eventio's `get_item_begin`, pyeventio's header.pyx):
 *
 *   top level only: sync marker 0xD41F8A37, written in the writer's byte
 *                   order (bytes 37 8A 1F D4 from little-endian machines)
 *   word 0  type:   bits 0-15 type, bit 16 user flag, bit 17 extended,
 *                   bits 20-31 version
 *   word 1  id:     signed 32-bit identifier
 *   word 2  length: bits 0-29 content length, bit 30 "only sub-objects"
 *   word 3  (extended only): bits 0-11 are length bits 30-41
 *
 * The content follows the header; objects that hold only sub-objects hold
 * a sequence of headers + contents (without sync markers).
 */
import { ObjectParseError } from './eventio-errors.js';

export const SYNC_MARKER_SIZE = 4;
export const OBJECT_HEADER_SIZE = 12;
export const EXTENSION_SIZE = 4;
/** sync marker + header + extension: the most bytes a top-level header takes */
export const MAX_TOP_HEADER_SIZE = SYNC_MARKER_SIZE + OBJECT_HEADER_SIZE + EXTENSION_SIZE;

export interface ObjectHeader {
  type: number;
  version: number;
  id: number;
  user: boolean;
  extended: boolean;
  onlySubObjects: boolean;
  /** header bytes (12 or 16; plus 4 for the sync marker at top level) */
  headerSize: number;
  /** content bytes after the header */
  contentSize: number;
}

/** Byte order given by 4 bytes that should be a sync marker, or null when they are not one. */
export function syncByteOrder(b: Uint8Array, pos = 0): 'little' | 'big' | null {
  if (b.length < pos + 4) return null;
  if (b[pos] === 0x37 && b[pos + 1] === 0x8a && b[pos + 2] === 0x1f && b[pos + 3] === 0xd4) return 'little';
  if (b[pos] === 0xd4 && b[pos + 1] === 0x1f && b[pos + 2] === 0x8a && b[pos + 3] === 0x37) return 'big';
  return null;
}

function word(b: Uint8Array, p: number, le: boolean): number {
  return le ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0 : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Whether the header at `pos` has the extension word (bit 17 of the type word). */
export function isExtended(b: Uint8Array, pos: number, le: boolean): boolean {
  return (word(b, pos, le) & (1 << 17)) !== 0;
}

/**
 * Parses the 12-byte header (and the 4-byte extension when flagged) at
 * `pos`; `available` says how many bytes from `pos` are there. Sync markers
 * are checked by the caller. Throws ObjectParseError when bytes are missing.
 */
export function parseObjectHeader(b: Uint8Array, pos: number, le: boolean, available = b.length - pos): ObjectHeader {
  if (available < OBJECT_HEADER_SIZE) throw new ObjectParseError(`object header needs ${OBJECT_HEADER_SIZE} bytes, ${available} left`);
  const typeWord = word(b, pos, le);
  const idWord = word(b, pos + 4, le) | 0;
  const lengthWord = word(b, pos + 8, le);
  const extended = (typeWord & (1 << 17)) !== 0;
  let contentSize = lengthWord & 0x3fffffff;
  let headerSize = OBJECT_HEADER_SIZE;
  if (extended) {
    if (available < OBJECT_HEADER_SIZE + EXTENSION_SIZE)
      throw new ObjectParseError(`extended object header needs ${OBJECT_HEADER_SIZE + EXTENSION_SIZE} bytes, ${available} left`);
    const ext = word(b, pos + 12, le) & 0xfff;
    contentSize += ext * 2 ** 30;
    headerSize += EXTENSION_SIZE;
  }
  return {
    type: typeWord & 0xffff,
    version: (typeWord >>> 20) & 0xfff,
    id: idWord,
    user: (typeWord & (1 << 16)) !== 0,
    extended,
    onlySubObjects: (lengthWord & (1 << 30)) !== 0,
    headerSize,
    contentSize,
  };
}

/** A sub-object inside a parent's content: its header and where its content lies in `bytes`. */
export interface SubObject {
  header: ObjectHeader;
  /** index of the first content byte in the parent's byte array */
  start: number;
  /** index after the last content byte */
  end: number;
}

/**
 * The sub-objects of a content range [start, end) of `bytes` (an object with
 * the only-sub-objects flag). Throws ObjectParseError when a header or a
 * length does not fit inside the range.
 */
export function listSubObjects(bytes: Uint8Array, start: number, end: number, le: boolean): SubObject[] {
  const out: SubObject[] = [];
  let p = start;
  while (p < end) {
    const h = parseObjectHeader(bytes, p, le, end - p);
    const cStart = p + h.headerSize;
    const cEnd = cStart + h.contentSize;
    if (cEnd > end) {
      throw new ObjectParseError(
        `sub-object of type ${h.type} at byte ${p - start} claims ${h.contentSize} content bytes, only ${end - cStart} left in its parent`,
      );
    }
    out.push({ header: h, start: cStart, end: cEnd });
    p = cEnd;
  }
  return out;
}
