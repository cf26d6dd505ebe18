/**
 * What the live pipeline carries between the worker pool and the backend's
 * aggregation: per telescope image the telescope-frame parameters ctapipe
 * would write to /dl1/event/telescope/parameters (deg, ns/deg, p.e.), the
 * cleaning mask and a camera-frame ellipse for the camera overlays; per array
 * event the stereo geometry (ctapipe HillasReconstructor).
 */
import type { SubarrayDescription } from '../containers/subarray.js';
import type { ImageProcessingConfig } from '../image/image-processor.js';
import type { HillasEllipse } from '../containers/hillas.js';
import type { TelescopeFrameHillas } from '../containers/hillas.js';

/** Telescope-frame image parameters (ctapipe names and units), NaN when unknown. */
export interface LiveImageParameters extends TelescopeFrameHillas {
  /** true when the Hillas parameters could be computed (non-empty mask) */
  ok: boolean;
  skewness: number;
  kurtosis: number;
  /** ns/deg along the major axis (ctapipe timing_slope in the telescope frame) */
  timeGradient: number;
  /** pixels surviving cleaning */
  nPixels: number;
  nIslands: number;
  /** ctapipe's leakage_intensity_width_2 (for the stereo quality query) */
  leakage2: number;
}

export interface LiveImage {
  telId: number;
  camera: string;
  /** p.e. */
  image: Float32Array;
  /** ns */
  peakTime: Float32Array;
  /** 1 = pixel survives cleaning */
  mask: Uint8Array;
  params: LiveImageParameters;
  /** the Hillas ellipse in the camera frame (m, deg) for overlays; absent when !params.ok */
  cameraHillas?: HillasEllipse;
  /** ns/m along the camera-frame major axis (overlay) */
  cameraTimingSlope?: number;
  /** simulation: the light distribution drawn (camera frame) */
  trueEllipse?: HillasEllipse;
}

export interface LiveStereo {
  isValid: boolean;
  /** deg */
  alt: number;
  az: number;
  /** m, ground frame */
  coreX: number;
  coreY: number;
  /** m above sea level */
  hMax: number;
  telIds: number[];
}

export interface LiveProcessedEvent {
  obsId: number;
  eventId: number;
  /** seconds since the epoch */
  time: number;
  images: LiveImage[];
  stereo: LiveStereo;
  /** simulation only */
  trueShower?: { energy: number; alt: number; az: number; coreX: number; coreY: number };
}

/** Simulate a batch of triggered array events and process them (cleaning, parameters, stereo). */
export interface LiveSimulateTask {
  kind: 'live-simulate';
  count: number;
  seed: number;
  subarray: SubarrayDescription;
  /** cleaning and image quality query (default: LIVE_IMAGE_PROCESSING, live-image-processing.ts) */
  processing?: ImageProcessingConfig;
  /** slab chunks of earlier batches the backend is done with (transferred back for reuse) */
  recycle?: ArrayBuffer[];
}

/** One array event as a DAQ sends it: raw telescope images. */
/** A telescope's R1 waveforms as a DAQ sends them (the protocol's optional waveform block). */
export interface LiveWaveform {
  nSamples: number;
  /** GHz */
  samplingRateGHz: number;
  /** pixels × nSamples, p.e., pixel-major */
  samples: Float32Array;
}

export interface RawArrayEvent {
  obsId: number;
  eventId: number;
  /** seconds since the epoch */
  time: number;
  /** per telescope its image, peak times and, when the source sends them, its R1 waveforms */
  images: { telId: number; image: Float32Array; peakTime: Float32Array; waveform?: LiveWaveform }[];
}

/** Raw telescope images of a batch of array events (e.g. from a DAQ stream) to process. */
export interface LiveProcessTask {
  kind: 'live-process';
  subarray: SubarrayDescription;
  /** cleaning and image quality query (default: LIVE_IMAGE_PROCESSING, live-image-processing.ts) */
  processing?: ImageProcessingConfig;
  events: RawArrayEvent[];
}

/** Per telescope, sums over the images of one batch (pixel maps are merged from these in the backend). */
export interface PixelSums {
  telId: number;
  camera: string;
  images: number;
  /** Σ charge per pixel, p.e. */
  sum: Float64Array;
  /** Σ charge² per pixel, p.e.² */
  sumSq: Float64Array;
  /** images in which the pixel survived cleaning */
  survived: Uint32Array;
}

/** A batch of processed live events packed into a few typed arrays for the trip between threads (live-batch-codec.ts). */
export interface PackedLiveEvents {
  nEvents: number;
  nImages: number;
  events: Float64Array;
  images: Float64Array;
  /** camera names, indexed by the images' camera field */
  cameras: string[];
  /** the telescopes used by each event's stereo reconstruction, concatenated */
  stereoTelIds: Int32Array;
  /** the buffers the pixel arrays live in (transferred with the batch) */
  buffers: ArrayBuffer[];
}

export interface LiveBatchResult {
  kind: 'live-batch';
  /** the processed events, packed (live-batch-codec.ts: unpackLiveEvents) */
  events: PackedLiveEvents;
  /** the slab chunks the events' pixel arrays were carved from (batch-slab.ts), to send back when done */
  slabChunks: ArrayBuffer[];
  /** pixel-map sums over every image of `events` */
  pixelSums: PixelSums[];
  /** events that could not be processed (e.g. pixel count not matching the camera) with why */
  rejected: { eventId: number; reason: 'bad-frame' | 'unknown-telescope'; message: string }[];
  /** worker time, ms */
  elapsedMs: number;
}
