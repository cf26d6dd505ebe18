/**
 * Just enough of the HDF5 file format to find a dataset's object header from
 * its path and list the messages in it: the superblock (versions 0 to 3),
 * version 1 and 2 object headers with continuation blocks, old-style groups
 * (symbol table, v1 B-tree of symbol nodes, local heap of names) and compact
 * new-style groups (link messages). Dense link storage (fractal heaps) is not
 * read: such a path is a FormatMismatch and HDF5 reads the data instead.
 */
import { Cursor, FileBytes, mismatch } from './file-bytes.js';

export interface HeaderMessage {
  type: number;
  /** the message body */
  body: Uint8Array;
}

const MSG_LINK_INFO = 0x0002;
const MSG_LINK = 0x0006;
const MSG_CONTINUATION = 0x0010;
const MSG_SYMBOL_TABLE = 0x0011;
/** bound on headers, continuation blocks and B-tree nodes visited (corrupt files can loop) */
const MAX_BLOCKS = 10_000;

interface Block {
  addr: number;
  len: number;
  /** a version 2 ("OCHK") continuation block */
  v2: boolean;
}

/** Reads the superblock at `sigOffset`; returns the root group's object header address. */
export function readSuperblock(fb: FileBytes, sigOffset: number): number {
  const c = new Cursor(fb.readAbs(sigOffset, Math.min(fb.size - sigOffset, 256)), fb);
  c.signature('\x89HDF\r\n\x1a\n');
  const version = c.u8();
  if (version === 0 || version === 1) {
    c.skip(4); // free-space, root symbol table, reserved, shared header versions
    fb.sizeOfOffsets = c.u8();
    fb.sizeOfLengths = c.u8();
    c.skip(1);
    c.skip(4 + 4); // group K values, consistency flags
    if (version === 1) c.skip(4);
    checkSizes(fb);
    const base = c.offset();
    if (base !== sigOffset) mismatch('base address differs from the superblock position');
    fb.baseAddress = base;
    c.offset(); // free space
    c.offset(); // end of file
    c.offset(); // driver info
    c.offset(); // root: link name offset
    return c.offset(); // root: object header address
  }
  if (version === 2 || version === 3) {
    fb.sizeOfOffsets = c.u8();
    fb.sizeOfLengths = c.u8();
    c.skip(1);
    checkSizes(fb);
    const base = c.offset();
    if (base !== sigOffset) mismatch('base address differs from the superblock position');
    fb.baseAddress = base;
    c.offset(); // superblock extension
    c.offset(); // end of file
    return c.offset();
  }
  return mismatch(`superblock version ${version}`);
}

function checkSizes(fb: FileBytes): void {
  if (![2, 4, 8].includes(fb.sizeOfOffsets) || ![2, 4, 8].includes(fb.sizeOfLengths)) mismatch('unusual sizes of offsets/lengths');
}

/** All messages of the object header at `addr`, continuation blocks followed. */
export function readObjectHeader(fb: FileBytes, addr: number): HeaderMessage[] {
  const first = fb.cursor(addr, 512);
  const out: HeaderMessage[] = [];
  const blocks: Block[] = [];
  if (first.bytes[0] === 0x4f && first.bytes[1] === 0x48 && first.bytes[2] === 0x44 && first.bytes[3] === 0x52) {
    // "OHDR"
    first.skip(4);
    if (first.u8() !== 2) mismatch('object header version');
    const flags = first.u8();
    if (flags & 0x20) first.skip(16);
    if (flags & 0x10) first.skip(4);
    const len = first.uint(1 << (flags & 3));
    const creationOrder = (flags & 0x04) !== 0;
    // the chunk size counts the messages (and gap), not the checksum that follows
    parseBlock(fb.read(addr + first.pos, len + 4), true, creationOrder, out, blocks, fb);
    drain(fb, blocks, out, creationOrder);
  } else {
    if (first.u8() !== 1) mismatch('object header version');
    first.skip(1);
    first.u16(); // number of messages
    first.u32(); // reference count
    const len = first.u32();
    parseBlock(fb.read(addr + 16, len), false, false, out, blocks, fb);
    drain(fb, blocks, out, false);
  }
  return out;
}

function drain(fb: FileBytes, blocks: Block[], out: HeaderMessage[], creationOrder: boolean): void {
  let n = 0;
  while (blocks.length) {
    if (++n > MAX_BLOCKS) mismatch('too many continuation blocks');
    const b = blocks.shift()!;
    if (b.v2) {
      const bytes = fb.read(b.addr, b.len);
      if (bytes[0] !== 0x4f || bytes[1] !== 0x43 || bytes[2] !== 0x48 || bytes[3] !== 0x4b) mismatch('OCHK signature');
      parseBlock(bytes.subarray(4), true, creationOrder, out, blocks, fb);
    } else {
      parseBlock(fb.read(b.addr, b.len), false, false, out, blocks, fb);
    }
  }
}

