/**
 * What the sim_telarray event source gives: the content of ctapipe 0.26's
 * SimTelEventSource (subarray, simulation configuration, events with R0
 * waveforms, monitoring and truth) with ctapipe's names and units: positions
 * and lengths in m, angles in rad, energies in TeV, times in ns, grammage in
 * g/cm², images in p.e. Arrays are flat typed arrays with their shape given
 * beside them (C order, like numpy).
 */
import type { EventIOError } from '../eventio/eventio-errors.js';
import type { Compression } from '../eventio/compression.js';
import type { RawTelescopeEvent, SkippedObject } from './array-event.js';
import type {
  CameraSettings,
  CameraOrganization,
  CameraSoftwareSettings,
  DisabledPixels,
  DriveSettings,
  PixelSettings,
  PointingCorrection,
} from './objects/camera-objects.js';
import type { TrackingPosition, TriggerInformation } from './objects/event-objects.js';
import type { MCEvent, MCPhotoelectronSum, MCShower } from './objects/mc-objects.js';
import type { CameraMonitoring, LaserCalibration, PixelMonitoring } from './objects/monitoring-objects.js';
import type { MCRunHeader, RunHeader } from './objects/run-headers.js';
import type { SimtelCamera } from './simtel-camera.js';
import type { ReflectorShape, SizeType } from './telescope-guess.js';

/** ctapipe's EventType values */
export const EventType = {
  FLATFIELD: 0,
  SINGLE_PE: 1,
  SKY_PEDESTAL: 2,
  DARK_PEDESTAL: 3,
  ELECTRONIC_PEDESTAL: 4,
  OTHER_CALIBRATION: 15,
  MUON: 16,
  HARDWARE_STEREO: 17,
  DAQ: 24,
  SUBARRAY: 32,
  UNKNOWN: 255,
} as const;

export interface SimtelOptics {
  name: string;
  sizeType: SizeType;
  reflectorShape: ReflectorShape;
  /** mirrors in the optical path (1 or 2; -1 unknown) */
  nMirrors: number;
  /** mirror facets */
  nMirrorTiles: number;
  /** m² */
  mirrorArea: number;
  /** m */
  equivalentFocalLength: number;
  /** m, NaN when the file has none */
  effectiveFocalLength: number;
}

/** The description objects sim_telarray wrote for one telescope. */
export interface SimtelTelescopeSettings {
  cameraSettings: CameraSettings;
  cameraOrganization: CameraOrganization;
  pixelSettings: PixelSettings;
  disabledPixels?: DisabledPixels;
  cameraSoftwareSettings?: CameraSoftwareSettings;
  pointingCorrection?: PointingCorrection;
  driveSettings?: DriveSettings;
}

export interface SimtelTelescope {
  telId: number;
  /** telescope (optics) name, e.g. "LST" */
  name: string;
  /** size type: LST, MST, SST */
  type: SizeType;
  /** ground frame position, m */
  posX: number;
  posY: number;
  posZ: number;
  optics: SimtelOptics;
  camera: SimtelCamera;
  /** the focal length of the camera frame, by `focalLengthChoice`, m */
  frameFocalLength: number;
  /** position of the telescope in the run header's list (for per-telescope arrays such as p.e. sums) */
  runHeaderIndex: number;
  settings: SimtelTelescopeSettings;
}

export interface SimtelSubarray {
  name: string;
  /** ascending */
  telIds: number[];
  telescopes: SimtelTelescope[];
  /** reference location from the metadata (deg, deg, m), or (0, 0, observation level) like ctapipe's dummy */
  referenceLocation: { lonDeg: number; latDeg: number; heightM: number; fromMetadata: boolean };
}

/** ctapipe's SimulationConfigContainer fields, in its units */
export interface SimtelSimulationConfig {
  runNumber: number;
  corsikaVersion: number;
  simtelVersion: number;
  /** TeV */
  energyRangeMin: number;
  energyRangeMax: number;
  /** µT */
  prodSiteBTotal: number;
  /** rad */
  prodSiteBDeclination: number;
  prodSiteBInclination: number;
  /** m */
  prodSiteAlt: number;
  spectralIndex: number;
  showerProgStart: number;
  showerProgId: number;
  detectorProgStart: number;
  detectorProgId: number;
  nShowers: number;
  showerReuse: number;
  /** rad */
  maxAlt: number;
  minAlt: number;
  maxAz: number;
  minAz: number;
  diffuse: number;
  /** deg */
  maxViewconeRadius: number;
  minViewconeRadius: number;
  /** m */
  maxScatterRange: number;
  minScatterRange: number;
  corePosMode: number;
  atmosphere: number;
  corsikaIactOptions: number;
  corsikaLowEModel: number;
  corsikaHighEModel: number;
  corsikaBunchsize: number;
  /** nm */
  corsikaWlenMin: number;
  corsikaWlenMax: number;
  corsikaLowEDetail: number;
  corsikaHighEDetail: number;
}

