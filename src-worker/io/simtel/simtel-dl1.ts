/**
 * sim_telarray event → DL1 images and parameters, as ctapipe 0.26's
 * `SimTelEventSource` + `CameraCalibrator` + `ImageProcessor` do it with
 * ctapipe-process's defaults, for every telescope of an event:
 *
 * 1. R0 → R1 → DL1 (`SimtelCalibrator`: ThresholdGainSelector, pedestal,
 *    dc_to_pe, NeighborPeakWindowSum with the integration correction, time
 *    shift, NeighborAverage for HV-disabled pixels);
 * 2. `TailcutsImageCleaner` (default 10/5 p.e., at least 2 picture
 *    neighbours, isolated pixels dropped) with the camera-frame neighbours;
 * 3. `ImageQualityQuery` on the cleaned pixels (default `image.sum() > 0`),
 *    counted per criterion as ctapipe counts it;
 * 4. every image parameter (Hillas, timing, leakage, concentration,
 *    morphology, intensity and peak-time statistics) in the telescope frame
 *    (deg, positions converted with the telescope's frame focal length: the
 *    one the file was opened with, `focalLengthChoice`), or ctapipe's default
 *    row (NaN, morphology -1) for an image that fails the query.
 *
 * Pure: no I/O, nothing global; the per-telescope set-up (calibrator,
 * geometry in the telescope frame, scratch memory) is made on a telescope's
 * first image and kept. By default the arrays of a result are this
 * processor's own buffers, overwritten by the next event with that telescope
 * (what a loop that consumes each event at once wants: no allocation per
 * image); `{ fresh: true }` gives new arrays (to keep or transfer them).
 *
 * `processTrueImage` gives the true-image parameters ctapipe's
 * ImageProcessor computes for simulations
 * (`/simulation/event/telescope/parameters`: the pixels with true p.e. > 0,
 * the same quality query, no timing). What it does not do: muon analysis,
 * stereo reconstruction.
 */
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import { computePixelNeighbors, type PixelNeighbors } from '../../instrument/neighbors.js';
import type { TailcutsOptions } from '../../image/tailcuts.js';
import {
  computeImageParameters,
  createImageParametersWorkspace,
  emptyImageParameters,
  prepareImageGeometry,
  type ImageGeometry,
  type ImageParametersWorkspace,
} from '../../image/image-parameters.js';
import { passesImageQuality } from '../../image/image-quality-query.js';
import type { ParameterFrame } from '../../containers/image-parameters.js';
import { N_PARAMETER_COLUMNS, packDefaultImageParameters, packImageParameters, packedParameterColumns } from '../../image/parameter-columns.js';
import { IMAGE_STATUS, ImageProcessor, type ImageProcessorSettings } from '../../image/image-processor.js';
import { CTAPIPE_DEFAULT_IMAGE_QUALITY } from '../../image/image-quality-query.js';
import { newQualityCounts, type QualityCounts, type QualityCriterion } from '../../selection/quality-query.js';
import type { SimtelEvent, SimtelSubarray, SimtelTelescope, SimtelTelescopeEvent } from './simtel-types.js';
import type { ArrayEventParts } from './array-event.js';
import { EventIOError } from '../eventio/eventio-errors.js';
import type { CameraReadout } from '../../calib/image-extractor.js';
import { SimtelCalibrator, type SimtelCalibrationOptions, type SimtelTelescopeSetup } from '../../calib/simtel-calibration.js';

/** ctapipe-process's default TailcutsImageCleaner (ctapipe 0.26, no configuration). */
export const CTAPIPE_PROCESS_DEFAULT_CLEANING: TailcutsOptions = Object.freeze({
  pictureThresh: 10,
  boundaryThresh: 5,
  keepIsolatedPixels: false,
  minNumberPictureNeighbors: 2,
});

/** ctapipe 0.26's default ImageQualityQuery (`size_greater_0`). */
export const CTAPIPE_DEFAULT_IMAGE_QUALITY_CRITERIA: readonly QualityCriterion[] = CTAPIPE_DEFAULT_IMAGE_QUALITY;

/**
 * The parts of an event this chain uses, for `SimtelFile.event(i, parts)` /
 * `iterEvents(parts)`: everything but the pixel timing objects (2016), which
 * neither it nor ctapipe's calibration use.
 */
export const SIMTEL_DL1_EVENT_PARTS: Readonly<ArrayEventParts> = Object.freeze({ adc: true, pixelTiming: false });

/** What the parameters of one image are (the same codes as the reconstruction batches). */
export const DL1_IMAGE_STATUS = IMAGE_STATUS;

