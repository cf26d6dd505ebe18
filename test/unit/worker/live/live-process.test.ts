/**
 * The 'live-process' task (DAQ images): an event with a bad image is
 * rejected whole and adds nothing to the pixel maps; a small batch's arrays
 * sit in a buffer of about its own size, not in a 1 MB slab chunk.
 */
import { describe, expect, test } from 'vitest';
import { runLiveProcess, runLiveSimulate } from '../../../../src-worker/live/live-tasks.js';
import { unpackLiveEvents } from '../../../../src-worker/live/live-batch-codec.js';
import { defaultSubarray } from '../../../../src-worker/instrument/default-subarray.js';
import { SimulatedEvents } from '../../../../src-main/daq/emulator/emulator-events.js';
import type { RawArrayEvent } from '../../../../src-worker/live/live-types.js';

function rawEvents(n: number): RawArrayEvent[] {
  const src = new SimulatedEvents(n, 4);
  return Array.from({ length: n }, () => {
    const e = src.next()!;
    return { ...e, images: e.images.map((i) => ({ telId: i.telId, image: i.image.slice(), peakTime: i.peakTime.slice() })) };
  });
}

describe('live-process task', () => {
  test('an event with a bad image is rejected whole: its good images are not in the pixel sums', () => {
    const events = rawEvents(6);
    const bad = events[2];
    expect(bad.images.length).toBeGreaterThanOrEqual(2);
    // the last image of the event is cut short; the ones before it are fine
    const last = bad.images[bad.images.length - 1];
    last.image = last.image.slice(0, 100);
    const { result } = runLiveProcess({ kind: 'live-process', subarray: defaultSubarray, events });
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0].reason).toBe('bad-frame');
    const accepted = unpackLiveEvents(result.events);
    expect(accepted).toHaveLength(5);
    const imagesPerTel = new Map<number, number>();
    for (const e of accepted) for (const i of e.images) imagesPerTel.set(i.telId, (imagesPerTel.get(i.telId) ?? 0) + 1);
    for (const s of result.pixelSums) expect(s.images).toBe(imagesPerTel.get(s.telId));
    expect(result.pixelSums.reduce((a, s) => a + s.images, 0)).toBe(accepted.reduce((a, e) => a + e.images.length, 0));
  });

  test('a one-event batch does not hold a 1 MB chunk', () => {
    const { result } = runLiveSimulate({ kind: 'live-simulate', count: 1, seed: 3, subarray: defaultSubarray });
    const bytes = result.slabChunks.reduce((a, c) => a + c.byteLength, 0);
    // at most every telescope of the array: 8 × 1855 pixels × 9 bytes
    expect(bytes).toBeLessThanOrEqual(8 * 1855 * 9 + 8 * 3 * 8);
    const { result: daq } = runLiveProcess({ kind: 'live-process', subarray: defaultSubarray, events: rawEvents(1) });
    expect(daq.slabChunks.reduce((a, c) => a + c.byteLength, 0)).toBeLessThan(8 * 1855 + 64);
  });
});
