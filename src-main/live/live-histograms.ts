/**
 * The live histograms filled from every processed event (histogram-1d.ts
 * does the binning): image parameters once per telescope image, with a
 * per-telescope breakdown, stereo quantities once per array event. A value
 * that is not there (no parameters, invalid stereo, no simulation truth)
 * counts as `invalid`, so each histogram's total equals the images or
 * events processed since its last reset.
 */
import type { LiveHistogram, LiveHistogramName, LiveHistograms, LiveSourceKind } from '../api/live-contract.js';
import type { LiveProcessedEvent } from '../../src-worker/live/live-types.js';
import { createHistogram1D, fill, type Histogram1D } from '../../src-worker/histogram/histogram-1d.js';
import { defaultHistogramSpecs, eventValues, imageValues, type HistogramSpec } from './histogram-specs.js';

interface Entry {
  spec: HistogramSpec;
  h: Histogram1D;
  perTel: Map<number, Float64Array>;
}

function create(spec: HistogramSpec): Entry {
  return { spec, h: createHistogram1D({ nBins: spec.bins, lo: spec.min, hi: spec.max, scale: spec.axis === 'log10' ? 'log' : 'linear' }), perTel: new Map() };
}

export class LiveHistogramSet {
  private entries = new Map<LiveHistogramName, Entry>();
  private imageEntries: [Entry, (typeof imageValues)[LiveHistogramName] & {}][] = [];
  private eventEntries: [Entry, (typeof eventValues)[LiveHistogramName] & {}][] = [];
  private seq = 0;
  events = 0;
  images = 0;

  constructor(
    private readonly pointing: () => { alt: number; az: number },
    specs: readonly HistogramSpec[] = defaultHistogramSpecs,
  ) {
    for (const s of specs) this.entries.set(s.name, create(s));
    this.index();
  }

  private index(): void {
    this.imageEntries = [];
    this.eventEntries = [];
    for (const e of this.entries.values()) {
      const iv = imageValues[e.spec.name];
      const ev = eventValues[e.spec.name];
      if (e.spec.per === 'image' && iv) this.imageEntries.push([e, iv]);
      if (e.spec.per === 'event' && ev) this.eventEntries.push([e, ev]);
    }
  }

  add(event: LiveProcessedEvent): void {
    this.events++;
    for (const img of event.images) {
      this.images++;
      for (const [e, value] of this.imageEntries) {
        const bin = fill(e.h, value(img.params));
        if (bin >= 0 && bin < e.h.nBins) {
          let c = e.perTel.get(img.telId);
          if (!c) e.perTel.set(img.telId, (c = new Float64Array(e.h.nBins)));
          c[bin]++;
        }
      }
    }
    const p = this.pointing();
    for (const [e, value] of this.eventEntries) fill(e.h, value(event, p));
  }

  reset(names?: readonly LiveHistogramName[]): void {
    for (const e of this.entries.values()) {
      if (names && !names.includes(e.spec.name)) continue;
      this.entries.set(e.spec.name, create(e.spec));
    }
    if (!names) this.events = this.images = 0;
    this.index();
  }

  configure(name: LiveHistogramName, bins: number, min: number, max: number, axis?: 'linear' | 'log10'): void {
    const old = this.entries.get(name);
    if (!old) throw new Error(`no live histogram "${name}"`);
    const spec = { ...old.spec, bins, min, max, axis: axis ?? old.spec.axis };
    if (spec.axis === 'log10' && !(min > 0)) throw new Error(`histogram "${name}": a log10 axis needs min > 0 (got ${min})`);
    this.entries.set(name, create(spec));
    this.index();
  }

  snapshot(source: LiveSourceKind): LiveHistograms {
    const histograms: LiveHistogram[] = [];
    for (const { spec, h, perTel } of this.entries.values()) {
      const perTelescope: Record<number, Float64Array> = {};
      for (const [tel, c] of perTel) perTelescope[tel] = c.slice();
      histograms.push({
        name: spec.name,
        label: spec.label,
        unit: spec.unit,
        per: spec.per,
        axis: spec.axis,
        edges: h.edges.slice(),
        counts: h.counts.slice(),
        perTelescope: spec.per === 'image' ? perTelescope : undefined,
        underflow: h.underflow,
        overflow: h.overflow,
        invalid: h.nan,
        total: h.entries,
        sum: h.sumwx,
        sumSquares: h.sumwx2,
      });
    }
    return { seq: ++this.seq, source, events: this.events, images: this.images, time: Date.now() / 1000, histograms };
  }
}