export interface SimtelDL1Options {
  /** R0 → DL1 settings (default: ctapipe's; the R1 waveforms are not kept unless asked), or per telescope */
  calibration?: SimtelCalibrationOptions | ((telescope: SimtelTelescope) => SimtelCalibrationOptions);
  /** tailcuts per telescope (default CTAPIPE_PROCESS_DEFAULT_CLEANING for all) */
  cleaning?: TailcutsOptions | ((telescope: SimtelTelescope) => TailcutsOptions);
  /** ImageQualityQuery criteria (default `image.sum() > 0`); null: every image is parameterised */
  quality?: readonly QualityCriterion[] | null;
  /** frame of the parameters (default 'TelescopeFrame', ImageProcessor's default) */
  frame?: ParameterFrame;
  /**
   * the file the events come from, as the user named it: an event the
   * chain cannot calibrate (no pedestals before it, a camera the file does
   * not describe, impossible pixel positions …) is then an EventIOError
   * naming the file, the event and the telescope
   */
  source?: string;
}

/** DL1 of one telescope event. */
export interface TelescopeDL1 {
  telId: number;
  /** p.e. per pixel (gain-selected) */
  image: Float32Array;
  /** ns per pixel */
  peakTime: Float32Array;
  /** 1 = pixel survived the cleaning */
  mask: Uint8Array;
  /** the surviving pixels, ascending (`selected.length` of them) */
  selected: Int32Array;
  /** the gain channel of each pixel, or null when not gain-selected */
  selectedGainChannel: Int8Array | null;
  /** ctapipe's R1 pixel_status */
  pixelStatus: Uint8Array;
  /** `N_PARAMETER_COLUMNS` values in `packedParameterColumns(frame)` order */
  parameters: Float64Array;
  /** DL1_IMAGE_STATUS */
  status: number;
  /** the error a parameter raised, when status is `error` */
  error: string | null;
  /** R1 waveforms when the calibration options keep them */
  r1: Float32Array | Float64Array | null;
}

export interface SimtelDL1Event {
  eventId: number;
  tel: TelescopeDL1[];
  /** why the event has no DL1 here (calibration events: ctapipe selects no gain for them and ctapipe-process skips them) */
  skipped?: string;
}

interface PreparedTelescope {
  telId: number;
  nPixels: number;
  calibrator: SimtelCalibrator;
  /** the one image processor (cleaning → quality query → parameters), one per telescope: its selection and parameters are this telescope's until its next image */
  processor: ImageProcessor;
  settings: ImageProcessorSettings;
  mask: Uint8Array;
  parameters: Float64Array;
  /** scratch of the true-image parameters, made on first use */
  truth?: { image: Float32Array; selected: Int32Array; scratch: Float32Array; workspace: ImageParametersWorkspace };
}

/**
 * The parameter geometries (frame conversion, its neighbours, border masks,
 * pixel widths) of the cameras seen lately in this thread, across files and
 * processors: used again only for a geometry with the same positions, areas
 * and focal length.
 */
const PREPARED = new Map<string, { camera: CameraGeometry; neighbors: PixelNeighbors; image: ImageGeometry }>();
const PREPARED_MAX = 16;

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function preparedGeometry(camera: CameraGeometry, neighbors: PixelNeighbors, frame: ParameterFrame, focalLength: number): ImageGeometry {
  const key = `${camera.name}|${camera.nPixels}|${camera.pixType}|${camera.pixRotation}|${camera.camRotation}|${frame}|${focalLength}`;
  const hit = PREPARED.get(key);
  if (
    hit &&
    (hit.camera === camera ||
      (sameValues(hit.camera.pixX, camera.pixX) && sameValues(hit.camera.pixY, camera.pixY) && sameValues(hit.camera.pixArea, camera.pixArea)))
  ) {
    if (frame === 'TelescopeFrame' || hit.neighbors === neighbors) return hit.image;
  }
  const image =
    frame === 'CameraFrame'
      ? prepareImageGeometry(camera, { frame: 'CameraFrame', neighbors })
      : prepareImageGeometry(camera, { frame: 'TelescopeFrame', focalLength });
  PREPARED.delete(key);
  PREPARED.set(key, { camera, neighbors, image });
  while (PREPARED.size > PREPARED_MAX) PREPARED.delete(PREPARED.keys().next().value as string);
  return image;
}

