/**
 * What `lightpool process` needs from a ctapipe DL1 file: the subarray
 * (camera geometries with the effective focal lengths of
 * /configuration/instrument/telescope/optics, telescope positions), the
 * telescope and array pointing, the observation level, and the image tables
 * read in batches of rows as typed arrays.
 */
import { Hdf5Error } from '../hdf5/h5-errors.js';
import { H5File } from '../hdf5/h5-file.js';
import { readAttrs } from '../hdf5/h5-attrs.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import { decodeColumn, toFloat64 } from '../hdf5/column-decode.js';
import { Dl1Reader } from './dl1-reader.js';
import { DL1_PATHS, telTablePath } from './dl1-layout.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import { itrsToGeodetic } from '../../reco/geodetic.js';

/** ctapipe CoordinateFrameType.ALTAZ */
const FRAME_ALTAZ = 0;

export interface ProcessTelescope {
  telId: number;
  cameraName: string;
  /** ctapipe's telescope type string, str(TelescopeDescription): "<size type>_<optics name>_<camera name>" */
  type: string;
  /** camera-frame geometry from the file, m */
  geometry: CameraGeometry;
  /** m; the focal length ctapipe converts to the telescope frame with (effective or equivalent, as chosen) */
  effectiveFocalLength: number;
  /** GroundFrame position, m */
  position: [number, number, number];
  /** deg */
  pointingAlt: number;
  pointingAz: number;
  /** the /dl1/event/telescope/images/tel_NNN table, null when the telescope has none */
  images: TableReader | null;
}

export interface ProcessInput {
  file: H5File;
  reader: Dl1Reader;
  telescopes: ProcessTelescope[];
  /** deg */
  arrayPointingAlt: number;
  arrayPointingAz: number;
  /** geodetic height of the subarray reference location, m */
  observationLevel: number;
  /** notes for the user (e.g. assumptions made) */
  notes: string[];
}

function num(col: ReturnType<typeof decodeColumn> | undefined, i = 0): number {
  return col ? toFloat64(col)[i] : NaN;
}

/** Pointing (rad in the file) of one telescope: the row of the first observation. */
function telescopePointing(file: H5File, cache: ChunkCache, telId: number): { alt: number; az: number } | null {
  const path = telTablePath(DL1_PATHS.telescopePointing, telId);
  if (!file.hasDataset(path)) return null;
  const t = new TableReader(file, path, cache);
  if (t.nRows === 0 || !t.hasField('telescope_pointing_altitude') || !t.hasField('telescope_pointing_azimuth')) return null;
  const c = t.columns(0, 1, ['telescope_pointing_altitude', 'telescope_pointing_azimuth']);
  return { alt: (num(c.telescope_pointing_altitude) * 180) / Math.PI, az: (num(c.telescope_pointing_azimuth) * 180) / Math.PI };
}

export interface ProcessInputOptions {
  /** ctapipe's HDF5EventSource.focal_length_choice (default EFFECTIVE) */
  focalLengthChoice?: 'EFFECTIVE' | 'EQUIVALENT';
}

