/**
 * Backpressure: when the pool is slower than the arrivals, the bounded queue
 * fills and further events are dropped before processing and counted, never
 * silently: received = processed + dropped at the end. The queue and the
 * batches in flight never exceed their bounds, so memory stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { LiveProcessor } from '../../../../../src-main/live/sources/live-processor.js';
import type { WorkerPool } from '../../../../../src-main/pool/worker-pool.js';
import type { LiveBatchResult, LiveProcessTask, RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import type { PoolTask } from '../../../../../src-worker/threads/pool-tasks.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import { packLiveEvents } from '../../../../../src-worker/live/live-batch-codec.js';

/** a pool whose tasks take `ms` each, `threads` at a time */
function slowPool(ms: number, threads: number): WorkerPool & { maxConcurrent: number; tasks: number } {
  let running = 0;
  const pool = {
    maxConcurrent: 0,
    tasks: 0,
    threads,
    queued: 0,
    run(task: PoolTask): Promise<LiveBatchResult> {
      const t = task as LiveProcessTask;
      pool.tasks++;
      running++;
      pool.maxConcurrent = Math.max(pool.maxConcurrent, running);
      return new Promise((resolve) =>
        setTimeout(() => {
          running--;
          resolve({
            kind: 'live-batch',
            slabChunks: [],
            events: packLiveEvents(
              t.events.map((e) => ({
                obsId: e.obsId,
                eventId: e.eventId,
                time: e.time,
                images: [],
                stereo: { isValid: false, alt: NaN, az: NaN, coreX: NaN, coreY: NaN, hMax: NaN, telIds: [] },
              })),
            ).packed,
            pixelSums: [],
            rejected: [],
            elapsedMs: ms,
          });
        }, ms),
      );
    },
    close: async () => undefined,
  };
  return pool as unknown as WorkerPool & { maxConcurrent: number; tasks: number };
}

function raw(id: number): RawArrayEvent {
  return { obsId: 1, eventId: id, time: 0, images: [{ telId: 1, image: new Float32Array(1855), peakTime: new Float32Array(1855) }] };
}

describe('LiveProcessor backpressure', () => {
  it('drops before processing when the pool cannot keep up, counts every drop, stays bounded', async () => {
    const pool = slowPool(20, 2);
    const p = new LiveProcessor(pool, () => defaultSubarray, { queueCapacity: 100, batchSize: 10, maxInFlight: 2 });
    let processed = 0;
    const seen = new Set<number>();
    p.on('processed', (events) => {
      processed += events.length;
      for (const e of events) seen.add(e.eventId);
    });
    let maxQueued = 0;
    let accepted = 0;
    const sent = 5000;
    // 5000 events in ~0.25 s; the pool does 2 × 10 events per 20 ms = 1000 events/s
    for (let i = 0; i < sent; i++) {
      if (p.submit(raw(i))) accepted++;
      maxQueued = Math.max(maxQueued, p.queued);
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await p.drain();
    expect(p.droppedQueueFull).toBeGreaterThan(0);
    expect(processed + p.droppedQueueFull).toBe(sent);
    expect(processed).toBe(accepted);
    expect(seen.size).toBe(processed);
    expect(maxQueued).toBeLessThanOrEqual(100);
    expect(pool.maxConcurrent).toBeLessThanOrEqual(2);
  });

  it('drops nothing when the pool keeps up', async () => {
    const p = new LiveProcessor(slowPool(1, 2), () => defaultSubarray, { queueCapacity: 100, batchSize: 10, maxInFlight: 4 });
    let processed = 0;
    p.on('processed', (events) => (processed += events.length));
    for (let i = 0; i < 300; i++) {
      p.submit(raw(i));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    await p.drain();
    expect(p.droppedQueueFull).toBe(0);
    expect(processed).toBe(300);
  });
});
