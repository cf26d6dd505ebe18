/**
 * Slab chunks go back to the pool only when the ring has let go of every
 * event of their batch (pushed out or cleared), never while one is held.
 */
import { describe, expect, it } from 'vitest';
import { SlabRecycler } from '../../../../../src-main/live/sources/slab-recycler.js';
import { EventRing } from '../../../../../src-main/live/event-ring.js';

describe('slab recycling', () => {
  it("returns a batch's chunks once the ring evicted all its events", () => {
    const r = new SlabRecycler();
    const ring = new EventRing<object>(3, (e) => r.release(e));
    const a = [{}, {}],
      b = [{}, {}];
    const chunksA = [new ArrayBuffer(8)],
      chunksB = [new ArrayBuffer(16)];
    r.track(a, chunksA);
    r.track(b, chunksB);
    for (const e of [...a, ...b]) ring.push(e); // a[0] pushed out, a[1] still held
    expect(r.take(8)).toEqual([]);
    ring.push({}); // a[1] out: batch a is free
    const back = r.take(8);
    expect(back).toHaveLength(1);
    expect(back[0]).toBe(chunksA[0]);
    ring.clear(); // b's events let go at once
    expect(r.take(8)[0]).toBe(chunksB[0]);
    expect(r.take(8)).toEqual([]);
    expect(r.recycled).toBe(2);
  });

  it('ignores events it does not know and chunks already moved away', () => {
    const r = new SlabRecycler();
    r.release({});
    const e = {};
    const chunk = new ArrayBuffer(8);
    r.track([e], [chunk]);
    structuredClone(chunk, { transfer: [chunk] }); // detached: byteLength 0
    r.release(e);
    expect(r.take(8)).toEqual([]);
  });
});
