/**
 * What the DL1 reader returns, with ctapipe's names and units: positions in
 * m, focal lengths in m, pixel positions in m (camera frame), images in p.e.,
 * peak times in ns, Hillas parameters in deg (telescope frame) as stored.
 */
import type { ImageExtractorConfig } from '../../calib/image-extractor.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';

export interface Dl1Optics {
  name: string;
  sizeType: string;
  reflectorShape: string;
  /** m² */
  mirrorArea: number;
  nMirrors: number;
  nMirrorTiles: number;
  /** m */
  equivalentFocalLength: number;
  /** m; ctapipe converts the camera frame to the telescope frame with this one (the equivalent one when the file has none) */
  effectiveFocalLength: number;
  /** false when the file gives no effective focal length (NaN or no column): ctapipe then needs focal_length_choice EQUIVALENT */
  effectiveFocalLengthInFile?: boolean;
}

export interface Dl1Telescope {
  telId: number;
  /** e.g. "LST" */
  name: string;
  /** size type, e.g. "LST", "MST", "SST" */
  type: string;
  /** ground frame position, m */
  posX: number;
  posY: number;
  posZ: number;
  cameraName: string;
  opticsName: string;
  description: string;
  /** index into Dl1Subarray.optics, -1 if unknown */
  opticsIndex: number;
}

export interface Dl1Subarray {
  name: string;
  telescopes: Dl1Telescope[];
  optics: Dl1Optics[];
  /**
   * Camera geometries by camera name, read from the file. `focalLength` is
   * the equivalent and `effectiveFocalLength` the effective focal length of
   * the first telescope carrying this camera.
   */
  cameras: Record<string, CameraGeometry>;
  /** the array pointing (alt/az, deg) when the reader knows it without tables (sim_telarray run headers) */
  pointing?: { alt: number; az: number };
}

/** The event list of /dl1/event/subarray/trigger, column-wise. */
export interface Dl1EventIndex {
  nEvents: number;
  obsId: Float64Array;
  eventId: Float64Array;
  /** ctao_high_res time: whole seconds (TAI) */
  timeS: Uint32Array;
  /** ctao_high_res time: quarter nanoseconds within the second */
  timeQns: Uint32Array;
  eventType: Int32Array;
  /** telescope ids in the order of the tels_with_trigger mask */
  maskTelIds: number[];
  /** nEvents × maskTelIds.length, 1 where the telescope triggered */
  telsWithTrigger: Uint8Array;
  /** number of triggered telescopes per event */
  nTriggered: Uint16Array;
}

/** a column value of one row: scalars, and small array columns (e.g. a telescope mask) as plain arrays */
export type ScalarValue = number | string | boolean | number[] | boolean[] | string[];
export type ScalarRecord = Record<string, ScalarValue>;

export interface Dl1TelescopeEvent {
  telId: number;
  cameraName: string;
  /** p.e. */
  image?: Float32Array;
  /** ns */
  peakTime?: Float32Array;
  /** 1 where the pixel survived cleaning */
  imageMask?: Uint8Array;
  isValid?: boolean;
  /** the row of /dl1/event/telescope/parameters/tel_NNN (telescope-frame Hillas etc.) */
  parameters?: ScalarRecord;
  /** /simulation/event/telescope/images/tel_NNN true_image (p.e.) */
  trueImage?: Int32Array;
  trueParameters?: ScalarRecord;
  trueImpact?: ScalarRecord;
  /** /dl2/event/telescope/impact/<reconstructor>/tel_NNN by reconstructor */
  impact?: Record<string, ScalarRecord>;
}

export interface Dl1Event {
  index: number;
  obsId: number;
  eventId: number;
  timeS: number;
  timeQns: number;
  eventType: number;
  /** telescopes that triggered, ascending */
  telIds: number[];
  telescopes: Dl1TelescopeEvent[];
  /** /simulation/event/subarray/shower row */
  shower?: ScalarRecord;
  /** /dl2/event/subarray/geometry/<reconstructor> rows, by reconstructor */
  geometry?: Record<string, ScalarRecord>;
}

export interface Dl1EventOptions {
  images?: boolean;
  parameters?: boolean;
  simulation?: boolean;
  dl2?: boolean;
  /** only these telescopes (default: all that triggered) */
  telIds?: number[];
  /** sim_telarray files: the image extractor computing the images (default ctapipe's, NeighborPeakWindowSum); DL1 files hold their images */
  extractor?: ImageExtractorConfig;
}

export interface Dl1Summary {
  kind: 'dl1';
  file: string;
  nEvents: number;
  subarrayName: string;
  telescopes: { telId: number; name: string; type: string; cameraName: string; nPixels: number; nEvents: number }[];
  cameras: { name: string; nPixels: number; pixType: string }[];
  dataLevels: string[];
  reconstructors: string[];
  hasSimulation: boolean;
  rootAttributes: Record<string, string | number | boolean | null>;
}
