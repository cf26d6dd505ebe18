/**
 * The nested list of objects of an EventIO file, depth first (what
 * pyeventio's print_structure shows): each object's depth, header fields and
 * content offset in the decompressed data. Containers (only-sub-objects) are
 * opened down to `maxDepth`; each top-level object's content is read once.
 */
import type { EventIOFile } from './eventio-file.js';
import { listSubObjects } from './object-header.js';

export interface ObjectTreeEntry {
  depth: number;
  type: number;
  version: number;
  id: number;
  contentSize: number;
  /** decompressed offset of the content */
  contentOffset: number;
  onlySubObjects: boolean;
}

export function objectTree(file: EventIOFile, maxDepth = Infinity): ObjectTreeEntry[] {
  const out: ObjectTreeEntry[] = [];
  const le = file.byteOrder === 'little';
  const walk = (bytes: Uint8Array, start: number, end: number, depth: number, base: number): void => {
    for (const so of listSubObjects(bytes, start, end, le)) {
      const h = so.header;
      out.push({
        depth,
        type: h.type,
        version: h.version,
        id: h.id,
        contentSize: h.contentSize,
        contentOffset: base + so.start,
        onlySubObjects: h.onlySubObjects,
      });
      if (h.onlySubObjects && depth < maxDepth) walk(bytes, so.start, so.end, depth + 1, base);
    }
  };
  for (let i = 0; i < file.objectCount; i++) {
    const o = file.object(i);
    out.push({
      depth: 0,
      type: o.type,
      version: o.version,
      id: o.id,
      contentSize: o.contentSize,
      contentOffset: o.contentOffset,
      onlySubObjects: o.onlySubObjects,
    });
    if (o.onlySubObjects && maxDepth > 0) {
      try {
        walk(file.content(i), 0, o.contentSize, 1, o.contentOffset);
      } catch (e) {
        throw file.parseError(i, e, 'sub-objects');
      }
    }
  }
  return out;
}
