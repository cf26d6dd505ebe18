/**
 * The incremental index: a file opened with index 'lazy' has its subarray at
 * once and finds events as they are asked for; its events are the same as
 * with the full scan; a sequential pass (iterEvents) decompresses the file
 * once, and random access afterwards goes through checkpoints.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/simtel-file.js';
import { SIMTEL_FIXTURES } from './simtel-oracle.js';

it('a lazily indexed file gives the same events as a fully scanned one, decompressing once when read in order', () => {
  for (const name of ['lst_muons_with_true_photons.simtel.zst', '40k_pixels.simtel.zst', 'calib_events.simtel.gz']) {
    const path = join(SIMTEL_FIXTURES, name);
    const full = openSimtelFile(path, { calibrationEvents: true });
    const lazy = openSimtelFile(path, { calibrationEvents: true, index: 'lazy' });
    try {
      expect(full.indexComplete, name).toBe(true);
      expect(lazy.indexComplete, name).toBe(false);
      expect(lazy.nEvents, name).toBeLessThanOrEqual(1);
      expect(lazy.subarray.telIds, name).toEqual(full.subarray.telIds);
      const ids: number[] = [];
      for (const ev of lazy.iterEvents()) {
        const ref = full.event(ev.index);
        ids.push(ev.eventId);
        expect(ev.eventId, name).toBe(ref.eventId);
        expect(
          ev.tel.map((t) => t.telId),
          name,
        ).toEqual(ref.tel.map((t) => t.telId));
        ev.tel.forEach((t, k) => expect(Buffer.compare(Buffer.from(t.r0.waveform.buffer), Buffer.from(ref.tel[k].r0.waveform.buffer)), name).toBe(0));
      }
      expect(lazy.indexComplete, name).toBe(true);
      expect(ids.length, name).toBe(full.nEvents);
      // one pass over the decompressed data (plus the first sync marker read twice at open)
      const s = lazy.eventio.readerStats;
      expect(s.bytesDecoded, name).toBeLessThan((lazy.eventio.dataSize as number) * 1.05 + (1 << 20));
    } finally {
      full.close();
      lazy.close();
    }
  }
});

it('event(i) beyond the index so far scans on to it, and says when there is no such event', () => {
  const lazy = openSimtelFile(join(SIMTEL_FIXTURES, 'lst_muons_with_true_photons.simtel.zst'), { index: 'lazy' });
  try {
    expect(lazy.event(2).eventId).toBe(300);
    expect(lazy.nEvents).toBe(3);
    expect(lazy.event(0).eventId).toBe(100);
    expect(() => lazy.event(3)).toThrow(/no event 3 \(the file has 3\)/);
    expect(lazy.indexComplete).toBe(true);
  } finally {
    lazy.close();
  }
});
