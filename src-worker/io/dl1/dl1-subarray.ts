/**
 * The subarray of a ctapipe DL1 file: telescope layout
 * (/configuration/instrument/subarray/layout), optics
 * (/configuration/instrument/telescope/optics) and camera geometries
 * (/configuration/instrument/telescope/camera/geometry_<index or name>).
 */
import { type CameraGeometry } from '../../containers/camera-geometry.js';
import { pixelShapeFromString } from '../../instrument/camera-geometry-json.js';
import { Hdf5Error } from '../hdf5/h5-errors.js';
import type { H5File } from '../hdf5/h5-file.js';
import { readAttrs } from '../hdf5/h5-attrs.js';
import { ChunkCache, TableReader } from '../hdf5/table-reader.js';
import { toFloat64 } from '../hdf5/column-decode.js';
import type { Dl1Optics, Dl1Subarray, Dl1Telescope } from './dl1-types.js';
import { DL1_PATHS } from './dl1-layout.js';
import type { ColumnData } from '../hdf5/browse-types.js';

function strings(col: ColumnData | undefined, n: number): string[] {
  if (!col) return new Array<string>(n).fill('');
  return Array.isArray(col) ? col : Array.from(col as ArrayLike<number>, String);
}

function numbers(col: ColumnData | undefined, n: number, fill = NaN): Float64Array {
  return col ? toFloat64(col) : new Float64Array(n).fill(fill);
}

function readAll(table: TableReader, want: string[]): Record<string, ColumnData | undefined> {
  const have = want.filter((w) => table.hasField(w));
  const cols = table.columns(0, table.nRows, have);
  return Object.fromEntries(want.map((w) => [w, cols[w]]));
}

export function readOptics(file: H5File, cache: ChunkCache): Dl1Optics[] {
  if (!file.hasDataset(DL1_PATHS.optics)) return [];
  const t = new TableReader(file, DL1_PATHS.optics, cache);
  const c = readAll(t, [
    'optics_name',
    'name',
    'size_type',
    'reflector_shape',
    'mirror_area',
    'n_mirrors',
    'n_mirror_tiles',
    'equivalent_focal_length',
    'effective_focal_length',
  ]);
  const n = t.nRows;
  const names = strings(c.optics_name ?? c.name, n);
  const size = strings(c.size_type, n);
  const shape = strings(c.reflector_shape, n);
  const area = numbers(c.mirror_area, n);
  const nm = numbers(c.n_mirrors, n);
  const nt = numbers(c.n_mirror_tiles, n);
  const eq = numbers(c.equivalent_focal_length, n);
  const eff = numbers(c.effective_focal_length, n);
  return Array.from({ length: n }, (_, i) => ({
    name: names[i],
    sizeType: size[i],
    reflectorShape: shape[i],
    mirrorArea: area[i],
    nMirrors: nm[i],
    nMirrorTiles: nt[i],
    equivalentFocalLength: eq[i],
    // files before ctapipe 0.19 have no effective focal length: use the equivalent one
    effectiveFocalLength: Number.isFinite(eff[i]) ? eff[i] : eq[i],
    effectiveFocalLengthInFile: Number.isFinite(eff[i]),
  }));
}

/** Reads one geometry table into ctapipe's CameraGeometry. */
export function readCameraGeometry(file: H5File, path: string, cache: ChunkCache, fallbackName: string): CameraGeometry {
  const t = new TableReader(file, path, cache);
  const attrs = readAttrs(file, path);
  const c = readAll(t, ['pix_id', 'pix_x', 'pix_y', 'pix_area']);
  if (!c.pix_x || !c.pix_y) {
    throw new Hdf5Error('unknown-layout', `${file.path}: camera geometry table ${path} has no pix_x/pix_y columns`, file.path);
  }
  const n = t.nRows;
  const pixId = new Int32Array(n);
  if (c.pix_id) {
    const ids = toFloat64(c.pix_id);
    for (let i = 0; i < n; i++) pixId[i] = ids[i];
  } else {
    for (let i = 0; i < n; i++) pixId[i] = i;
  }
  const name = typeof attrs.CAM_ID === 'string' && attrs.CAM_ID ? attrs.CAM_ID : fallbackName;
  const pixType = typeof attrs.PIX_TYPE === 'string' ? attrs.PIX_TYPE : 'hexagon';
  return {
    name,
    nPixels: n,
    pixId,
    pixX: Float64Array.from(toFloat64(c.pix_x)),
    pixY: Float64Array.from(toFloat64(c.pix_y)),
    pixArea: c.pix_area ? Float64Array.from(toFloat64(c.pix_area)) : new Float64Array(n).fill(NaN),
    pixType: pixelShapeFromString(pixType),
    pixRotation: Number(attrs.PIX_ROT ?? 0),
    camRotation: Number(attrs.CAM_ROT ?? 0),
  };
}

