/**
 * The instrument tables of a DL1 file made from a sim_telarray file, as
 * ctapipe's DataWriter writes SimTelEventSource's SubarrayDescription
 * (compare test/fixtures/simtel/*.ctapipe.dl1.h5): the layout (positions
 * from the file), the optics (size type, reflector shape, mirror area and
 * tiles, equivalent and effective focal lengths), per camera type its
 * geometry (pixel positions and areas, derotated as ctapipe does) and its
 * readout (reference pulse shape per gain, sample times, sampling rate),
 * per telescope its pointing, and the site: the subarray's reference
 * location as the layout's `reference_itrs_{x,y,z}` attributes (m,
 * geocentric), which SubarrayDescription.from_hdf turns back into its
 * `reference_location` (without them ctapipe takes lon 0, lat 0, height 0).
 */
import type { AttrSpec, H5Writer } from '../hdf5/writer/h5-writer.js';
import { writeInstrumentDescription, type InstrumentCamera, type InstrumentOptics, type InstrumentTelescope } from '../dl1/instrument-tables-writer.js';
import { float64Attr } from '../dl1/dl1-table-layout.js';
import { geodeticToItrs } from '../../instrument/earth-location.js';
import type { SimtelSubarray, SimtelTelescope } from './simtel-types.js';

/**
 * The layout's site attributes, as ctapipe's SubarrayDescription.to_hdf
 * writes them (`reference_location.itrs` in m, float64 scalars). The
 * location is what SimTelEventSource takes: the file's LATITUDE, LONGITUDE
 * and ALTITUDE metadata, else lon 0, lat 0 at the MC run header's
 * observation level (simtel-file.ts).
 */
export function referenceItrsAttrs(loc: SimtelSubarray['referenceLocation']): AttrSpec[] {
  const [x, y, z] = geodeticToItrs(loc.lonDeg, loc.latDeg, loc.heightM);
  if (![x, y, z].every(Number.isFinite)) return [];
  return [float64Attr('reference_itrs_x', x), float64Attr('reference_itrs_y', y), float64Attr('reference_itrs_z', z)];
}

/** ctapipe's TelescopeDescription string: size type, optics name, camera name */
export function simtelTelDescription(t: SimtelTelescope): string {
  return `${t.optics.sizeType}_${t.optics.name}_${t.camera.name}`;
}

export interface SimtelInstrumentInfo {
  subarray: SimtelSubarray;
  obsId: number;
  /** a telescope's pointing, rad (NaN: not written) */
  pointing: (telId: number) => { altitude: number; azimuth: number };
}

export function writeSimtelInstrumentTables(w: H5Writer, info: SimtelInstrumentInfo): void {
  const tels = [...info.subarray.telescopes].sort((a, b) => a.telId - b.telId);
  const opticsKey = (t: SimtelTelescope) =>
    JSON.stringify([t.optics.name, t.optics.sizeType, t.optics.equivalentFocalLength, t.optics.effectiveFocalLength, t.optics.mirrorArea]);
  const optics: InstrumentOptics[] = [];
  const opticsIndex = new Map<string, number>();
  const cameras: InstrumentCamera[] = [];
  const cameraIndex = new Map<string, number>();
  const telescopes: InstrumentTelescope[] = [];
  for (const t of tels) {
    const ok = opticsKey(t);
    if (!opticsIndex.has(ok)) {
      const o = t.optics;
      opticsIndex.set(
        ok,
        optics.push({
          name: o.name,
          sizeType: o.sizeType,
          reflectorShape: o.reflectorShape,
          mirrorArea: o.mirrorArea,
          nMirrors: o.nMirrors,
          nMirrorTiles: o.nMirrorTiles,
          equivalentFocalLength: o.equivalentFocalLength,
          effectiveFocalLength: o.effectiveFocalLength,
        }) - 1,
      );
    }
    const ck = `${t.camera.name}|${t.camera.geometry.nPixels}`;
    if (!cameraIndex.has(ck)) {
      const ro = t.camera.readout;
      const shapes = ro.referencePulseShape;
      cameraIndex.set(
        ck,
        cameras.push({
          name: t.camera.name,
          geometry: t.camera.geometry,
          readout: {
            nPixels: ro.nPixels,
            nChannels: ro.nChannels,
            nSamples: ro.nSamples,
            samplingRate: ro.samplingRate,
            referencePulseSampleWidth: ro.referencePulseSampleWidth,
            referencePulseShape: shapes.length ? shapes : [[1]],
          },
        }) - 1,
      );
    }
    telescopes.push({
      telId: t.telId,
      name: t.optics.name,
      type: t.optics.sizeType,
      position: [t.posX, t.posY, t.posZ],
      description: simtelTelDescription(t),
      opticsIndex: opticsIndex.get(ok)!,
      cameraIndex: cameraIndex.get(ck)!,
    });
  }
  const pointing = tels.map((t) => {
    const { altitude, azimuth } = info.pointing(t.telId);
    return { telId: t.telId, rows: Number.isFinite(altitude) && Number.isFinite(azimuth) ? [{ obsId: info.obsId, azimuth, altitude }] : [] };
  });
  const layoutAttrs = referenceItrsAttrs(info.subarray.referenceLocation);
  writeInstrumentDescription(w, { subarrayName: info.subarray.name, telescopes, optics, cameras, pointing, layoutAttrs });
}