function parseBlock(bytes: Uint8Array, v2: boolean, creationOrder: boolean, out: HeaderMessage[], blocks: Block[], fb: FileBytes): void {
  const c = new Cursor(bytes, fb);
  // v2 blocks end with a 4-byte checksum; messages may leave a gap smaller than a message header
  const end = v2 ? bytes.byteLength - 4 : bytes.byteLength;
  const headerLen = v2 ? 4 + (creationOrder ? 2 : 0) : 8;
  while (c.pos + headerLen <= end) {
    let type: number;
    let size: number;
    if (v2) {
      type = c.u8();
      size = c.u16();
      c.u8();
      if (creationOrder) c.u16();
    } else {
      type = c.u16();
      size = c.u16();
      c.skip(4);
    }
    if (c.pos + size > end) mismatch('header message runs past its block');
    const body = c.bytesAt(size);
    if (type === MSG_CONTINUATION) {
      const m = new Cursor(body, fb);
      const addr = m.offset();
      const len = m.length();
      if (addr < 0 || len <= 0) mismatch('bad continuation');
      blocks.push({ addr, len, v2 });
      if (blocks.length > MAX_BLOCKS) mismatch('too many continuation blocks');
    } else if (type !== 0) {
      out.push({ type, body });
    }
  }
}

/** Names → object header addresses of the members of the group whose header holds `msgs`. */
export function groupMembers(fb: FileBytes, msgs: HeaderMessage[]): Map<string, number> {
  const members = new Map<string, number>();
  const symtab = msgs.find((m) => m.type === MSG_SYMBOL_TABLE);
  if (symtab) {
    const c = new Cursor(symtab.body, fb);
    const btree = c.offset();
    const heap = c.offset();
    const names = readLocalHeap(fb, heap);
    let visited = 0;
    const walk = (node: number, depth: number): void => {
      if (++visited > MAX_BLOCKS || depth > 64) mismatch('group B-tree too deep');
      const nodeSize = 24 + 2 * fb.sizeOfOffsets + 4096;
      const h = fb.cursor(node, nodeSize);
      h.signature('TREE');
      if (h.u8() !== 0) mismatch('group B-tree node type');
      const level = h.u8();
      const used = h.u16();
      h.offset();
      h.offset();
      const full = fb.cursor(node, 8 + 2 * fb.sizeOfOffsets + (used + 1) * fb.sizeOfLengths + used * fb.sizeOfOffsets);
      full.pos = h.pos;
      for (let i = 0; i < used; i++) {
        full.length(); // key: heap offset of the largest name to the left
        const child = full.offset();
        if (level > 0) walk(child, depth + 1);
        else readSymbolNode(fb, child, names, members);
      }
    };
    walk(btree, 0);
    return members;
  }
  const linkInfo = msgs.find((m) => m.type === MSG_LINK_INFO);
  if (linkInfo) {
    const c = new Cursor(linkInfo.body, fb);
    c.u8();
    const flags = c.u8();
    if (flags & 1) c.skip(8);
    const fractalHeap = c.offset();
    if (fractalHeap >= 0) mismatch('dense link storage');
  }
  for (const m of msgs) {
    if (m.type !== MSG_LINK) continue;
    const c = new Cursor(m.body, fb);
    if (c.u8() !== 1) mismatch('link message version');
    const flags = c.u8();
    const linkType = flags & 0x08 ? c.u8() : 0;
    if (flags & 0x04) c.skip(8);
    if (flags & 0x10) c.u8();
    const nameLen = c.uint(1 << (flags & 3));
    const name = new TextDecoder().decode(c.bytesAt(nameLen));
    if (linkType === 0) members.set(name, c.offset());
  }
  return members;
}

function readLocalHeap(fb: FileBytes, addr: number): Uint8Array {
  const c = fb.cursor(addr, 8 + 2 * fb.sizeOfLengths + fb.sizeOfOffsets);
  c.signature('HEAP');
  c.skip(4);
  const size = c.length();
  c.length();
  const data = c.offset();
  if (size < 0 || size > 64 << 20) mismatch('local heap size');
  return fb.read(data, size);
}

function readSymbolNode(fb: FileBytes, addr: number, names: Uint8Array, members: Map<string, number>): void {
  const h = fb.cursor(addr, 8);
  h.signature('SNOD');
  h.skip(2);
  const n = h.u16();
  const entrySize = 2 * fb.sizeOfOffsets + 24;
  const c = fb.cursor(addr + 8, n * entrySize);
  for (let i = 0; i < n; i++) {
    const start = c.pos;
    const nameOff = c.offset();
    const header = c.offset();
    c.pos = start + entrySize;
    if (nameOff < 0 || nameOff >= names.byteLength) mismatch('symbol name offset');
    let end = names.indexOf(0, nameOff);
    if (end < 0) end = names.byteLength;
    members.set(new TextDecoder().decode(names.subarray(nameOff, end)), header);
  }
}

/**
 * Object header address of the object at absolute `path` (e.g.
 * "/dl1/event/telescope/images/tel_001"); `groups` caches the members of the
 * groups walked through (by header address) between calls.
 */
export function resolvePath(fb: FileBytes, rootAddr: number, path: string, groups = new Map<number, Map<string, number>>()): number {
  let addr = rootAddr;
  for (const part of path.split('/').filter(Boolean)) {
    let members = groups.get(addr);
    if (!members) {
      members = groupMembers(fb, readObjectHeader(fb, addr));
      groups.set(addr, members);
    }
    const next = members.get(part);
    if (next === undefined || next < 0) mismatch(`no member ${part}`);
    addr = next;
  }
  return addr;
}
