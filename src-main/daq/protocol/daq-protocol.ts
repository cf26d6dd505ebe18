/**
 * The Lightpool DAQ protocol, version 1: length-prefixed binary frames over a
 * byte stream (TCP). See daq-protocol.md beside this file for the
 * specification a camera server implements. Pure code: no sockets here.
 *
 * Frame (little-endian):
 *   u32 length              bytes that follow (header + payload)
 *   --- header, 40 bytes ---
 *   u32 magic               0x5144504C (the bytes "LPDQ")
 *   u16 version             1
 *   u16 type                1 image, 2 event end, 3 heartbeat, 4 subarray
 *   u32 obs_id
 *   u32 reserved            0
 *   u64 event_id
 *   f64 time                seconds since the Unix epoch (UTC)
 *   u16 tel_id              image: telescope id; other types: 0
 *   u16 flags               image: bit 0 = an R1 waveform block follows the peak times; else 0
 *   u32 count               image: pixel count n; event end: images sent for the event;
 *                           subarray: payload bytes; heartbeat: 0
 *   --- payload ---
 *   image:    f32[n] image (p.e.), f32[n] peak_time (ns)
 *             [flags bit 0: the R1 waveform block (daq-waveform-block.ts)]
 *   subarray: UTF-8 JSON (DaqSubarray)
 */

import { checkDaqSubarray } from './daq-subarray-schema.js';
import type { CameraGeometryAnnouncement } from '../../../src-worker/instrument/announced-geometry.js';
import {
  decodeWaveformBlock,
  DAQ_FLAG_WAVEFORM,
  waveformBlockBytes,
  writeWaveformBlock,
  type DaqWaveform,
  type DaqWaveformInput,
} from './daq-waveform-block.js';

export { DAQ_FLAG_WAVEFORM, DAQ_WAVEFORM_BLOCK_VERSION, DAQ_MAX_WAVEFORM_SAMPLES, type DaqWaveform, type DaqWaveformInput } from './daq-waveform-block.js';

export const DAQ_MAGIC = 0x5144504c;
export const DAQ_PROTOCOL_VERSION = 1;
export const DAQ_HEADER_BYTES = 40;
/** largest frame accepted (length field), bytes: 4 MiB (SCTCam's 11,328 pixels need 91 kB) */
export const DAQ_MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const DaqMessageType = { image: 1, eventEnd: 2, heartbeat: 3, subarray: 4 } as const;
export type DaqMessageTypeName = keyof typeof DaqMessageType;

/** The subarray the DAQ serves (sent once, first, after a client connects). */
export interface DaqSubarray {
  name: string;
  /** deg */
  pointing: { alt: number; az: number };
  telescopes: {
    telId: number;
    /** ctapipe telescope description, e.g. "LST_LST_LSTCam" */
    type: string;
    /** camera geometry name, e.g. "LSTCam" */
    camera: string;
    /** equivalent focal length, m */
    focalLength: number;
    /** ground frame, m */
    position: [number, number, number];
  }[];
  /**
   * 'consecutive' (the default): event ids count up by one, so a gap is
   * events the server did not send; 'source': the ids are the source's own
   * (e.g. a replayed file's), and gaps say nothing about losses
   */
  eventIds?: 'consecutive' | 'source';
  /**
   * Geometries of the subarray's cameras, by camera name, for cameras
   * Lightpool may not ship (a sim_telarray file's, a new camera's): used
   * instead of a shipped geometry of the same name (views, processing,
   * recordings). Pixels in the images' order.
   */
  cameras?: Record<string, DaqCameraGeometry>;
}

/** A camera geometry as a subarray frame announces it (ctapipe's CameraGeometry columns: pix_type, rotations in deg, pix_x/pix_y in m, pix_area in m²). */
export type DaqCameraGeometry = CameraGeometryAnnouncement;

interface Common {
  obsId: number;
  eventId: number;
  /** seconds since the Unix epoch */
  time: number;
}
export interface DaqImageFrame extends Common {
  type: 'image';
  telId: number;
  /** p.e. */
  image: Float32Array;
  /** ns */
  peakTime: Float32Array;
  /** the telescope's R1 waveforms (optional block, flags bit 0) */
  waveform?: DaqWaveform;
}
/** What an image frame to encode may carry: a waveform in p.e. per sample, sent as float32 or as scaled int16. */
export interface DaqImageInput {
  telId: number;
  image: Float32Array;
  peakTime: Float32Array;
  waveform?: DaqWaveformInput;
}
export interface DaqEventEndFrame extends Common {
  type: 'eventEnd';
  /** telescope images sent for this event */
  nImages: number;
}
export interface DaqHeartbeatFrame extends Common {
  type: 'heartbeat';
}
export interface DaqSubarrayFrame extends Common {
  type: 'subarray';
  subarray: DaqSubarray;
}
export type DaqFrame = DaqImageFrame | DaqEventEndFrame | DaqHeartbeatFrame | DaqSubarrayFrame;

