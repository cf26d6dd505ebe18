/**
 * The live stream's waveforms in the shape the waveform view draws
 * (PixelWaveforms), from a live.waveforms reply: the R1 samples the DAQ sent,
 * and for each pixel the image value and peak time the stream sent with them
 * (the camera server's extraction). The stream does not say which window
 * the camera server summed, so none is shown and none is invented; and it
 * has no R0, no gain and no truth. When to ask again as new events are shown
 * (at most every `minIntervalMs`, never while a request is out). Pure: no DOM.
 */
import type { LiveWaveforms } from '../../src-main/api/live-contract.js';
import type { PixelWaveform, PixelWaveforms } from '../../src-main/api/file-contract.js';

/** what the view says of a live source that sends no waveforms */
export const LIVE_NO_WAVEFORMS =
  'this live source sends no waveforms (the built-in simulation, a DL1 replay, or a DAQ without the R1 waveform block, e.g. lightpool daq --no-waveforms): only the image is known';

/** what the view says of the window of live waveforms */
export const LIVE_WINDOW_UNKNOWN =
  'the extraction window is not known (the DAQ stream does not carry it): the image value and peak time are the ones the stream sent';

const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** A live.waveforms reply with waveforms as the view's PixelWaveforms (undefined when not available). */
export function liveToPixelWaveforms(w: LiveWaveforms, camera: string): PixelWaveforms | undefined {
  if (!w.available || !w.nSamples || !w.samplingRateGHz) return undefined;
  const pixels: PixelWaveform[] = w.pixels.map((pixel, k) => ({
    pixel,
    r1: w.waveforms[k] ? Float32Array.from(w.waveforms[k], (v) => finite(v)) : null,
    r0High: null,
    r0Low: null,
    selectedGain: -1,
    windowStart: null,
    windowWidth: null,
    charge: finite(w.image?.[k]),
    peakTime: finite(w.peakTime?.[k]),
    invalid: false,
    truePe: null,
    truePeTimes: null,
  }));
  return {
    fileId: '',
    index: -1,
    obsId: w.obsId ?? -1,
    eventId: w.eventId ?? -1,
    telId: w.telId,
    camera,
    nSamples: w.nSamples,
    samplingRateGHz: w.samplingRateGHz,
    source: 'live DAQ stream, R1 as sent',
    extractor: null,
    hasR0: false,
    pixels,
  };
}

/** Asks again for the newest waveforms as events are shown: at most once per `minIntervalMs`, one request at a time. */
export class RefreshGate {
  private inFlight = false;
  private last = -Infinity;

  constructor(readonly minIntervalMs = 250) {}

  /** true when a request may go now (it is then counted as started at `now`) */
  tryStart(now: number): boolean {
    if (this.inFlight || now - this.last < this.minIntervalMs) return false;
    this.inFlight = true;
    this.last = now;
    return true;
  }

  /** the request ended (answered, failed or outdated) */
  done(): void {
    this.inFlight = false;
  }

  /** forget the timing (a new pixel was clicked: ask at once) */
  reset(): void {
    this.inFlight = false;
    this.last = -Infinity;
  }
}

const fixed = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/** One line per pixel of live waveforms: what the stream sent with them, and that the window is not known. */
export function liveReadoutText(p: PixelWaveform): string {
  return [`pixel ${p.pixel}`, `image ${fixed(p.charge, 2)} p.e.`, `peak time ${fixed(p.peakTime, 2)} ns`, 'window not known'].join(' · ');
}
