/** Events and source status as they travel over the API (the event shapes are the domain's own, src-worker/containers). */
export type { HillasEllipse } from '../../src-worker/containers/hillas.js';
export type { ArrayEvent, ShowerGeometry, TelescopeImage, TrueShower } from '../../src-worker/containers/array-event.js';

/** 'connecting' / 'reconnecting': a DAQ source waiting for its server (retrying with backoff) */
export type SourceState = 'idle' | 'connecting' | 'running' | 'paused' | 'reconnecting' | 'stopped' | 'error';

export interface SourceStatus {
  kind: 'simulation' | 'file' | 'daq';
  state: SourceState;
  /** configured event rate, Hz */
  rateHz: number;
  /** measured over the last seconds, Hz */
  measuredRateHz: number;
  received: number;
  processed: number;
  /** events pushed to this or any renderer */
  displayed: number;
  dropped: number;
  droppedReason?: string;
  bytes: number;
  message?: string;
}
