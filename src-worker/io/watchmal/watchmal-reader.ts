/**
 * Reader of WatChMaL HDF5 files (h5py, contiguous, uncompressed):
 * - hit files (DataTools np_to_digihit_array_hdf5.py / np_to_truehit_array_hdf5.py):
 *   per-event `event_hits_index` start offsets into flat `hit_pmt`, `hit_time`,
 *   `hit_charge` (digitised) or `hit_parent` (true hits), with per-event
 *   `labels`, `energies (N,1)` MeV, `positions (N,1,3)` cm, `angles (N,2)` rad,
 *   `event_ids`, `root_files`, and enum-bool `fully_contained`, `veto`, `veto2`;
 * - older image files: `event_data (N, H, W, C)` stacks.
 * An event's hits are read as hyperslabs, never the whole arrays.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import type { H5File } from '../hdf5/h5-file.js';
import { readAttrs } from '../hdf5/h5-attrs.js';
import { elementSpec, hasPointers } from '../hdf5/h5-dtype.js';
import { readRawHyperslab } from '../hdf5/raw-read.js';
import { typedView } from '../hdf5/column-decode.js';
import { choosePmtGeometry } from './pmt-geometry.js';
import type { GeometryChoice } from '../../containers/pmt-geometry.js';
import type { WatchmalKind } from './watchmal-types.js';
import type { WatchmalSummary } from './watchmal-types.js';
import type { WatchmalEvent } from './watchmal-types.js';
import type { TypedArray } from '../hdf5/browse-types.js';

const HIT_DATASETS = ['hit_pmt', 'hit_time', 'hit_charge', 'hit_parent'];
const PER_EVENT = ['labels', 'event_ids', 'energies', 'positions', 'angles', 'fully_contained', 'veto', 'veto2'];

export function watchmalKind(file: H5File): WatchmalKind | null {
  if (file.hasDataset('/event_hits_index') && file.hasDataset('/hit_pmt')) return 'watchmal-hits';
  if (file.hasDataset('/event_data')) {
    const shape = file.metadata('/event_data').shape ?? [];
    if (shape.length >= 2) return 'watchmal-images';
  }
  return null;
}

export class WatchmalReader {
  readonly kind: WatchmalKind;
  readonly nEvents: number;
  readonly nHits: number;
  /** start offset of each event's hits; eventStart[nEvents] = nHits */
  readonly eventStart: Float64Array;
  private present: Set<string>;

  constructor(readonly file: H5File) {
    const kind = watchmalKind(file);
    if (!kind) {
      throw new Hdf5Error('unknown-layout', `${file.path}: not a WatChMaL file (needs event_hits_index + hit_pmt, or event_data)`, file.path);
    }
    this.kind = kind;
    this.present = new Set(file.keys('/').filter((k) => file.hasDataset(`/${k}`)));
    if (kind === 'watchmal-hits') {
      const idxMeta = file.metadata('/event_hits_index');
      const n = idxMeta.shape?.[0] ?? 0;
      this.nHits = file.metadata('/hit_pmt').shape?.[0] ?? 0;
      const raw = readRawHyperslab(file, '/event_hits_index', [0], [n], idxMeta.size);
      const starts = typedView(elementSpec(idxMeta), raw);
      this.eventStart = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) {
        const s = Number(starts[i]);
        if (!(s >= 0 && s <= this.nHits) || (i > 0 && s < this.eventStart[i - 1])) {
          throw new Hdf5Error('corrupt', `${file.path}: event_hits_index[${i}] = ${s} is not a valid hit offset (${this.nHits} hits)`, file.path);
        }
        this.eventStart[i] = s;
      }
      this.eventStart[n] = this.nHits;
      this.nEvents = n;
    } else {
      this.nEvents = file.metadata('/event_data').shape?.[0] ?? 0;
      this.nHits = 0;
      this.eventStart = new Float64Array(0);
    }
  }

  has(name: string): boolean {
    return this.present.has(name);
  }

  get hitKind(): 'digi' | 'true' | null {
    if (this.kind !== 'watchmal-hits') return null;
    return this.has('hit_charge') ? 'digi' : this.has('hit_parent') ? 'true' : null;
  }

  /** Elements [start, start+count) along axis 0 of a dataset, as its natural typed array. */
  private slice(name: string, start: number, count: number): TypedArray {
    const meta = this.file.metadata(`/${name}`);
    const shape = meta.shape ?? [];
    const rest = shape.slice(1);
    const spec = elementSpec(meta);
    const raw = readRawHyperslab(this.file, `/${name}`, [start, ...rest.map(() => 0)], [count, ...rest], meta.size);
    return typedView(spec, raw);
  }

  private perEventNumbers(name: string, i: number): number[] | null {
    if (!this.has(name)) return null;
    const meta = this.file.metadata(`/${name}`);
    if (hasPointers(meta)) return null;
    return Array.from(this.slice(name, i, 1) as ArrayLike<number | bigint>, Number);
  }

  private perEventBool(name: string, i: number): boolean | null {
    const v = this.perEventNumbers(name, i);
    return v ? v[0] !== 0 : null;
  }

  private rootFile(i: number): string | null {
    if (!this.has('root_files')) return null;
    return this.file.guard('dataset /root_files', () => {
      const v = this.file.dataset('/root_files').slice([[i, i + 1]]);
      const s = Array.isArray(v) ? v[0] : v;
      return s === null || s === undefined ? null : String(s);
    });
  }

  checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.nEvents) {
      throw new Hdf5Error('bad-request', `${this.file.path}: event index ${i} out of range (the file has ${this.nEvents} events)`, this.file.path);
    }
  }

  hitRange(i: number): [number, number] {
    return [this.eventStart[i], this.eventStart[i + 1]];
  }

  event(i: number, withHits = true): WatchmalEvent {
    this.checkIndex(i);
    const first = (v: number[] | null) => (v ? v[0] : null);
    const ev: WatchmalEvent = {
      index: i,
      eventId: first(this.perEventNumbers('event_ids', i)),
      rootFile: this.rootFile(i),
      label: first(this.perEventNumbers('labels', i)),
      energy: first(this.perEventNumbers('energies', i)),
      position: this.perEventNumbers('positions', i),
      angles: this.perEventNumbers('angles', i),
      fullyContained: this.perEventBool('fully_contained', i),
      veto: this.perEventBool('veto', i),
      veto2: this.perEventBool('veto2', i),
      nHits: 0,
    };
    if (this.kind === 'watchmal-hits') {
      const [s, e] = this.hitRange(i);
      ev.nHits = e - s;
      if (withHits) {
        ev.hitPmt = toI32(this.slice('hit_pmt', s, e - s));
        if (this.has('hit_time')) ev.hitTime = toF32(this.slice('hit_time', s, e - s));
        if (this.has('hit_charge')) ev.hitCharge = toF32(this.slice('hit_charge', s, e - s));
        if (this.has('hit_parent')) ev.hitParent = toI32(this.slice('hit_parent', s, e - s));
      }
    } else if (withHits) {
      const shape = this.file.metadata('/event_data').shape ?? [];
      ev.image = toF32(this.slice('event_data', i, 1));
      ev.imageShape = shape.slice(1);
    }
    return ev;
  }

  /**
   * Largest hit_pmt in the file, read in blocks; at most `limit` hits are
   * looked at (partial = true when the file has more).
   */
  maxHitPmt(limit = 50_000_000): { max: number; partial: boolean } {
    const n = Math.min(this.nHits, limit);
    const block = 1 << 22;
    let max = -1;
    for (let s = 0; s < n; s += block) {
      const a = this.slice('hit_pmt', s, Math.min(block, n - s)) as ArrayLike<number>;
      for (let k = 0; k < a.length; k++) if (a[k] > max) max = a[k];
    }
    return { max, partial: n < this.nHits };
  }

  /** The PMT geometry this file's hits refer to, by PMT count and name hints. */
  suggestGeometry(): (GeometryChoice & { maxHitPmt: number; partial: boolean }) | null {
    if (this.kind !== 'watchmal-hits') return null;
    const { max, partial } = this.maxHitPmt();
    const hints: string[] = [this.file.path];
    const rf = this.nEvents ? this.rootFile(0) : null;
    if (rf) hints.push(rf);
    const attrs = readAttrs(this.file, '/');
    for (const v of Object.values(attrs)) if (typeof v === 'string') hints.push(v);
    const choice = choosePmtGeometry(max, hints);
    return choice ? { ...choice, maxHitPmt: max, partial } : null;
  }

  summary(): WatchmalSummary {
    const datasets = [...this.present].sort().map((name) => {
      const meta = this.file.metadata(`/${name}`);
      return { name, shape: meta.shape ?? [], dtype: elementSpec(meta).dtype };
    });
    const labelCounts: Record<string, number> = {};
    if (this.has('labels') && this.nEvents <= 10_000_000) {
      const l = this.slice('labels', 0, this.nEvents) as ArrayLike<number>;
      for (let k = 0; k < l.length; k++) labelCounts[l[k]] = (labelCounts[l[k]] ?? 0) + 1;
    }
    return {
      kind: this.kind,
      file: this.file.path,
      nEvents: this.nEvents,
      nHits: this.nHits,
      hitKind: this.hitKind,
      imageShape: this.kind === 'watchmal-images' ? (this.file.metadata('/event_data').shape ?? []).slice(1) : null,
      datasets,
      rootAttributes: readAttrs(this.file, '/'),
      labelCounts,
    };
  }

  /** Names of the per-event and per-hit datasets present (for export). */
  datasetRoles(): { perEvent: string[]; perHit: string[] } {
    return {
      perEvent: [...this.present].filter((n) => PER_EVENT.includes(n) || n === 'root_files' || n === 'event_hits_index' || n === 'event_data'),
      perHit: [...this.present].filter((n) => HIT_DATASETS.includes(n)),
    };
  }
}

function toF32(a: TypedArray): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>, Number);
}

function toI32(a: TypedArray): Int32Array {
  return a instanceof Int32Array ? a : Int32Array.from(a as ArrayLike<number>, Number);
}