/** A stream that cannot be read further (the connection must be closed). */
export class DaqProtocolError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'DaqProtocolError';
  }
}

function writeHeader(view: DataView, length: number, type: number, c: Common, telId: number, count: number, flags = 0): void {
  view.setUint32(0, length, true);
  view.setUint32(4, DAQ_MAGIC, true);
  view.setUint16(8, DAQ_PROTOCOL_VERSION, true);
  view.setUint16(10, type, true);
  view.setUint32(12, c.obsId >>> 0, true);
  view.setUint32(16, 0, true);
  view.setBigUint64(20, BigInt(c.eventId), true);
  view.setFloat64(28, c.time, true);
  view.setUint16(36, telId, true);
  view.setUint16(38, flags, true);
  view.setUint32(40, count, true);
}

/** Encodes one frame (length prefix included); an image frame with a `waveform` carries the R1 waveform block. */
export function encodeDaqFrame(frame: DaqFrame | (Common & { type: 'image' } & DaqImageInput)): Uint8Array {
  if (frame.type === 'image') {
    const { type: _, telId, image, peakTime, waveform, ...c } = frame;
    const all = encodeDaqEvent(c, [{ telId, image, peakTime, waveform }]);
    return all.slice(0, all.length - 4 - DAQ_HEADER_BYTES);
  }
  let payload: Uint8Array | null = null;
  let count = 0;
  const telId = 0;
  if (frame.type === 'subarray') {
    payload = new TextEncoder().encode(JSON.stringify(frame.subarray));
    count = payload.length;
  } else if (frame.type === 'eventEnd') {
    count = frame.nImages;
  }
  const length = DAQ_HEADER_BYTES + (payload?.length ?? 0);
  if (length > DAQ_MAX_FRAME_BYTES) throw new Error(`DAQ frame of ${length} bytes exceeds the protocol limit of ${DAQ_MAX_FRAME_BYTES} bytes`);
  const out = new Uint8Array(4 + length);
  writeHeader(new DataView(out.buffer), length, DaqMessageType[frame.type], frame, telId, count);
  if (payload) out.set(payload, 4 + DAQ_HEADER_BYTES);
  return out;
}

/**
 * Encodes a whole array event — one image frame per telescope, then the
 * event-end frame — into one buffer, with each image and peak time copied
 * once. The bytes equal the concatenation of encodeDaqFrame() of those frames.
 */
