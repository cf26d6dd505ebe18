/**
 * The instrument description of a recording, in ctapipe 0.26's layout (the
 * tables ctapipe's DataWriter writes and SubarrayDescription.from_hdf reads;
 * compare test/fixtures/samples):
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
 * focal length, position) and the array pointing; the rest comes from
 * Lightpool's shipped camera geometries (assets/cameras). What neither
 * knows is written as unknown, not invented: reflector shape UNKNOWN, mirror
 * area 0 m² (ctapipe has no unknown area: its OpticsDescription hashes
 * round(mirror_area), so NaN breaks SubarrayDescription.to_table and
 * TableLoader's instrument columns; 0 cannot be taken for a real area),
 * mirror counts -1; the readout (the stream has integrated images,
 * no waveforms) as a one-sample reference pulse with NaN sampling rate and
 * width. The effective focal length is the announced focal length, the one
 * the live processing used for the telescope frame, so offline parameters
 * match the live ones. A camera without a shipped geometry, or whose
 * geometry has another pixel count than its images, gets no geometry table.
 */
import type { H5Writer } from '../hdf5/writer/h5-writer.js';
import { int64Attr, stringAttr } from '../export/copy-attributes.js';
import { loadCameraGeometry } from '../assets/load-camera-geometry.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import { float64Attr, layoutOf, maxLen, RowWriter, tableAttrs, type Col } from './dl1-table-layout.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import { cameraGeometryPath, cameraReadoutPath, DL1_PATHS, OBS_ID_DESCRIPTION, TEL_ID_DESCRIPTION, telTablePath } from './dl1-layout.js';

/** ctapipe's tel_description is "<size type>_<optics name>_<camera name>" */
function splitDescription(type: string, camera: string): { sizeType: string; optics: string } {
  const parts = type.split('_');
  if (parts.length >= 3 && parts[parts.length - 1] === camera) return { sizeType: parts[0], optics: parts.slice(1, -1).join('_') };
  return { sizeType: 'UNKNOWN', optics: type };
}

/** m²: what a recording writes for a mirror area nobody announced (see above) */
export const UNKNOWN_MIRROR_AREA = 0;

const SIZE_TYPES = new Set(['LST', 'MST', 'SST', 'UNKNOWN']);

