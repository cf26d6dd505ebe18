/**
 * The record stream from the ZeroMQ subscriber process: message parts and
 * control records come out whole and in order, however the pipe splits the
 * bytes (one byte at a time, random cuts, all at once).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encodeControl, encodeParts, ZmqRelayReader, type ZmqRelayRecord } from '../../../../../src-main/daq/client/zmq-relay-records.js';

function part(n: number, seed: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 31 + seed) & 0xff;
  return p;
}

describe('ZeroMQ relay records', () => {
  const parts = [part(0, 1), part(7, 2), part(70_000, 3), part(5, 4)];
  const stream = Buffer.concat([
    encodeControl({ type: 'connect' }),
    encodeParts(parts.slice(0, 3)),
    encodeControl({ type: 'connect:retry', intervalMs: 500 }),
    encodeParts(parts.slice(3)),
    encodeControl({ type: 'lost', message: 'reading failed: é' }),
  ]);
  /** a part by its length and digest (comparing 70 kB buffers element by element is slow) */
  const digest = (b: Uint8Array) => `${b.length}:${createHash('sha1').update(b).digest('hex')}`;
  const expected = [
    { kind: 'control', control: { type: 'connect' } },
    ...parts.slice(0, 3).map((bytes) => ({ kind: 'part', bytes: digest(bytes) })),
    { kind: 'control', control: { type: 'connect:retry', intervalMs: 500 } },
    { kind: 'part', bytes: digest(parts[3]) },
    { kind: 'control', control: { type: 'lost', message: 'reading failed: é' } },
  ];

  function readAll(cuts: number[]): unknown[] {
    const r = new ZmqRelayReader();
    const out: ZmqRelayRecord[] = [];
    let from = 0;
    for (const to of [...cuts, stream.length]) {
      // a copy: the reader must not depend on the chunk's buffer beyond what it returns
      out.push(...r.push(Buffer.from(stream.subarray(from, to))));
      from = to;
    }
    return out.map((x) => (x.kind === 'part' ? { kind: 'part', bytes: digest(x.bytes) } : x));
  }

  it('gives the records in order for any split of the bytes', () => {
    expect(readAll([])).toEqual(expected);
    expect(readAll(Array.from({ length: stream.length - 1 }, (_, i) => i + 1))).toEqual(expected);
    let seed = 12345;
    for (let trial = 0; trial < 50; trial++) {
      const cuts = new Set<number>();
      for (let k = 0; k < 1 + (trial % 20); k++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        cuts.add(1 + (seed % (stream.length - 1)));
      }
      expect(readAll([...cuts].sort((a, b) => a - b))).toEqual(expected);
    }
  });

  it('refuses an unknown record kind', () => {
    const bad = Buffer.from([1, 0, 0, 0, 9, 0]);
    expect(() => new ZmqRelayReader().push(bad)).toThrow(/unknown record kind 9/);
  });
});