export function encodeDaqEvent(c: { obsId: number; eventId: number; time: number }, images: readonly DaqImageInput[]): Uint8Array {
  let total = 4 + DAQ_HEADER_BYTES;
  const blockBytes: number[] = [];
  for (const img of images) {
    const n = img.image.length;
    if (img.peakTime.length !== n) throw new Error(`DAQ frame: image has ${n} pixels but peak_time ${img.peakTime.length}`);
    if (!Number.isInteger(img.telId) || img.telId < 0 || img.telId > 0xffff) throw new Error(`DAQ frame: tel_id ${img.telId} is not a u16`);
    const wb = img.waveform ? waveformBlockBytes(img.waveform, n, img.telId) : 0;
    blockBytes.push(wb);
    const length = DAQ_HEADER_BYTES + 8 * n + wb;
    if (length > DAQ_MAX_FRAME_BYTES)
      throw new Error(`DAQ frame of ${length} bytes (tel_id ${img.telId}) exceeds the protocol limit of ${DAQ_MAX_FRAME_BYTES} bytes`);
    total += 4 + length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  images.forEach((img, k) => {
    const n = img.image.length;
    const length = DAQ_HEADER_BYTES + 8 * n + blockBytes[k];
    writeHeader(new DataView(out.buffer, o), length, DaqMessageType.image, c, img.telId, n, img.waveform ? DAQ_FLAG_WAVEFORM : 0);
    out.set(new Uint8Array(img.image.buffer, img.image.byteOffset, 4 * n), o + 4 + DAQ_HEADER_BYTES);
    out.set(new Uint8Array(img.peakTime.buffer, img.peakTime.byteOffset, 4 * n), o + 4 + DAQ_HEADER_BYTES + 4 * n);
    if (img.waveform) writeWaveformBlock(out, o + 4 + DAQ_HEADER_BYTES + 8 * n, img.waveform, n);
    o += 4 + length;
  });
  writeHeader(new DataView(out.buffer, o), DAQ_HEADER_BYTES, DaqMessageType.eventEnd, c, 0, images.length);
  return out;
}

const typeNames = new Map<number, DaqMessageTypeName>(Object.entries(DaqMessageType).map(([k, v]) => [v, k as DaqMessageTypeName]));

/**
 * Incremental decoder: feed it the bytes as they arrive (any split, including
 * mid-header), take complete frames out. Throws DaqProtocolError for a bad
 * magic, an unsupported version, an unknown type, an oversized or inconsistent
 * frame: the stream is then unusable (there is no resynchronisation).
 */
export class DaqFrameDecoder {
  private buf: Uint8Array = new Uint8Array(64 * 1024);
  private start = 0;
  private end = 0;
  /** bytes consumed from the stream so far (for error messages) */
  private consumed = 0;
  /** bytes of complete frames decoded */
  bytesDecoded = 0;

  constructor(readonly maxFrameBytes = DAQ_MAX_FRAME_BYTES) {}

  /** bytes received but not yet part of a complete frame */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /**
   * The frame the stream ended in, for the message when a connection closes
   * mid-frame (e.g. "a truncated image frame (tel_id 3, event_id 42) at
   * byte 1234: 5000 of 14884 bytes"), or undefined when it ended between
   * frames.
   */
  describePartial(): string | undefined {
    const avail = this.end - this.start;
    if (avail === 0) return undefined;
    const at = this.consumed;
    if (avail < 4) return `a truncated frame at byte ${at}: ${avail} of its 4 length bytes`;
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.start, avail);
    const total = 4 + view.getUint32(0, true);
    let what = 'frame';
    if (avail >= 4 + 12) {
      const type = typeNames.get(view.getUint16(10, true));
      if (type) what = `${type === 'eventEnd' ? 'event-end' : type} frame`;
      if (type === 'image' && avail >= 4 + DAQ_HEADER_BYTES) what += ` (tel_id ${view.getUint16(36, true)}, event_id ${view.getBigUint64(20, true)})`;
    }
    return `a truncated ${what} at byte ${at}: ${avail} of ${total} bytes`;
  }

  push(chunk: Uint8Array): DaqFrame[] {
    this.append(chunk);
    const frames: DaqFrame[] = [];
    for (;;) {
      const f = this.next();
      if (!f) break;
      frames.push(f);
    }
    if (this.start === this.end) this.start = this.end = 0;
    return frames;
  }

  /**
   * Decodes a chunk that holds whole frames (a message of a message
   * transport) where it lies, without first copying it into the decoder's
   * buffer; throws DaqProtocolError when it ends inside a frame.
   */
  pushWhole(chunk: Uint8Array): DaqFrame[] {
    if (this.end !== this.start) throw new DaqProtocolError(`pushWhole after push left ${this.end - this.start} bytes pending`, this.consumed);
    const own = this.buf;
    this.buf = chunk;
    this.start = 0;
    this.end = chunk.length;
    const frames: DaqFrame[] = [];
    try {
      for (;;) {
        const f = this.next();
        if (!f) break;
        frames.push(f);
      }
      if (this.start !== this.end) {
        throw new DaqProtocolError(
          `a message of ${chunk.length} bytes ends inside a frame (${this.end - this.start} bytes left over): each message must hold whole frames`,
          this.consumed,
        );
      }
    } finally {
      this.buf = own;
      this.start = this.end = 0;
    }
    return frames;
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(this.buf.length * 2, live + chunk.length));
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private next(): DaqFrame | null {
    const avail = this.end - this.start;
    if (avail < 4) return null;
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.start, avail);
    const length = view.getUint32(0, true);
    const at = this.consumed;
    if (length < DAQ_HEADER_BYTES)
      throw new DaqProtocolError(`DAQ frame at byte ${at}: length ${length} is shorter than the ${DAQ_HEADER_BYTES}-byte header`, at);
    if (length > this.maxFrameBytes) {
      throw new DaqProtocolError(
        `DAQ frame at byte ${at}: length ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes (corrupt stream or not a Lightpool DAQ server)`,
        at,
      );
    }
    // check the header as soon as it is there, before waiting for a large payload
    if (avail >= 4 + 12) {
      const magic = view.getUint32(4, true);
      if (magic !== DAQ_MAGIC) {
        throw new DaqProtocolError(
          `DAQ frame at byte ${at}: bad magic 0x${magic.toString(16)} (expected 0x${DAQ_MAGIC.toString(16)}): not a Lightpool DAQ stream`,
          at,
        );
      }
      const version = view.getUint16(8, true);
      if (version !== DAQ_PROTOCOL_VERSION) {
        throw new DaqProtocolError(
          `DAQ frame at byte ${at}: protocol version ${version} is not supported (this Lightpool speaks version ${DAQ_PROTOCOL_VERSION}); update the server or Lightpool`,
          at,
        );
      }
      const typeCode = view.getUint16(10, true);
      if (!typeNames.has(typeCode)) throw new DaqProtocolError(`DAQ frame at byte ${at}: unknown message type ${typeCode}`, at);
    }
    if (avail < 4 + length) return null;
    const type = typeNames.get(view.getUint16(10, true))!;
    const common: Common = {
      obsId: view.getUint32(12, true),
      eventId: Number(view.getBigUint64(20, true)),
      time: view.getFloat64(28, true),
    };
    const telId = view.getUint16(36, true);
    const flags = view.getUint16(38, true);
    const count = view.getUint32(40, true);
    const payloadBytes = length - DAQ_HEADER_BYTES;
    const p0 = this.start + 4 + DAQ_HEADER_BYTES;
    let frame: DaqFrame;
    if (flags !== 0 && (type !== 'image' || (flags & ~DAQ_FLAG_WAVEFORM) !== 0)) {
      throw new DaqProtocolError(
        `DAQ ${type} frame at byte ${at}: unknown flags 0x${flags.toString(16)} (image frames know bit 0, the waveform block; other frames none)`,
        at,
      );
    }
    if (type === 'image' && flags & DAQ_FLAG_WAVEFORM) {
      const where = `DAQ image frame at byte ${at} (tel_id ${telId}, event_id ${common.eventId})`;
      if (payloadBytes < 8 * count)
        throw new DaqProtocolError(`${where}: ${count} pixels need at least ${8 * count} payload bytes, frame has ${payloadBytes}`, at);
      const waveform = decodeWaveformBlock(this.buf, p0 + 8 * count, payloadBytes - 8 * count, count);
      if (typeof waveform === 'string') throw new DaqProtocolError(`${where}: ${waveform}`, at);
      const both = new Float32Array(2 * count);
      new Uint8Array(both.buffer).set(this.buf.subarray(p0, p0 + 8 * count));
      frame = { type, ...common, telId, image: both.subarray(0, count), peakTime: both.subarray(count), waveform };
    } else if (type === 'image') {
      if (payloadBytes !== 8 * count) {
        throw new DaqProtocolError(
          `DAQ image frame at byte ${at} (tel_id ${telId}, event_id ${common.eventId}): ${count} pixels need ${8 * count} payload bytes, frame has ${payloadBytes}`,
          at,
        );
      }
      // one aligned copy, independent of the decoder's buffer: image and peak time share it
      const both = new Float32Array(2 * count);
      new Uint8Array(both.buffer).set(this.buf.subarray(p0, p0 + 8 * count));
      const image = both.subarray(0, count);
      const peakTime = both.subarray(count);
      frame = { type, ...common, telId, image, peakTime };
    } else if (type === 'subarray') {
      if (payloadBytes !== count)
        throw new DaqProtocolError(`DAQ subarray frame at byte ${at}: count ${count} does not match the payload of ${payloadBytes} bytes`, at);
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(this.buf.subarray(p0, p0 + payloadBytes)));
      } catch (err) {
        throw new DaqProtocolError(`DAQ subarray frame at byte ${at}: payload is not JSON (${(err as Error).message})`, at);
      }
      const checked = checkDaqSubarray(json);
      if (!checked.ok) throw new DaqProtocolError(`DAQ subarray frame at byte ${at}: the announcement does not fit the protocol (${checked.reason})`, at);
      frame = { type, ...common, subarray: checked.subarray };
    } else {
      if (payloadBytes !== 0) throw new DaqProtocolError(`DAQ ${type} frame at byte ${at}: unexpected payload of ${payloadBytes} bytes`, at);
      frame = type === 'eventEnd' ? { type, ...common, nImages: count } : { type, ...common };
    }
    this.start += 4 + length;
    this.consumed += 4 + length;
    this.bytesDecoded += 4 + length;
    return frame;
  }
}