export async function openProcessInput(path: string, options: ProcessInputOptions = {}): Promise<ProcessInput> {
  const choice = options.focalLengthChoice ?? 'EFFECTIVE';
  const file = await H5File.open(path);
  try {
    const cache = new ChunkCache(256 << 20);
    const reader = new Dl1Reader(file, cache);
    const notes: string[] = [];
    const sub = reader.subarray;
    const telescopes: ProcessTelescope[] = [];
    for (const t of sub.telescopes) {
      const imagesPath = telTablePath(DL1_PATHS.images, t.telId);
      const images = file.hasDataset(imagesPath) ? new TableReader(file, imagesPath, cache) : null;
      const geometry = sub.cameras[t.cameraName];
      if (!geometry) {
        if (images)
          throw new Hdf5Error(
            'unknown-layout',
            `${path}: telescope ${t.telId} has images but no camera geometry for ${t.cameraName} under ${DL1_PATHS.cameras}`,
            path,
          );
        continue;
      }
      const optics = sub.optics[t.opticsIndex];
      if (images && choice === 'EFFECTIVE' && optics && optics.effectiveFocalLengthInFile === false) {
        // what ctapipe says (SubarrayDescription.from_hdf) rather than quietly using the other focal length
        throw new Hdf5Error(
          'unknown-layout',
          `${path}: telescope ${t.telId} (${t.opticsName}) has no effective focal length in ${DL1_PATHS.optics}; ` +
            'as in ctapipe, choose the equivalent one: lightpool process --focal-length-choice EQUIVALENT (ctapipe: --HDF5EventSource.focal_length_choice=EQUIVALENT)',
          path,
        );
      }
      const f = choice === 'EQUIVALENT' ? optics?.equivalentFocalLength : optics?.effectiveFocalLength;
      if (!(typeof f === 'number' && f > 0)) {
        throw new Hdf5Error(
          'unknown-layout',
          `${path}: telescope ${t.telId} (${t.opticsName}) has no ${choice.toLowerCase()} focal length in ${DL1_PATHS.optics}, needed for the telescope frame`,
          path,
        );
      }
      if (images && (!images.hasField('image') || !images.hasField('obs_id') || !images.hasField('event_id'))) {
        throw new Hdf5Error(
          'unknown-layout',
          `${path}: ${imagesPath} has no image/obs_id/event_id columns (was it written with DataWriter.write_images?)`,
          path,
        );
      }
      const p = telescopePointing(file, cache, t.telId);
      telescopes.push({
        telId: t.telId,
        cameraName: t.cameraName,
        type: `${optics?.sizeType || 'UNKNOWN'}_${optics?.name ?? t.opticsName}_${geometry.name}`,
        geometry,
        effectiveFocalLength: f,
        position: [t.posX, t.posY, t.posZ],
        pointingAlt: p?.alt ?? NaN,
        pointingAz: p?.az ?? NaN,
        images,
      });
    }
    if (!telescopes.some((t) => t.images)) {
      throw new Hdf5Error('unknown-layout', `${path}: no images in ${DL1_PATHS.images} (process needs a DL1 file written with images)`, path);
    }

    // array pointing: the observation block's subarray pointing (alt/az) when given in AltAz
    let arrayAlt = NaN,
      arrayAz = NaN;
    if (file.hasDataset(DL1_PATHS.observationBlock)) {
      const ob = new TableReader(file, DL1_PATHS.observationBlock, cache);
      if (ob.nRows > 0 && ob.hasField('subarray_pointing_lat') && ob.hasField('subarray_pointing_lon')) {
        const c = ob.columns(0, 1, [
          'subarray_pointing_lat',
          'subarray_pointing_lon',
          ...(ob.hasField('subarray_pointing_frame') ? ['subarray_pointing_frame'] : []),
        ]);
        const frame = c.subarray_pointing_frame ? num(c.subarray_pointing_frame) : FRAME_ALTAZ;
        if (frame === FRAME_ALTAZ) {
          arrayAlt = num(c.subarray_pointing_lat);
          arrayAz = num(c.subarray_pointing_lon);
        }
      }
    }
    const withPointing = telescopes.filter((t) => Number.isFinite(t.pointingAlt));
    if (!Number.isFinite(arrayAlt) && withPointing.length) {
      arrayAlt = withPointing[0].pointingAlt;
      arrayAz = withPointing[0].pointingAz;
      notes.push(`no AltAz array pointing in ${DL1_PATHS.observationBlock}: using telescope ${withPointing[0].telId}'s pointing for the array`);
    }
    for (const t of telescopes) {
      if (!Number.isFinite(t.pointingAlt)) {
        t.pointingAlt = arrayAlt;
        t.pointingAz = arrayAz;
      }
    }

    const layoutAttrs = readAttrs(file, DL1_PATHS.subarrayLayout);
    const ix = Number(layoutAttrs.reference_itrs_x),
      iy = Number(layoutAttrs.reference_itrs_y),
      iz = Number(layoutAttrs.reference_itrs_z);
    let observationLevel = 0;
    if ([ix, iy, iz].every(Number.isFinite)) observationLevel = itrsToGeodetic(ix, iy, iz).height;
    else notes.push(`no reference_itrs_{x,y,z} attributes on ${DL1_PATHS.subarrayLayout}: h_max is given above the array (observation level 0 m)`);

    return { file, reader, telescopes, arrayPointingAlt: arrayAlt, arrayPointingAz: arrayAz, observationLevel, notes };
  } catch (err) {
    file.close();
    throw err;
  }
}

export interface ImageRows {
  start: number;
  count: number;
  /** the rows as stored (copied: stays valid when the cache drops the block) */
  raw: Uint8Array;
  /** count × nPixels, p.e. */
  images: Float32Array;
  /** count × nPixels, ns; null when the table has no peak_time */
  peakTimes: Float32Array | null;
  obsId: Float64Array;
  eventId: Float64Array;
}

function f32(c: ReturnType<typeof decodeColumn>): Float32Array {
  if (c instanceof Float32Array) return c;
  return Float32Array.from(c as ArrayLike<number>);
}

/** Rows [start, start+count) of an image table, decoded into fresh (transferable) typed arrays. */
export function readImageRows(table: TableReader, start: number, count: number): ImageRows {
  const raw = table.rawRows(start, count).slice();
  const col = (name: string) => decodeColumn(raw, table.rowSize, count, table.field(name));
  return {
    start,
    count,
    raw,
    images: f32(col('image')),
    peakTimes: table.hasField('peak_time') ? f32(col('peak_time')) : null,
    obsId: toFloat64(col('obs_id')),
    eventId: toFloat64(col('event_id')),
  };
}
