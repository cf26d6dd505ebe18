/**
 * Array events as the views show them, whatever their source (a file, the
 * simulation, a DAQ stream): per telescope the image, peak times, cleaning
 * mask and Hillas ellipse; per event the true and reconstructed shower.
 */
import type { HillasEllipse } from './hillas.js';

export interface TelescopeImage {
  telId: number;
  camera: string;
  /** charge per pixel, p.e. */
  image: Float32Array;
  /** peak time per pixel, ns */
  peakTime: Float32Array;
  /** cleaning mask (1 = survives), when computed */
  mask?: Uint8Array;
  /** Hillas ellipse, when known: from reconstruction, or the simulation's truth */
  hillas?: HillasEllipse;
  /** where `hillas` comes from */
  hillasSource?: 'reconstruction' | 'simulation-truth' | 'file';
  /** timing-gradient slope along the Hillas major axis, ns/m (camera frame) */
  timingSlope?: number;
  /** "ok", or why there are no parameters (ctapipe's error text, e.g. for an empty mask) */
  parameterStatus?: string;
  /** simulations: the true image (photo-electrons per pixel; -1 everywhere when the file should have one but this event has none) */
  trueImage?: Float32Array;
  /** simulation only: the light distribution the image was drawn from */
  trueEllipse?: HillasEllipse;
}

export interface TrueShower {
  /** TeV */
  energy: number;
  /** deg */
  alt: number;
  /** deg */
  az: number;
  /** m, ground frame */
  coreX: number;
  coreY: number;
}

/** A reconstructed (or stored) shower geometry, as ctapipe's ReconstructedGeometryContainer. */
export interface ShowerGeometry {
  /** which reconstructor, e.g. "HillasReconstructor" */
  reconstructor: string;
  isValid: boolean;
  /** deg */
  alt: number;
  /** deg */
  az: number;
  /** m, ground frame */
  coreX: number;
  coreY: number;
  /** m */
  hMax?: number;
  /** telescopes used */
  telIds?: number[];
}

export interface ArrayEvent {
  /** where it comes from: a file, or a live source (the simulated array, a DAQ stream, a replayed file) */
  source: 'simulation' | 'file' | 'daq' | 'replay';
  obsId: number;
  eventId: number;
  /** seconds since the Unix epoch */
  time: number;
  telescopes: TelescopeImage[];
  trueShower?: TrueShower;
  /** stereo reconstruction (live: computed; files: stored in DL2 or recomputed) */
  reconstructed?: ShowerGeometry;
  /** array pointing, deg */
  pointing?: { alt: number; az: number };
  /** files: the event's position in the file and the file's event count */
  fileIndex?: { fileId: string; index: number; count: number };
}
