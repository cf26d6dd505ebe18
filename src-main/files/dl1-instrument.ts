/**
 * The instrument of a DL1 file in the shapes of the API: the subarray as a
 * SubarrayDescription (like the live one), camera geometries as
 * CameraGeometry, and the array pointing from the file's configuration.
 */
import type { CameraGeometry, SubarrayDescription } from '../api/instrument-types.js';
import type { Dl1Subarray } from '../../src-worker/io/dl1/dl1-types.js';
import type { TableRowsResult } from '../../src-worker/io/hdf5/browse-types.js';

export function geometryWire(g: CameraGeometry): CameraGeometry {
  const w: CameraGeometry = {
    name: g.name,
    nPixels: g.nPixels,
    pixId: g.pixId,
    pixX: g.pixX,
    pixY: g.pixY,
    pixArea: g.pixArea,
    pixType: g.pixType,
    pixRotation: g.pixRotation,
    camRotation: g.camRotation,
  };
  if (g.focalLength !== undefined && Number.isFinite(g.focalLength)) w.focalLength = g.focalLength;
  return w;
}

export function subarrayDescription(s: Dl1Subarray, pointing: { alt: number; az: number } | undefined, fallbackName: string): SubarrayDescription {
  return {
    name: s.name || fallbackName,
    pointing: pointing ?? { alt: NaN, az: NaN },
    telescopes: s.telescopes.map((t) => ({
      telId: t.telId,
      type: [t.type, t.name, t.cameraName].filter(Boolean).join('_'),
      camera: t.cameraName,
      focalLength: s.optics[t.opticsIndex]?.equivalentFocalLength ?? s.cameras[t.cameraName]?.focalLength ?? NaN,
      position: [t.posX, t.posY, t.posZ],
    })),
  };
}

function first(r: TableRowsResult, column: string): number {
  const c = r.columns[column]?.data;
  if (!c || Array.isArray(c) || c.length === 0) return NaN;
  return Number(c[0]);
}

/** alt/az (deg) from a /configuration/telescope/pointing/tel_NNN table (stored in rad). */
export function pointingFromTelescopeTable(r: TableRowsResult): { alt: number; az: number } | undefined {
  const alt = (first(r, 'telescope_pointing_altitude') * 180) / Math.PI;
  const az = (first(r, 'telescope_pointing_azimuth') * 180) / Math.PI;
  return Number.isFinite(alt) && Number.isFinite(az) ? { alt, az } : undefined;
}

/** alt/az (deg) of the observation block when its frame is ALTAZ (CoordinateFrameType 0). */
export function pointingFromObservationBlock(r: TableRowsResult): { alt: number; az: number } | undefined {
  if (first(r, 'subarray_pointing_frame') !== 0) return undefined;
  const alt = first(r, 'subarray_pointing_lat');
  const az = first(r, 'subarray_pointing_lon');
  return Number.isFinite(alt) && Number.isFinite(az) ? { alt, az } : undefined;
}
