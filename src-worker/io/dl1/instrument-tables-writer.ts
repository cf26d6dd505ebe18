/**
 * The instrument tables of a DL1 file in ctapipe 0.26's layout (what
 * ctapipe's DataWriter writes and SubarrayDescription.from_hdf reads),
 * written from one plain description. Two sources fill it: a recording
 * (what a DAQ announced plus the shipped geometries, dl1-instrument-tables.ts)
 * and a sim_telarray file (everything from the file,
 * ../simtel/simtel-dl1-instrument.ts).
 *
 *   /configuration/instrument/subarray/layout              tel_id, name, type, pos_x/y/z (m), camera_name,
 *                                                          optics_name, camera_index, optics_index, tel_description
 *   /configuration/instrument/telescope/optics             optics_name, size_type, reflector_shape, mirror_area (m**2),
 *                                                          n_mirrors, n_mirror_tiles, equivalent_/effective_focal_length (m)
 *   /configuration/instrument/telescope/camera/geometry_I  pix_id, pix_x, pix_y (m), pix_area (m**2); CAM_ID, PIX_TYPE, PIX_ROT, CAM_ROT
 *   /configuration/instrument/telescope/camera/readout_I   reference_pulse_shape_channelK, reference_pulse_sample_time (ns); CAM_ID, NPIXELS ...
 *   /configuration/telescope/pointing/tel_NNN              obs_id, tel_id, telescope_pointing_azimuth/altitude (rad)
 */
import type { AttrSpec, H5Writer } from '../hdf5/writer/h5-writer.js';
import { int64Attr, stringAttr } from '../export/copy-attributes.js';
import type { CameraGeometry } from '../../containers/camera-geometry.js';
import type { Dl1Optics } from './dl1-types.js';
import { float64Attr, layoutOf, maxLen, RowWriter, tableAttrs, type Col } from './dl1-table-layout.js';
import { cameraGeometryPath, cameraReadoutPath, DL1_PATHS, OBS_ID_DESCRIPTION, TEL_ID_DESCRIPTION, telTablePath } from './dl1-layout.js';

export interface InstrumentTelescope {
  telId: number;
  /** the layout's name and type columns (ctapipe: the optics name and the size type) */
  name: string;
  type: string;
  /** m, ground frame */
  position: readonly [number, number, number];
  /** ctapipe's tel_description, "<size type>_<optics name>_<camera name>" */
  description: string;
  opticsIndex: number;
  cameraIndex: number;
}

/** an optics table row: what the DL1 reader returns for one (dl1-types.ts) */
export type InstrumentOptics = Dl1Optics;

export interface InstrumentCamera {
  name: string;
  /** the pixels, or undefined: no geometry table is written */
  geometry: CameraGeometry | undefined;
  readout: {
    nPixels: number;
    nChannels: number;
    nSamples: number;
    /** GHz */
    samplingRate: number;
    /** ns */
    referencePulseSampleWidth: number;
    /** one shape per gain channel (the same length each) */
    referencePulseShape: readonly ArrayLike<number>[];
  };
}

export interface InstrumentDescription {
  subarrayName: string;
  /** sorted by tel_id */
  telescopes: readonly InstrumentTelescope[];
  optics: readonly InstrumentOptics[];
  cameras: readonly InstrumentCamera[];
  /** more attributes of the layout table (the site: `reference_itrs_{x,y,z}`, when known) */
  layoutAttrs?: readonly AttrSpec[];
  /** per telescope, the pointing rows (rad) */
  pointing: readonly { telId: number; rows: readonly { obsId: number; azimuth: number; altitude: number }[] }[];
}

function table(w: H5Writer, path: string, cols: Col[], rows: RowWriter, attrs: ReturnType<typeof tableAttrs>): void {
  const ds = w.dataset(path, layoutOf(cols).type, [], { chunkRows: Math.max(1, rows.nRows), deflateLevel: 5, shuffle: true });
  if (rows.nRows) ds.appendRows(rows.bytes, rows.nRows);
  ds.finish(attrs);
}

