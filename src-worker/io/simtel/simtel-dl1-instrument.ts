/**
 * The instrument tables of a DL1 file made from a sim_telarray file, as
 * ctapipe's DataWriter writes SimTelEventSource's SubarrayDescription
 * (compare test/fixtures/simtel/*.ctapipe.dl1.h5): the layout (positions
 * from the file), the optics (size type, reflector shape, mirror area and
 * tiles, equivalent and effective focal lengths), per camera type its
 * geometry (pixel positions and areas, derotated as ctapipe does) and its
 * readout (reference pulse shape per gain, sample times, sampling rate),
 * and per telescope its pointing.
 */
import type { H5Writer } from '../hdf5/writer/h5-writer.js';
import { int64Attr, stringAttr } from '../export/copy-attributes.js';
import { float64Attr, layoutOf, maxLen, RowWriter, tableAttrs, type Col } from '../dl1/dl1-table-layout.js';
import { cameraGeometryPath, cameraReadoutPath, DL1_PATHS, OBS_ID_DESCRIPTION, TEL_ID_DESCRIPTION, telTablePath } from '../dl1/dl1-layout.js';
import type { SimtelSubarray, SimtelTelescope } from './simtel-types.js';

function table(w: H5Writer, path: string, cols: Col[], rows: RowWriter, attrs: ReturnType<typeof tableAttrs>): void {
  const ds = w.dataset(path, layoutOf(cols).type, [], { chunkRows: Math.max(1, rows.nRows), deflateLevel: 5, shuffle: true });
  if (rows.nRows) ds.appendRows(rows.bytes, rows.nRows);
  ds.finish(attrs);
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
  const optics: SimtelTelescope[] = [];
  const opticsIndex = new Map<string, number>();
  const cameras: SimtelTelescope[] = [];
  const cameraIndex = new Map<string, number>();
  const telOptics: number[] = [];
  const telCamera: number[] = [];
  for (const t of tels) {
    const ok = opticsKey(t);
    if (!opticsIndex.has(ok)) opticsIndex.set(ok, optics.push(t) - 1);
    const ck = `${t.camera.name}|${t.camera.geometry.nPixels}`;
    if (!cameraIndex.has(ck)) cameraIndex.set(ck, cameras.push(t) - 1);
    telOptics.push(opticsIndex.get(ok)!);
    telCamera.push(cameraIndex.get(ck)!);
  }
  const meta = (tabType: string, version: string) => [
    stringAttr('ORIGIN', 'ctapipe.instrument.SubarrayDescription'),
    stringAttr('SUBARRAY', info.subarray.name),
    stringAttr('TAB_TYPE', tabType),
    stringAttr('TAB_VER', version),
  ];

  // /configuration/instrument/subarray/layout
  const layoutCols: Col[] = [
    { name: 'tel_id', type: 'u2' },
    { name: 'name', type: 'i8', str: maxLen(tels.map((t) => t.optics.name)) },
    { name: 'type', type: 'i8', str: maxLen(tels.map((t) => t.optics.sizeType)) },
    { name: 'pos_x', type: 'f8', unit: 'm' },
    { name: 'pos_y', type: 'f8', unit: 'm' },
    { name: 'pos_z', type: 'f8', unit: 'm' },
    { name: 'camera_name', type: 'i8', str: maxLen(tels.map((t) => t.camera.name)) },
    { name: 'optics_name', type: 'i8', str: maxLen(tels.map((t) => t.optics.name)) },
    { name: 'camera_index', type: 'i8' },
    { name: 'optics_index', type: 'i8' },
    { name: 'tel_description', type: 'i8', str: maxLen(tels.map(simtelTelDescription)) },
  ];
  const lr = new RowWriter(layoutOf(layoutCols), tels.length);
  tels.forEach((t, i) => {
    lr.u16(i, 'tel_id', t.telId);
    lr.str(i, 'name', t.optics.name, layoutCols[1].str!);
    lr.str(i, 'type', t.optics.sizeType, layoutCols[2].str!);
    lr.f64(i, 'pos_x', t.posX);
    lr.f64(i, 'pos_y', t.posY);
    lr.f64(i, 'pos_z', t.posZ);
    lr.str(i, 'camera_name', t.camera.name, layoutCols[6].str!);
    lr.str(i, 'optics_name', t.optics.name, layoutCols[7].str!);
    lr.i64(i, 'camera_index', telCamera[i]);
    lr.i64(i, 'optics_index', telOptics[i]);
    lr.str(i, 'tel_description', simtelTelDescription(t), layoutCols[10].str!);
  });
  table(w, DL1_PATHS.subarrayLayout, layoutCols, lr, [
    ...tableAttrs(layoutCols, tels.length, ''),
    ...meta('subarray', '2.0'),
    stringAttr('name', info.subarray.name),
  ]);

  // /configuration/instrument/telescope/optics
  const opticsCols: Col[] = [
    { name: 'optics_name', type: 'i8', str: maxLen(optics.map((t) => t.optics.name)) },
    { name: 'size_type', type: 'i8', str: maxLen(optics.map((t) => t.optics.sizeType)) },
    { name: 'reflector_shape', type: 'i8', str: maxLen(optics.map((t) => t.optics.reflectorShape)) },
    { name: 'mirror_area', type: 'f8', unit: 'm**2' },
    { name: 'n_mirrors', type: 'i8' },
    { name: 'n_mirror_tiles', type: 'i8' },
    { name: 'equivalent_focal_length', type: 'f8', unit: 'm' },
    { name: 'effective_focal_length', type: 'f8', unit: 'm' },
  ];
  const or = new RowWriter(layoutOf(opticsCols), optics.length);
  optics.forEach((t, i) => {
    const o = t.optics;
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

  // per camera type: geometry_I and readout_I
  cameras.forEach((t, ci) => {
    const g = t.camera.geometry;
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
      stringAttr('CAM_ID', t.camera.name),
      stringAttr('PIX_TYPE', g.pixType),
      float64Attr('PIX_ROT', g.pixRotation),
      float64Attr('CAM_ROT', g.camRotation),
    ]);
    const ro = t.camera.readout;
    const shapes = ro.referencePulseShape;
    const nRef = shapes.length ? Math.min(...shapes.map((s) => s.length)) : 1;
    const readoutCols: Col[] = [
      ...(shapes.length ? shapes : [new Float64Array([1])]).map((_, k): Col => ({ name: `reference_pulse_shape_channel${k}`, type: 'f8' })),
      { name: 'reference_pulse_sample_time', type: 'f8', unit: 'ns' },
    ];
    const rr = new RowWriter(layoutOf(readoutCols), nRef);
    for (let s = 0; s < nRef; s++) {
      if (shapes.length) shapes.forEach((sh, k) => rr.f64(s, `reference_pulse_shape_channel${k}`, sh[s]));
      else rr.f64(s, 'reference_pulse_shape_channel0', 1);
      rr.f64(s, 'reference_pulse_sample_time', s * ro.referencePulseSampleWidth);
    }
    table(w, cameraReadoutPath(ci), readoutCols, rr, [
      ...tableAttrs(readoutCols, nRef, ''),
      stringAttr('TAB_TYPE', 'ctapipe.instrument.CameraReadout'),
      stringAttr('TAB_VER', '3.0'),
      stringAttr('CAM_ID', t.camera.name),
      int64Attr('NPIXELS', ro.nPixels),
      int64Attr('NCHAN', ro.nChannels),
      int64Attr('NSAMPLES', ro.nSamples),
      float64Attr('SAMPFREQ', ro.samplingRate),
      float64Attr('REFWIDTH', ro.referencePulseSampleWidth),
    ]);
  });

  // /configuration/telescope/pointing/tel_NNN
  {
    const pointingCols: Col[] = [
      { name: 'obs_id', type: 'i8', field: 'obs_id', desc: OBS_ID_DESCRIPTION },
      { name: 'tel_id', type: 'i8', field: 'tel_id', desc: TEL_ID_DESCRIPTION },
      { name: 'telescope_pointing_azimuth', type: 'f8', unit: 'rad', field: 'azimuth', desc: 'Azimuth, measured N->E' },
      { name: 'telescope_pointing_altitude', type: 'f8', unit: 'rad', field: 'altitude', desc: 'Altitude' },
    ];
    for (const t of tels) {
      const { altitude, azimuth } = info.pointing(t.telId);
      if (!Number.isFinite(altitude) || !Number.isFinite(azimuth)) continue;
      const pr = new RowWriter(layoutOf(pointingCols), 1);
      pr.i64(0, 'obs_id', info.obsId);
      pr.i64(0, 'tel_id', t.telId);
      pr.f64(0, 'telescope_pointing_azimuth', azimuth);
      pr.f64(0, 'telescope_pointing_altitude', altitude);
      table(
        w,
        telTablePath(DL1_PATHS.telescopePointing, t.telId),
        pointingCols,
        pr,
        tableAttrs(pointingCols, 1, 'Storage of TelescopeConfigurationIndexContainer,TelescopePointingContainer'),
      );
    }
  }
}