function table(w: H5Writer, path: string, cols: Col[], rows: RowWriter, attrs: ReturnType<typeof tableAttrs>): void {
  const layout = layoutOf(cols);
  const ds = w.dataset(path, layout.type, [], { chunkRows: Math.max(1, rows.nRows), deflateLevel: 5, shuffle: true });
  if (rows.nRows) ds.appendRows(rows.bytes, rows.nRows);
  ds.finish(attrs);
}

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
  const optics: { name: string; sizeType: string; focalLength: number }[] = [];
  const cameras: string[] = [];
  const telOptics: number[] = [];
  const telCamera: number[] = [];
  for (const t of tels) {
    const d = splitDescription(t.type, t.camera);
    let oi = optics.findIndex((o) => o.name === d.optics && o.focalLength === t.focalLength);
    if (oi < 0) oi = optics.push({ name: d.optics, sizeType: SIZE_TYPES.has(d.sizeType) ? d.sizeType : 'UNKNOWN', focalLength: t.focalLength }) - 1;
    let ci = cameras.indexOf(t.camera);
    if (ci < 0) ci = cameras.push(t.camera) - 1;
    telOptics.push(oi);
    telCamera.push(ci);
  }

  // /configuration/instrument/subarray/layout
  const names = tels.map((t) => splitDescription(t.type, t.camera));
  const layoutCols: Col[] = [
    { name: 'tel_id', type: 'u2' },
    { name: 'name', type: 'i8', str: maxLen(names.map((n) => n.optics)) },
    { name: 'type', type: 'i8', str: maxLen(names.map((n) => n.sizeType)) },
    { name: 'pos_x', type: 'f8', unit: 'm' },
    { name: 'pos_y', type: 'f8', unit: 'm' },
    { name: 'pos_z', type: 'f8', unit: 'm' },
    { name: 'camera_name', type: 'i8', str: maxLen(tels.map((t) => t.camera)) },
    { name: 'optics_name', type: 'i8', str: maxLen(names.map((n) => n.optics)) },
    { name: 'camera_index', type: 'i8' },
    { name: 'optics_index', type: 'i8' },
    { name: 'tel_description', type: 'i8', str: maxLen(tels.map((t) => t.type)) },
  ];
  const lr = new RowWriter(layoutOf(layoutCols), tels.length);
  tels.forEach((t, i) => {
    lr.u16(i, 'tel_id', t.telId);
    lr.str(i, 'name', names[i].optics, layoutCols[1].str!);
    lr.str(i, 'type', names[i].sizeType, layoutCols[2].str!);
    lr.f64(i, 'pos_x', t.position[0]);
    lr.f64(i, 'pos_y', t.position[1]);
    lr.f64(i, 'pos_z', t.position[2]);
    lr.str(i, 'camera_name', t.camera, layoutCols[6].str!);
    lr.str(i, 'optics_name', names[i].optics, layoutCols[7].str!);
    lr.i64(i, 'camera_index', telCamera[i]);
    lr.i64(i, 'optics_index', telOptics[i]);
    lr.str(i, 'tel_description', t.type, layoutCols[10].str!);
  });
  const meta = (tabType: string, version: string) => [
    stringAttr('ORIGIN', 'ctapipe.instrument.SubarrayDescription'),
    stringAttr('SUBARRAY', info.subarray.name),
    stringAttr('TAB_TYPE', tabType),
    stringAttr('TAB_VER', version),
  ];
  table(w, DL1_PATHS.subarrayLayout, layoutCols, lr, [
    ...tableAttrs(layoutCols, tels.length, ''),
    ...meta('subarray', '2.0'),
    stringAttr('name', info.subarray.name),
  ]);

  // /configuration/instrument/telescope/optics
  const opticsCols: Col[] = [
    { name: 'optics_name', type: 'i8', str: maxLen(optics.map((o) => o.name)) },
    { name: 'size_type', type: 'i8', str: maxLen(optics.map((o) => o.sizeType)) },
    { name: 'reflector_shape', type: 'i8', str: 7 },
    { name: 'mirror_area', type: 'f8', unit: 'm**2' },
    { name: 'n_mirrors', type: 'i8' },
    { name: 'n_mirror_tiles', type: 'i8' },
    { name: 'equivalent_focal_length', type: 'f8', unit: 'm' },
    { name: 'effective_focal_length', type: 'f8', unit: 'm' },
  ];
  const or = new RowWriter(layoutOf(opticsCols), optics.length);
  optics.forEach((o, i) => {
    or.str(i, 'optics_name', o.name, opticsCols[0].str!);
    or.str(i, 'size_type', o.sizeType, opticsCols[1].str!);
    or.str(i, 'reflector_shape', 'UNKNOWN', 7);
    or.f64(i, 'mirror_area', UNKNOWN_MIRROR_AREA);
    or.i64(i, 'n_mirrors', -1);
    or.i64(i, 'n_mirror_tiles', -1);
    or.f64(i, 'equivalent_focal_length', o.focalLength);
    or.f64(i, 'effective_focal_length', o.focalLength);
  });
  table(w, DL1_PATHS.optics, opticsCols, or, [...tableAttrs(opticsCols, optics.length, ''), ...meta('optics', '4.0')]);

  // /configuration/instrument/telescope/camera/geometry_I and readout_I
  cameras.forEach((name, ci) => {
    let g: CameraGeometry | undefined;
    try {
      g = loadCameraGeometry(name);
    } catch {
      missing.push(`${name}: no shipped camera geometry`);
    }
    const n = info.pixelsByCamera.get(name);
    if (g && n !== undefined && n !== g.nPixels) {
      missing.push(`${name}: the images have ${n} pixels, the shipped geometry ${g.nPixels}`);
      g = undefined;
    }
    const nPixels = g?.nPixels ?? n ?? 0;
    if (g) {
      const geomCols: Col[] = [
        { name: 'pix_id', type: 'i8' },
        { name: 'pix_x', type: 'f8', unit: 'm' },
        { name: 'pix_y', type: 'f8', unit: 'm' },
        { name: 'pix_area', type: 'f8', unit: 'm**2' },
      ];
      const gr = new RowWriter(layoutOf(geomCols), g.nPixels);
      for (let p = 0; p < g.nPixels; p++) {
        gr.i64(p, 'pix_id', g.pixId[p]);
        gr.f64(p, 'pix_x', g.pixX[p]);
        gr.f64(p, 'pix_y', g.pixY[p]);
        gr.f64(p, 'pix_area', g.pixArea[p]);
      }
      table(w, cameraGeometryPath(ci), geomCols, gr, [
        ...tableAttrs(geomCols, g.nPixels, ''),
        stringAttr('TAB_TYPE', 'ctapipe.instrument.CameraGeometry'),
        stringAttr('TAB_VER', '2.0'),
        stringAttr('CAM_ID', name),
        stringAttr('PIX_TYPE', g.pixType),
        float64Attr('PIX_ROT', g.pixRotation),
        float64Attr('CAM_ROT', g.camRotation),
      ]);
    }
    const readoutCols: Col[] = [
      { name: 'reference_pulse_shape_channel0', type: 'f8' },
      { name: 'reference_pulse_sample_time', type: 'f8', unit: 'ns' },
    ];
    const rr = new RowWriter(layoutOf(readoutCols), 1);
    rr.f64(0, 'reference_pulse_shape_channel0', 1);
    rr.f64(0, 'reference_pulse_sample_time', 0);
    table(w, cameraReadoutPath(ci), readoutCols, rr, [
      ...tableAttrs(readoutCols, 1, ''),
      stringAttr('TAB_TYPE', 'ctapipe.instrument.CameraReadout'),
      stringAttr('TAB_VER', '3.0'),
      stringAttr('CAM_ID', name),
      int64Attr('NPIXELS', nPixels),
      int64Attr('NCHAN', 1),
      int64Attr('NSAMPLES', 1),
      float64Attr('SAMPFREQ', NaN),
      float64Attr('REFWIDTH', NaN),
    ]);
  });

  // /configuration/telescope/pointing/tel_NNN: the array pointing, per obs_id
  const alt = (info.subarray.pointing.alt * Math.PI) / 180;
  const az = (info.subarray.pointing.az * Math.PI) / 180;
  if (Number.isFinite(alt) && Number.isFinite(az) && info.obsIds.length) {
    // ctapipe's field names are those of TelescopePointingContainer (its columns carry the prefix)
    const pointingCols: Col[] = [
      { name: 'obs_id', type: 'i8', field: 'obs_id', desc: OBS_ID_DESCRIPTION },
      { name: 'tel_id', type: 'i8', field: 'tel_id', desc: TEL_ID_DESCRIPTION },
      { name: 'telescope_pointing_azimuth', type: 'f8', unit: 'rad', field: 'azimuth', desc: 'Azimuth, measured N->E' },
      { name: 'telescope_pointing_altitude', type: 'f8', unit: 'rad', field: 'altitude', desc: 'Altitude' },
    ];
    for (const t of tels) {
      const pr = new RowWriter(layoutOf(pointingCols), info.obsIds.length);
      info.obsIds.forEach((obs, i) => {
        pr.i64(i, 'obs_id', obs);
        pr.i64(i, 'tel_id', t.telId);
        pr.f64(i, 'telescope_pointing_azimuth', az);
        pr.f64(i, 'telescope_pointing_altitude', alt);
      });
      table(
        w,
        telTablePath(DL1_PATHS.telescopePointing, t.telId),
        pointingCols,
        pr,
        tableAttrs(pointingCols, info.obsIds.length, 'Storage of TelescopeConfigurationIndexContainer,TelescopePointingContainer'),
      );
    }
  }
  return missing;
}
