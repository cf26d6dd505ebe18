/**
 * The byte stream from the ZeroMQ subscriber process (zmq-subscriber-process.ts)
 * to the client that started it (daq-zmq-client.ts): records of a u32 length
 * (little-endian, of the payload), a u8 kind and the payload. A 'part' record
 * is one message part as received (whole protocol frames); a 'control' record
 * is JSON: a socket monitor event or a failure. Both travel in one stream so
 * that a disconnect is seen after the last bytes of the connection it ends.
 */

export type ZmqRelayControl =
  /** the socket monitor's events that change the connection state */
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'connect:retry'; intervalMs: number }
  /** reading the socket or its monitor failed */
  | { type: 'lost'; message: string }
  /** zeromq cannot be loaded, or the endpoint is refused: not worth retrying */
  | { type: 'failed'; message: string };

export interface ZmqRelayConfig {
  endpoint: string;
  receiveHighWaterMark: number;
  reconnectIntervalMs: number;
  reconnectMaxIntervalMs: number;
}

const KIND_PART = 0;
const KIND_CONTROL = 1;
const RECORD_HEADER = 5;

export type ZmqRelayRecord = { kind: 'part'; bytes: Uint8Array } | { kind: 'control'; control: ZmqRelayControl };

/** the header of a part record; the part's bytes follow it (written as they are, not copied) */
export function partHeader(length: number): Buffer {
  const h = Buffer.allocUnsafe(RECORD_HEADER);
  h.writeUInt32LE(length, 0);
  h[4] = KIND_PART;
  return h;
}

/** the records of a message's parts, as one buffer */
export function encodeParts(parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts.flatMap((p) => [partHeader(p.length), p]));
}

export function encodeControl(c: ZmqRelayControl): Buffer {
  const json = Buffer.from(JSON.stringify(c));
  const out = Buffer.allocUnsafe(RECORD_HEADER + json.length);
  out.writeUInt32LE(json.length, 0);
  out[4] = KIND_CONTROL;
  json.copy(out, RECORD_HEADER);
  return out;
}

/** incremental reader of the record stream: any split of the bytes gives the same records */
export class ZmqRelayReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): ZmqRelayRecord[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: ZmqRelayRecord[] = [];
    for (;;) {
      if (this.pendingBytes < RECORD_HEADER) break;
      if (this.pending[0].length < RECORD_HEADER) this.join();
      const head = this.pending[0];
      const n = head.readUInt32LE(0);
      if (this.pendingBytes < RECORD_HEADER + n) break;
      if (head.length < RECORD_HEADER + n) this.join();
      const buf = this.pending[0];
      const kind = buf[4];
      const payload = buf.subarray(RECORD_HEADER, RECORD_HEADER + n);
      if (kind === KIND_PART) out.push({ kind: 'part', bytes: payload });
      else if (kind === KIND_CONTROL) out.push({ kind: 'control', control: JSON.parse(payload.toString()) as ZmqRelayControl });
      else throw new Error(`ZeroMQ subscriber process: unknown record kind ${kind}`);
      this.consume(RECORD_HEADER + n);
    }
    return out;
  }

  /** everything pending in one buffer */
  private join(): void {
    this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
  }

  private consume(n: number): void {
    this.pendingBytes -= n;
    const first = this.pending[0];
    if (first.length === n) this.pending.shift();
    else this.pending[0] = first.subarray(n);
  }
}