/** The calibration's view of a sim_telarray telescope: gains, readout, neighbours, HV-disabled pixels. */
export function simtelTelescopeSetup(tel: SimtelTelescope): SimtelTelescopeSetup {
  const cam = tel.camera;
  const ro = cam.readout;
  const shapes = ro.referencePulseShape;
  const nRef = shapes.length ? shapes[0].length : 0;
  const flat = new Float64Array(shapes.length * nRef);
  shapes.forEach((s, g) => flat.set(s.subarray(0, nRef), g * nRef));
  const readout: CameraReadout = {
    samplingRateGHz: ro.samplingRate,
    referencePulseShape: flat,
    referencePulseGains: shapes.length,
    referencePulseSampleWidthNs: ro.referencePulseSampleWidth,
  };
  return {
    nGains: ro.nChannels,
    nPixels: cam.geometry.nPixels,
    readout,
    neighbors: cam.neighbors,
    hvDisabledPixels: tel.settings.disabledPixels?.hvDisabled ?? new Int32Array(0),
  };
}

/** R0 → DL1 → cleaning → quality → parameters for the telescopes of sim_telarray events of one file (one subarray). */
export class SimtelDL1Processor {
  readonly frame: ParameterFrame;
  readonly quality: readonly QualityCriterion[] | null;
  /** the quality query's counts over every image processed (TOTAL, then per criterion), when there is a query */
  readonly qualityCounts: QualityCounts | null;
  /** names of the packed parameter columns */
  readonly parameterColumns: string[];
  private readonly telescopes: Map<number, SimtelTelescope>;
  private readonly prepared = new Map<number, PreparedTelescope>();
  private readonly calibration: (telescope: SimtelTelescope) => SimtelCalibrationOptions;

  constructor(
    readonly subarray: SimtelSubarray,
    readonly options: SimtelDL1Options = {},
  ) {
    this.frame = options.frame ?? 'TelescopeFrame';
    this.quality = options.quality === undefined ? CTAPIPE_DEFAULT_IMAGE_QUALITY_CRITERIA : options.quality;
    this.qualityCounts = this.quality ? newQualityCounts(this.quality.length) : null;
    this.parameterColumns = packedParameterColumns(this.frame);
    this.telescopes = new Map(subarray.telescopes.map((t) => [t.telId, t]));
    const c = options.calibration;
    this.calibration = (t) => ({ keepR1Waveforms: false, ...(typeof c === 'function' ? c(t) : c) });
  }

  /** Every telescope of `event`, in the event's order (none for a calibration event: see `skipped`). */
  process(event: SimtelEvent, options: { fresh?: boolean } = {}): SimtelDL1Event {
    if (event.kind !== 'data') {
      return {
        eventId: event.eventId,
        tel: [],
        skipped: 'a calibration event: ctapipe keeps both gains of it and makes no DL1 parameters (ctapipe-process skips calibration events)',
      };
    }
    const tel: TelescopeDL1[] = [];
    for (const te of event.tel) {
      try {
        tel.push(this.telescopeDL1(te, options));
      } catch (e) {
        throw this.named(e, event.eventId);
      }
    }
    return { eventId: event.eventId, tel };
  }

  /** One telescope event. */
  processTelescope(te: SimtelTelescopeEvent, options: { fresh?: boolean } = {}): TelescopeDL1 {
    try {
      return this.telescopeDL1(te, options);
    } catch (e) {
      throw this.named(e);
    }
  }

  /**
   * What the file gave that the chain cannot calibrate (the RangeErrors and
   * Errors it throws) as an EventIOError naming the file and the event;
   * anything else (a TypeError is a bug of ours) as it is.
   */
  private named(e: unknown, eventId?: number): unknown {
    const source = this.options.source;
    if (source === undefined || !(e instanceof Error) || (e.constructor !== Error && e.constructor !== RangeError)) return e;
    return new EventIOError('corrupt', source, `${source}: ${eventId === undefined ? '' : `event ${eventId}, `}${e.message}`);
  }

