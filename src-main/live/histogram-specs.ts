/**
 * The live histograms: what each one shows, its unit, default binning, and
 * how its value is taken from a processed image or event (telescope-frame
 * parameters as ctapipe-process writes them; stereo from HillasReconstructor).
 */
import type { LiveHistogramName } from '../api/live-contract.js';
import type { LiveImageParameters, LiveProcessedEvent } from '../../src-worker/live/live-types.js';

export interface HistogramSpec {
  name: LiveHistogramName;
  label: string;
  unit: string;
  per: 'image' | 'event';
  axis: 'linear' | 'log10';
  bins: number;
  min: number;
  max: number;
}

type ImageValue = (p: LiveImageParameters) => number;
type EventValue = (e: LiveProcessedEvent, pointing: { alt: number; az: number }) => number;

const DEG = Math.PI / 180;

/** Angular distance between two alt/az directions, deg. */
export function angularSeparationDeg(alt1: number, az1: number, alt2: number, az2: number): number {
  const a1 = alt1 * DEG,
    a2 = alt2 * DEG,
    dAz = (az1 - az2) * DEG;
  const c = Math.sin(a1) * Math.sin(a2) + Math.cos(a1) * Math.cos(a2) * Math.cos(dAz);
  return Math.acos(Math.min(1, Math.max(-1, c))) / DEG;
}

/** az difference wrapped to [-180, 180), deg */
function deltaAz(a: number, b: number): number {
  let d = (a - b) % 360;
  if (d < -180) d += 360;
  if (d >= 180) d -= 360;
  return d;
}

const ok = (p: LiveImageParameters, v: number) => (p.ok ? v : NaN);

export const imageValues: Partial<Record<LiveHistogramName, ImageValue>> = {
  intensity: (p) => ok(p, p.intensity),
  width: (p) => ok(p, p.width),
  length: (p) => ok(p, p.length),
  skewness: (p) => ok(p, p.skewness),
  kurtosis: (p) => ok(p, p.kurtosis),
  n_islands: (p) => p.nIslands,
  n_pixels: (p) => p.nPixels,
  time_gradient: (p) => ok(p, p.timeGradient),
};

const valid = (e: LiveProcessedEvent, v: number) => (e.stereo.isValid ? v : NaN);

export const eventValues: Partial<Record<LiveHistogramName, EventValue>> = {
  multiplicity: (e) => e.images.length,
  reco_delta_alt: (e, p) => valid(e, e.stereo.alt - p.alt),
  reco_delta_az: (e, p) => valid(e, deltaAz(e.stereo.az, p.az) * Math.cos(p.alt * DEG)),
  reco_offset: (e, p) => valid(e, angularSeparationDeg(e.stereo.alt, e.stereo.az, p.alt, p.az)),
  h_max: (e) => valid(e, e.stereo.hMax),
  theta2: (e) => (e.stereo.isValid && e.trueShower ? angularSeparationDeg(e.stereo.alt, e.stereo.az, e.trueShower.alt, e.trueShower.az) ** 2 : NaN),
};

export const defaultHistogramSpecs: readonly HistogramSpec[] = [
  { name: 'intensity', label: 'hillas_intensity / p.e.', unit: 'p.e.', per: 'image', axis: 'log10', bins: 60, min: 10, max: 1e5 },
  { name: 'width', label: 'hillas_width / deg', unit: 'deg', per: 'image', axis: 'linear', bins: 60, min: 0, max: 0.3 },
  { name: 'length', label: 'hillas_length / deg', unit: 'deg', per: 'image', axis: 'linear', bins: 60, min: 0, max: 0.6 },
  { name: 'skewness', label: 'hillas_skewness', unit: '', per: 'image', axis: 'linear', bins: 60, min: -3, max: 3 },
  { name: 'kurtosis', label: 'hillas_kurtosis', unit: '', per: 'image', axis: 'linear', bins: 60, min: 0, max: 8 },
  { name: 'n_islands', label: 'morphology_n_islands', unit: '', per: 'image', axis: 'linear', bins: 11, min: -0.5, max: 10.5 },
  { name: 'n_pixels', label: 'morphology_n_pixels', unit: '', per: 'image', axis: 'log10', bins: 40, min: 1, max: 3000 },
  { name: 'time_gradient', label: 'timing_slope / (ns/deg)', unit: 'ns/deg', per: 'image', axis: 'linear', bins: 80, min: -40, max: 40 },
  { name: 'multiplicity', label: 'telescopes per event', unit: '', per: 'event', axis: 'linear', bins: 20, min: 0.5, max: 20.5 },
  { name: 'reco_delta_alt', label: 'reconstructed alt − pointing alt / deg', unit: 'deg', per: 'event', axis: 'linear', bins: 80, min: -2, max: 2 },
  { name: 'reco_delta_az', label: '(reconstructed az − pointing az)·cos(alt) / deg', unit: 'deg', per: 'event', axis: 'linear', bins: 80, min: -2, max: 2 },
  { name: 'reco_offset', label: 'reconstructed direction to pointing / deg', unit: 'deg', per: 'event', axis: 'linear', bins: 60, min: 0, max: 3 },
  { name: 'h_max', label: 'h_max / m', unit: 'm', per: 'event', axis: 'linear', bins: 60, min: 0, max: 30_000 },
  { name: 'theta2', label: 'θ² to the true direction / deg²', unit: 'deg2', per: 'event', axis: 'linear', bins: 50, min: 0, max: 0.5 },
];