/** Writes every instrument table of `d`. */
export function writeInstrumentDescription(w: H5Writer, d: InstrumentDescription): void {
  const tels = d.telescopes;
  const optics = d.optics;
  const meta = (tabType: string, version: string) => [
    stringAttr('ORIGIN', 'ctapipe.instrument.SubarrayDescription'),
    stringAttr('SUBARRAY', d.subarrayName),
    stringAttr('TAB_TYPE', tabType),
    stringAttr('TAB_VER', version),
  ];

  const opticsOf = (t: InstrumentTelescope) => optics[t.opticsIndex];
  const layoutCols: Col[] = [
    { name: 'tel_id', type: 'u2' },
    { name: 'name', type: 'i8', str: maxLen(tels.map((t) => t.name)) },
    { name: 'type', type: 'i8', str: maxLen(tels.map((t) => t.type)) },
    { name: 'pos_x', type: 'f8', unit: 'm' },
    { name: 'pos_y', type: 'f8', unit: 'm' },
    { name: 'pos_z', type: 'f8', unit: 'm' },
    { name: 'camera_name', type: 'i8', str: maxLen(tels.map((t) => d.cameras[t.cameraIndex].name)) },
    { name: 'optics_name', type: 'i8', str: maxLen(tels.map((t) => opticsOf(t).name)) },
    { name: 'camera_index', type: 'i8' },
    { name: 'optics_index', type: 'i8' },
    { name: 'tel_description', type: 'i8', str: maxLen(tels.map((t) => t.description)) },
  ];
  const lr = new RowWriter(layoutOf(layoutCols), tels.length);
  tels.forEach((t, i) => {
    lr.u16(i, 'tel_id', t.telId);
    lr.str(i, 'name', t.name, layoutCols[1].str!);
    lr.str(i, 'type', t.type, layoutCols[2].str!);
    lr.f64(i, 'pos_x', t.position[0]);
    lr.f64(i, 'pos_y', t.position[1]);
    lr.f64(i, 'pos_z', t.position[2]);
    lr.str(i, 'camera_name', d.cameras[t.cameraIndex].name, layoutCols[6].str!);
    lr.str(i, 'optics_name', opticsOf(t).name, layoutCols[7].str!);
    lr.i64(i, 'camera_index', t.cameraIndex);
    lr.i64(i, 'optics_index', t.opticsIndex);
    lr.str(i, 'tel_description', t.description, layoutCols[10].str!);
  });
  table(w, DL1_PATHS.subarrayLayout, layoutCols, lr, [
    ...tableAttrs(layoutCols, tels.length, ''),
    ...meta('subarray', '2.0'),
    stringAttr('name', d.subarrayName),
    ...(d.layoutAttrs ?? []),
  ]);

  const opticsCols: Col[] = [
    { name: 'optics_name', type: 'i8', str: maxLen(optics.map((o) => o.name)) },
    { name: 'size_type', type: 'i8', str: maxLen(optics.map((o) => o.sizeType)) },
    { name: 'reflector_shape', type: 'i8', str: maxLen(optics.map((o) => o.reflectorShape)) },
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
    or.str(i, 'reflector_shape', o.reflectorShape, opticsCols[2].str!);
    or.f64(i, 'mirror_area', o.mirrorArea);
    or.i64(i, 'n_mirrors', o.nMirrors);
    or.i64(i, 'n_mirror_tiles', o.nMirrorTiles);
    or.f64(i, 'equivalent_focal_length', o.equivalentFocalLength);
    or.f64(i, 'effective_focal_length', o.effectiveFocalLength);
  });
  table(w, DL1_PATHS.optics, opticsCols, or, [...tableAttrs(opticsCols, optics.length, ''), ...meta('optics', '4.0')]);

  d.cameras.forEach((c, ci) => {
    const g = c.geometry;
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
        stringAttr('CAM_ID', c.name),
        stringAttr('PIX_TYPE', g.pixType),
        float64Attr('PIX_ROT', g.pixRotation),
        float64Attr('CAM_ROT', g.camRotation),
      ]);
    }
    const ro = c.readout;
    const shapes = ro.referencePulseShape;
    const nRef = shapes.length ? Math.min(...shapes.map((s) => s.length)) : 0;
    const readoutCols: Col[] = [
      ...shapes.map((_, k): Col => ({ name: `reference_pulse_shape_channel${k}`, type: 'f8' })),
      { name: 'reference_pulse_sample_time', type: 'f8', unit: 'ns' },
    ];
    const rr = new RowWriter(layoutOf(readoutCols), nRef);
    for (let s = 0; s < nRef; s++) {
      shapes.forEach((sh, k) => rr.f64(s, `reference_pulse_shape_channel${k}`, sh[s]));
      rr.f64(s, 'reference_pulse_sample_time', s === 0 ? 0 : s * ro.referencePulseSampleWidth);
    }
    table(w, cameraReadoutPath(ci), readoutCols, rr, [
      ...tableAttrs(readoutCols, nRef, ''),
      stringAttr('TAB_TYPE', 'ctapipe.instrument.CameraReadout'),
      stringAttr('TAB_VER', '3.0'),
      stringAttr('CAM_ID', c.name),
      int64Attr('NPIXELS', ro.nPixels),
      int64Attr('NCHAN', ro.nChannels),
      int64Attr('NSAMPLES', ro.nSamples),
      float64Attr('SAMPFREQ', ro.samplingRate),
      float64Attr('REFWIDTH', ro.referencePulseSampleWidth),
    ]);
  });

  // ctapipe's field names are those of TelescopePointingContainer (its columns carry the prefix)
  const pointingCols: Col[] = [
    { name: 'obs_id', type: 'i8', field: 'obs_id', desc: OBS_ID_DESCRIPTION },
    { name: 'tel_id', type: 'i8', field: 'tel_id', desc: TEL_ID_DESCRIPTION },
    { name: 'telescope_pointing_azimuth', type: 'f8', unit: 'rad', field: 'azimuth', desc: 'Azimuth, measured N->E' },
    { name: 'telescope_pointing_altitude', type: 'f8', unit: 'rad', field: 'altitude', desc: 'Altitude' },
  ];
  for (const p of d.pointing) {
    if (!p.rows.length) continue;
    const pr = new RowWriter(layoutOf(pointingCols), p.rows.length);
    p.rows.forEach((r, i) => {
      pr.i64(i, 'obs_id', r.obsId);
      pr.i64(i, 'tel_id', p.telId);
      pr.f64(i, 'telescope_pointing_azimuth', r.azimuth);
      pr.f64(i, 'telescope_pointing_altitude', r.altitude);
    });
    table(
      w,
      telTablePath(DL1_PATHS.telescopePointing, p.telId),
      pointingCols,
      pr,
      tableAttrs(pointingCols, p.rows.length, 'Storage of TelescopeConfigurationIndexContainer,TelescopePointingContainer'),
    );
  }
}
