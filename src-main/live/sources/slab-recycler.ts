/**
 * The slab chunks of simulated batches (src-worker/live/batch-slab.ts) go
 * back to the worker pool once no event of their batch is held any more:
 * the ring of recent events is the only holder of a processed event's pixel
 * arrays (the views and the recorder get copies), so when it has let go of
 * every event of a batch, that batch's chunks can be refilled. A fresh 1 MB
 * buffer costs the worker ~100 µs; a recycled one nothing. Batches whose
 * events never all reach the ring are simply left to the garbage collector.
 */
interface BatchRef {
  remaining: number;
  chunks: ArrayBuffer[];
}

/** chunks waiting to go back, at most (beyond that the collector takes them) */
const MAX_READY = 32;

/** where an event keeps its batch (a symbol-keyed field: cheaper for the collector than a WeakMap entry per event) */
const BATCH = Symbol('slab batch');
type Tagged = { [BATCH]?: BatchRef };

export class SlabRecycler {
  private ready: ArrayBuffer[] = [];
  /** chunks handed back to the pool so far */
  recycled = 0;

  /** a batch's events, all carved from `chunks` */
  track(events: readonly object[], chunks: ArrayBuffer[]): void {
    if (events.length === 0 || chunks.length === 0) return;
    const ref: BatchRef = { remaining: events.length, chunks };
    for (const e of events) (e as Tagged)[BATCH] = ref;
  }

  /** an event no one holds any more */
  release(event: object): void {
    const ref = (event as Tagged)[BATCH];
    if (!ref) return;
    (event as Tagged)[BATCH] = undefined;
    if (--ref.remaining === 0) for (const c of ref.chunks) if (this.ready.length < MAX_READY && c.byteLength > 0) this.ready.push(c);
  }

  /** up to `max` chunks to send with the next task (they are transferred: gone from here) */
  take(max: number): ArrayBuffer[] {
    this.recycled += Math.min(max, this.ready.length);
    return this.ready.splice(0, max);
  }
}
