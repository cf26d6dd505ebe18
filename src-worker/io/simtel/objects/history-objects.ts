/**
 * History (70: command lines 71 and configuration lines 72) and metadata
 * (75: key/value parameters, global with id -1 or per telescope), and the
 * few fields of auxiliary traces (2029 digital, 2030 analog) listed, not
 * interpreted.
 */
import type { ByteReader } from '../../eventio/byte-reader.js';
import type { ObjectHeader } from '../../eventio/object-header.js';

export interface HistoryLine {
  /** 71: command line, 72: configuration line */
  type: number;
  /** unix time, s */
  timestamp: number;
  text: Uint8Array;
}

export function parseHistoryLine(r: ByteReader, h: ObjectHeader): HistoryLine {
  return { type: h.type, timestamp: r.int32(), text: r.shortString() };
}

/** 75: metadata parameters (keys and values as bytes, like pyeventio). */
export function parseHistoryMeta(r: ByteReader): Map<string, string> {
  const n = r.uvarint();
  r.count(n, 2, 'metadata items');
  const out = new Map<string, string>();
  const dec = new TextDecoder('utf-8');
  for (let i = 0; i < n; i++) {
    const k = dec.decode(r.varString());
    const v = dec.decode(r.varString());
    out.set(k, v);
  }
  return out;
}

export interface AuxiliaryTracesInfo {
  type: number;
  id: number;
  telId: number;
  /** ns per sample */
  timeScale: number;
  nTraces: number;
  nSamples: number;
}

export function parseAuxiliaryTracesInfo(r: ByteReader, h: ObjectHeader): AuxiliaryTracesInfo {
  const telId = r.int32();
  const timeScale = r.float32();
  const nTraces = r.uvarint();
  const nSamples = r.uvarint();
  return { type: h.type, id: h.id, telId, timeScale, nTraces, nSamples };
}