  private telescopeDL1(te: SimtelTelescopeEvent, options: { fresh?: boolean }): TelescopeDL1 {
    const p = this.prepare(te.telId);
    const r0 = te.r0;
    if (r0.nPixels !== p.nPixels) throw new RangeError(`telescope ${te.telId}: the event has ${r0.nPixels} pixels, the camera ${p.nPixels}`);
    if (!te.pedestalPerSample || !te.dcToPe) {
      throw new RangeError(
        `telescope ${te.telId}: no ${te.pedestalPerSample ? 'laser calibration (dc_to_pe)' : 'camera monitoring (pedestals)'} before this event: it cannot be calibrated`,
      );
    }
    const cal = p.calibrator.calibrate({ r0: r0.waveform, nSamples: r0.nSamples, pedestal: te.pedestalPerSample, dcToPe: te.dcToPe, timeShift: te.timeShift });
    const { image, peakTime } = cal.dl1;
    const processor = p.processor;
    const out = options.fresh ? new Float64Array(N_PARAMETER_COLUMNS) : p.parameters;
    const status = processor.process(image, peakTime, p.settings, p.mask, this.qualityCounts ?? undefined);
    if (status === IMAGE_STATUS.qualityFailed) packDefaultImageParameters(out, 0);
    else packImageParameters(processor.params, out, 0);
    const error = status === IMAGE_STATUS.error ? processor.params.status : null;
    const n = processor.nSelected;
    const sel = processor.selected;
    return {
      telId: te.telId,
      image,
      peakTime,
      mask: options.fresh ? p.mask.slice() : p.mask,
      selected: options.fresh ? sel.slice(0, n) : sel.subarray(0, n),
      selectedGainChannel: cal.r1.selectedGainChannel,
      pixelStatus: cal.r1.pixelStatus,
      parameters: out,
      status,
      error,
      r1: cal.r1.waveforms,
    };
  }

  /**
   * The true-image parameters of a telescope event as ctapipe's
   * ImageProcessor makes them for a simulation: the true image (p.e.) with
   * the pixels above 0 as the signal pixels, the quality query (counted in
   * `qualityCounts`, as ctapipe counts it), then Hillas, leakage,
   * concentration, morphology and intensity statistics in this processor's
   * frame (no timing: a true image has no peak time; those columns NaN).
   * Into `out` (`N_PARAMETER_COLUMNS`, `parameterColumns` order); returns the
   * DL1_IMAGE_STATUS, or null when the event has no true image.
   */
  processTrueImage(te: SimtelTelescopeEvent, out: Float64Array): number | null {
    const trueImage = te.trueImage;
    if (!trueImage) return null;
    const p = this.prepare(te.telId);
    if (trueImage.length !== p.nPixels) throw new RangeError(`telescope ${te.telId}: the true image has ${trueImage.length} pixels, the camera ${p.nPixels}`);
    const t = (p.truth ??= {
      image: new Float32Array(p.nPixels),
      selected: new Int32Array(p.nPixels),
      scratch: new Float32Array(p.nPixels),
      workspace: createImageParametersWorkspace(p.nPixels),
    });
    let n = 0;
    for (let i = 0; i < p.nPixels; i++) {
      const v = trueImage[i];
      t.image[i] = v;
      if (v > 0) t.selected[n++] = i;
    }
    if (this.quality && !passesImageQuality(t.image, t.selected, n, t.scratch, this.quality, this.qualityCounts ?? undefined)) {
      packDefaultImageParameters(out, 0);
      return IMAGE_STATUS.qualityFailed;
    }
    const params = computeImageParameters(p.processor.imageGeometry, t.image, null, t.selected, n, t.workspace, emptyImageParameters());
    packImageParameters(params, out, 0);
    return params.status === 'ok' ? IMAGE_STATUS.ok : IMAGE_STATUS.error;
  }

  private prepare(telId: number): PreparedTelescope {
    let p = this.prepared.get(telId);
    if (p) return p;
    const tel = this.telescopes.get(telId);
    if (!tel) throw new RangeError(`telescope ${telId} is not in the subarray (no camera description in the file)`);
    const geometry: CameraGeometry = tel.camera.geometry;
    const nPixels = geometry.nPixels;
    const cleaning = typeof this.options.cleaning === 'function' ? this.options.cleaning(tel) : (this.options.cleaning ?? CTAPIPE_PROCESS_DEFAULT_CLEANING);
    // cameras of the same type share geometry, neighbours and frame conversion (also across files)
    const cleaningNeighbors = tel.camera.neighbors ?? computePixelNeighbors(geometry.pixX, geometry.pixY, geometry.pixType);
    const imageGeometry = preparedGeometry(geometry, cleaningNeighbors, this.frame, tel.frameFocalLength);
    const processor = new ImageProcessor(
      { key: `simtel tel ${telId}`, geometry, frame: this.frame, focalLength: tel.frameFocalLength },
      { cleaningNeighbors, imageGeometry },
    );
    p = {
      telId,
      nPixels,
      calibrator: new SimtelCalibrator(simtelTelescopeSetup(tel), this.calibration(tel)),
      processor,
      settings: { cleaning, quality: this.quality, parameters: 'all' },
      mask: new Uint8Array(nPixels),
      parameters: new Float64Array(N_PARAMETER_COLUMNS),
    };
    this.prepared.set(telId, p);
    return p;
  }
}
