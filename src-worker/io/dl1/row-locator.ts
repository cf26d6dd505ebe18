/**
 * Finds the row of an event in a per-event table (a telescope's images or
 * parameters, the simulated showers, ...). The expected row comes from the
 * event lists (telescope trigger table, or row = event index for subarray
 * tables) and is checked against the row's own obs_id/event_id; only when
 * that fails is the table's key columns scanned once to build an exact map.
 */
import type { TableReader } from '../hdf5/table-reader.js';
import { decodeColumn, toFloat64 } from '../hdf5/column-decode.js';

export class RowLocator {
  private exact: Map<number, number> | null = null;
  private sorted: boolean;

  /**
   * @param eventOfRow event index of each row as expected, or null when unknown
   * @param keyOf (obs_id, event_id) -> event index
   */
  constructor(
    readonly table: TableReader,
    private eventOfRow: Int32Array | null,
    private keyOf: (obsId: number, eventId: number) => number,
    private obsIdOf: (event: number) => number,
    private eventIdOf: (event: number) => number,
  ) {
    if (eventOfRow && eventOfRow.length !== table.nRows) this.eventOfRow = null;
    this.sorted = true;
    const e = this.eventOfRow;
    if (e) for (let i = 1; i < e.length; i++) if (e[i] < e[i - 1]) this.sorted = false;
  }

  private predicted(event: number): number {
    const e = this.eventOfRow;
    if (!e) return -1;
    if (this.sorted) {
      let lo = 0;
      let hi = e.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid] < event) lo = mid + 1;
        else if (e[mid] > event) hi = mid - 1;
        else return mid;
      }
      return -1;
    }
    return e.indexOf(event);
  }

  private matches(row: number, event: number): boolean {
    const t = this.table;
    if (!t.hasField('obs_id') || !t.hasField('event_id')) return true;
    const r = t.row(row, ['obs_id', 'event_id']);
    return r.obs_id === this.obsIdOf(event) && r.event_id === this.eventIdOf(event);
  }

  private buildExact(): Map<number, number> {
    const t = this.table;
    const map = new Map<number, number>();
    if (!t.hasField('obs_id') || !t.hasField('event_id')) return map;
    const fObs = t.field('obs_id');
    const fEv = t.field('event_id');
    t.scan((raw, start, count) => {
      const obs = toFloat64(decodeColumn(raw, t.rowSize, count, fObs));
      const ev = toFloat64(decodeColumn(raw, t.rowSize, count, fEv));
      for (let i = 0; i < count; i++) {
        const e = this.keyOf(obs[i], ev[i]);
        if (e >= 0 && !map.has(e)) map.set(e, start + i);
      }
    });
    return map;
  }

  /** Row of event index `event`, or -1 if the table has none. */
  find(event: number): number {
    if (this.exact) return this.exact.get(event) ?? -1;
    const p = this.predicted(event);
    if (p >= 0 && this.matches(p, event)) return p;
    if (p < 0 && this.eventOfRow) return -1; // the event lists say this telescope has no row for it
    this.exact = this.buildExact();
    return this.exact.get(event) ?? -1;
  }

  /** True when lookups went through a full scan of the key columns. */
  get scanned(): boolean {
    return this.exact !== null;
  }
}
