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

/** one buffer holding the records of a message's parts (one write for the whole message) */
export function encodeParts(parts: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const p of parts) total += RECORD_HEADER + p.length;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (const p of parts) {
    out.writeUInt32LE(p.length, o);
    out[o + 4] = KIND_PART;
    out.set(p, o + RECORD_HEADER);
    o += RECORD_HEADER + p.length;
  }
  return out;
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