export function readSubarray(file: H5File, cache: ChunkCache): Dl1Subarray {
  if (!file.hasDataset(DL1_PATHS.subarrayLayout)) {
    throw new Hdf5Error('unknown-layout', `${file.path}: no subarray layout (${DL1_PATHS.subarrayLayout}); not a ctapipe DL1 file`, file.path);
  }
  const layout = new TableReader(file, DL1_PATHS.subarrayLayout, cache);
  const layoutAttrs = readAttrs(file, DL1_PATHS.subarrayLayout);
  const n = layout.nRows;
  const c = readAll(layout, [
    'tel_id',
    'name',
    'type',
    'pos_x',
    'pos_y',
    'pos_z',
    'camera_name',
    'optics_name',
    'camera_index',
    'optics_index',
    'tel_description',
  ]);
  if (!c.tel_id) throw new Hdf5Error('unknown-layout', `${file.path}: ${DL1_PATHS.subarrayLayout} has no tel_id column`, file.path);
  const telId = toFloat64(c.tel_id);
  const names = strings(c.name, n);
  const types = strings(c.type, n);
  const px = numbers(c.pos_x, n);
  const py = numbers(c.pos_y, n);
  const pz = numbers(c.pos_z, n);
  const camNames = strings(c.camera_name, n);
  const optNames = strings(c.optics_name, n);
  const camIndex = numbers(c.camera_index, n, -1);
  const optIndex = numbers(c.optics_index, n, -1);
  const desc = strings(c.tel_description, n);

  const optics = readOptics(file, cache);
  const cameras: Record<string, CameraGeometry> = {};
  const available = file.has(DL1_PATHS.cameras) ? new Set(file.keys(DL1_PATHS.cameras)) : new Set<string>();

  const telescopes: Dl1Telescope[] = [];
  for (let i = 0; i < n; i++) {
    let oi = optIndex[i];
    if (!(oi >= 0 && oi < optics.length)) oi = optics.findIndex((o) => o.name === optNames[i]);
    const tel: Dl1Telescope = {
      telId: telId[i],
      name: names[i],
      type: types[i],
      posX: px[i],
      posY: py[i],
      posZ: pz[i],
      cameraName: camNames[i],
      opticsName: optNames[i],
      description: desc[i],
      opticsIndex: oi,
    };
    telescopes.push(tel);
    if (!cameras[tel.cameraName]) {
      const byIndex = `geometry_${camIndex[i]}`;
      const byName = `geometry_${tel.cameraName}`;
      const table = camIndex[i] >= 0 && available.has(byIndex) ? byIndex : available.has(byName) ? byName : null;
      if (table) {
        const geom = readCameraGeometry(file, `${DL1_PATHS.cameras}/${table}`, cache, tel.cameraName);
        const o = optics[oi];
        if (o) {
          geom.focalLength = o.equivalentFocalLength;
          geom.effectiveFocalLength = o.effectiveFocalLength;
        }
        cameras[tel.cameraName] = geom;
      }
    }
  }
  telescopes.sort((a, b) => a.telId - b.telId);
  const name = typeof layoutAttrs.name === 'string' ? layoutAttrs.name : typeof layoutAttrs.SUBARRAY === 'string' ? layoutAttrs.SUBARRAY : '';
  return { name, telescopes, optics, cameras };
}