export interface SimtelRun {
  /** ctapipe's obs_id: the run number */
  obsId: number;
  runHeader: RunHeader;
  /** every MC run header before the first event (ctapipe uses the last) */
  mcRunHeaders: MCRunHeader[];
  simulationConfig: SimtelSimulationConfig | null;
  /** array pointing of the run: alt/az (tracking mode 0) or ra/dec, rad */
  pointing: { altitude?: number; azimuth?: number; ra?: number; dec?: number };
  /** history lines (command line and configuration) */
  history: { type: number; timestamp: number; text: string }[];
  /** global metadata (75 with id -1) */
  globalMeta: Map<string, string>;
  /** per-telescope metadata (75 with the telescope id) */
  telescopeMeta: Map<number, Map<string, string>>;
  /** ctapipe's _has_true_image(history): whether telescope events without a true image get -1 images */
  hasTrueImage: boolean;
}

export interface SimtelShower {
  /** TeV */
  energy: number;
  /** rad */
  alt: number;
  az: number;
  /** m */
  coreX: number;
  coreY: number;
  hFirstInt: number;
  /** g/cm² */
  xMax: number;
  showerPrimaryId: number;
  /** g/cm², NaN when the file has none */
  startingGrammage: number;
}

export interface SimtelTelescopeTrigger {
  /** ns relative to the central trigger */
  timeNs: number;
  /** -1 when the event has no trigger pixel list */
  nTriggerPixels: number;
  triggerPixels: Int32Array | null;
}

export interface SimtelTrigger {
  eventType: number;
  /** central trigger time (sim_telarray's GPS time): unix seconds and nanoseconds */
  timeS: number;
  timeNs: number;
  /** in the file's order */
  telsWithTrigger: number[];
  tel: Map<number, SimtelTelescopeTrigger>;
  raw: TriggerInformation;
}

export interface R0Waveforms {
  /** gains × pixels × samples, ADC counts; Uint32Array when the telescope has only ADC sums (ctapipe's adc_sums[..., np.newaxis]) */
  waveform: Uint16Array | Uint32Array;
  nGains: number;
  nPixels: number;
  nSamples: number;
  /** where the waveform came from */
  source: 'samples' | 'sums';
  zeroSupMode: number;
  dataRedMode: number;
}

export interface SimtelTelescopeEvent {
  telId: number;
  r0: R0Waveforms;
  /** gains × pixels, ADC counts per sample: pedestal / n_ped_slices (null when no camera monitoring was seen) */
  pedestalPerSample: Float32Array | null;
  /** gains × pixels, p.e. per ADC count (null when no laser calibration was seen) */
  dcToPe: Float32Array | null;
  /** gains × pixels, ns (the laser calibration's tm_calib; ctapipe's time_shift) */
  timeShift: Float32Array | null;
  /** pixels whose HV is off (ctapipe marks them hardware/pedestal/flatfield failing in every gain) */
  hvDisabled: Int32Array;
  /** rad: pointing-corrected when the file has it, else raw */
  pointing: { azimuth: number; altitude: number };
  /** p.e. per pixel; -1 everywhere when the file should have one but this event has none; null when the file has none */
  trueImage: Int32Array | null;
  /** p.e.; NaN when unknown */
  trueImageSum: number;
  /** each true photo-electron: pixel and arrival time (ns) */
  truePhotoelectrons: { pixel: Uint32Array; time: Float32Array } | null;
  /** the telescope event as read (header, pixel timing, pixel lists ...) */
  raw: RawTelescopeEvent;
  /** merged monitoring of this telescope as of this event */
  cameraMonitoring: Partial<CameraMonitoring> | null;
  laserCalibration: Partial<LaserCalibration> | null;
  pixelMonitoring: Partial<PixelMonitoring> | null;
}

export interface SimtelEvent {
  /** position in the file's event list */
  index: number;
  /** ctapipe's count */
  count: number;
  obsId: number;
  /** negative pseudo ids for events without an id, as ctapipe; calibration events: -(array event id) */
  eventId: number;
  kind: 'data' | 'calibration';
  /** calibration events: sim_telarray's calibration type */
  calibrationType?: number;
  trigger: SimtelTrigger;
  /** array pointing, rad */
  pointing: { altitude?: number; azimuth?: number; ra?: number; dec?: number };
  /** triggered telescopes with data, in file order */
  tel: SimtelTelescopeEvent[];
  /** tracking positions as read, by telescope id (rad) */
  trackingPositions: Map<number, TrackingPosition>;
  shower: SimtelShower | null;
  mcShower: MCShower | null;
  mcEvent: MCEvent | null;
  photoelectronSums: MCPhotoelectronSum | null;
  /** telescope events ctapipe skips (data without trigger, or far too bright without a true image) */
  skippedTelescopes: { telId: number; reason: string }[];
  /** objects listed but not interpreted */
  skipped: SkippedObject[];
}

export interface SimtelObjectSummary {
  type: number;
  name: string;
  count: number;
  versions: number[];
  /** whether this reader interprets it */
  read: boolean;
}

export interface SimtelFileInfo {
  path: string;
  compression: Compression;
  byteOrder: 'little' | 'big';
  fileSize: number;
  /** decompressed size when known */
  dataSize: number | null;
  nEvents: number;
  nCalibrationEvents: number;
  nTopLevelObjects: number;
  objects: SimtelObjectSummary[];
  problem: EventIOError | null;
  warnings: string[];
}
