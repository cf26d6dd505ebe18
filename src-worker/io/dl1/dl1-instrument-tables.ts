/**
 * The instrument description of a recording, in ctapipe 0.26's layout (the
 * tables ctapipe's DataWriter writes and SubarrayDescription.from_hdf reads;
 * compare test/fixtures/samples; written by instrument-tables-writer.ts):
 *
 *   /configuration/instrument/subarray/layout              tel_id, name, type, pos_x/y/z (m), camera_name,
 *                                                          optics_name, camera_index, optics_index, tel_description
 *   /configuration/instrument/telescope/optics             optics_name, size_type, reflector_shape, mirror_area (m**2),
 *                                                          n_mirrors, n_mirror_tiles, equivalent_/effective_focal_length (m)
 *   /configuration/instrument/telescope/camera/geometry_I  pix_id, pix_x, pix_y (m), pix_area (m**2); CAM_ID, PIX_TYPE, PIX_ROT, CAM_ROT
 *   /configuration/instrument/telescope/camera/readout_I   reference_pulse_shape_channel0, reference_pulse_sample_time (ns); CAM_ID, NPIXELS ...
 *   /configuration/telescope/pointing/tel_NNN              obs_id, tel_id, telescope_pointing_azimuth/altitude (rad)
 *
 * What a DAQ announces is the subarray (telescope type, camera name, one
 * focal length, position), the array pointing and, optionally, camera
 * geometries; a camera it did not describe gets Lightpool's shipped
 * geometry of that name (assets/cameras). What neither
 * knows is written as unknown, not invented: reflector shape UNKNOWN, mirror
 * area 0 m² (ctapipe has no unknown area: its OpticsDescription hashes
 * round(mirror_area), so NaN breaks SubarrayDescription.to_table and
 * TableLoader's instrument columns; 0 cannot be taken for a real area),
 * mirror counts -1; the readout (the stream has integrated images,
 * no waveforms) as a one-sample reference pulse with NaN sampling rate and
 * width. The effective focal length is the announced focal length, the one
 * the live processing used for the telescope frame, so offline parameters
 * match the live ones. A camera with neither an announced nor a shipped
 * geometry, or whose geometry has another pixel count than its images, gets
 * no geometry table (and the recorder says so).
 */
import type { H5Writer } from '../hdf5/writer/h5-writer.js';
import { loadCameraGeometry } from '../assets/load-camera-geometry.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import { writeInstrumentDescription, type InstrumentCamera, type InstrumentOptics, type InstrumentTelescope } from './instrument-tables-writer.js';

/** ctapipe's tel_description is "<size type>_<optics name>_<camera name>" */
function splitDescription(type: string, camera: string): { sizeType: string; optics: string } {
  const parts = type.split('_');
  if (parts.length >= 3 && parts[parts.length - 1] === camera) return { sizeType: parts[0], optics: parts.slice(1, -1).join('_') };
  return { sizeType: 'UNKNOWN', optics: type };
}

/** m²: what a recording writes for a mirror area nobody announced (see above) */
export const UNKNOWN_MIRROR_AREA = 0;

const SIZE_TYPES = new Set(['LST', 'MST', 'SST', 'UNKNOWN']);

export interface InstrumentInfo {
  subarray: SubarrayDescription;
  /** pixels of the images recorded per camera name (a geometry with another count is not written) */
  pixelsByCamera: Map<string, number>;
  /** obs_ids of the recorded events (one pointing row each) */
  obsIds: number[];
}

/** Writes the instrument tables; returns the cameras without a geometry table, with why. */
export function writeInstrumentTables(w: H5Writer, info: InstrumentInfo): string[] {
  const tels = [...info.subarray.telescopes].sort((a, b) => a.telId - b.telId);
  const missing: string[] = [];

  // optics: one row per (optics name, focal length); cameras: one index per camera name, in telescope order
  const optics: InstrumentOptics[] = [];
  const cameraNames: string[] = [];
  const telescopes: InstrumentTelescope[] = [];
  for (const t of tels) {
    const d = splitDescription(t.type, t.camera);
    let oi = optics.findIndex((o) => o.name === d.optics && o.equivalentFocalLength === t.focalLength);
    if (oi < 0) {
      oi =
        optics.push({
          name: d.optics,
          sizeType: SIZE_TYPES.has(d.sizeType) ? d.sizeType : 'UNKNOWN',
          reflectorShape: 'UNKNOWN',
          mirrorArea: UNKNOWN_MIRROR_AREA,
          nMirrors: -1,
          nMirrorTiles: -1,
          equivalentFocalLength: t.focalLength,
          effectiveFocalLength: t.focalLength,
        }) - 1;
    }
    let ci = cameraNames.indexOf(t.camera);
    if (ci < 0) ci = cameraNames.push(t.camera) - 1;
    telescopes.push({ telId: t.telId, name: d.optics, type: d.sizeType, position: t.position, description: t.type, opticsIndex: oi, cameraIndex: ci });
  }

  const cameras: InstrumentCamera[] = cameraNames.map((name) => {
    // the geometry the stream announced, else the shipped one of that name
    let g: CameraGeometry | undefined = info.subarray.cameraGeometries?.[name];
    const from = g ? 'announced' : 'shipped';
    if (!g) {
      try {
        g = loadCameraGeometry(name);
      } catch {
        missing.push(`${name}: neither announced by the stream nor shipped with Lightpool`);
      }
    }
    const n = info.pixelsByCamera.get(name);
    if (g && n !== undefined && n !== g.nPixels) {
      missing.push(`${name}: the images have ${n} pixels, the ${from} geometry ${g.nPixels}`);
      g = undefined;
    }
    // the stream has integrated images, no waveforms: a one-sample reference pulse, NaN sampling
    const readout = { nPixels: g?.nPixels ?? n ?? 0, nChannels: 1, nSamples: 1, samplingRate: NaN, referencePulseSampleWidth: NaN, referencePulseShape: [[1]] };
    return { name, geometry: g, readout };
  });

  // /configuration/telescope/pointing/tel_NNN: the array pointing, per obs_id
  const altitude = (info.subarray.pointing.alt * Math.PI) / 180;
  const azimuth = (info.subarray.pointing.az * Math.PI) / 180;
  const known = Number.isFinite(altitude) && Number.isFinite(azimuth);
  const pointing = tels.map((t) => ({ telId: t.telId, rows: known ? info.obsIds.map((obsId) => ({ obsId, azimuth, altitude })) : [] }));

  writeInstrumentDescription(w, { subarrayName: info.subarray.name, telescopes, optics, cameras, pointing });
  return missing;
}
