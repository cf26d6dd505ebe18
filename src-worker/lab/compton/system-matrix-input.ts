/**
 * Reading a Compton camera's system matrix from HDF5: a dense 2-D dataset
 * (cones × pixels, float32 or float64, or integers read as float64) or a
 * group holding CSR arrays `data`, `indices`, `indptr` (scipy.sparse's
 * names; the matrix shape from the group's `shape` attribute, else rows from
 * indptr and columns from the image shape). The image shape: the `image_shape`
 * attribute of the dataset or group, else the caller's, else 181 × 361
 * (polar 0..180° × azimuth −180..180° in 1° bins) when the pixel count fits.
 * An optional sensitivity dataset holds one value per pixel.
 */
import type { H5File } from '../../io/hdf5/h5-file.js';
import { Hdf5Error } from '../../io/hdf5/h5-errors.js';
import { readAttrs } from '../../io/hdf5/h5-attrs.js';
import { numericDatasetInfo, readAsFloat64, readNumericRows } from '../numeric-dataset.js';
import { runMatrixFromCsr, runMatrixFromDense, type RunMatrix, type RunMatrixOptions } from './run-matrix.js';
import type { AttrValue } from '../../io/hdf5/browse-types.js';

export const DEFAULT_IMAGE_SHAPE: [number, number] = [181, 361];

export interface SystemMatrixSource {
  matrix: RunMatrix;
  format: 'dense' | 'csr';
  /** numpy-like type of the stored values */
  dtype: string;
  imageShape: [number, number];
  /** where the image shape came from */
  shapeFrom: 'attribute' | 'user' | 'default';
  /** the `axes` attribute, when present */
  axes?: string;
  sensitivity?: Float64Array;
}

export interface SystemMatrixReadOptions extends RunMatrixOptions {
  /** the dense dataset or the CSR group; default /sysmat */
  path?: string;
  /** [polar bins, azimuth bins] when the file has no image_shape attribute */
  imageShape?: [number, number];
  /** dataset of per-pixel sensitivities */
  sensitivity?: string;
}

function shapeAttr(v: AttrValue | undefined): [number, number] | null {
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) return [v[0] as number, v[1] as number];
  return null;
}

function resolveImageShape(
  file: H5File,
  path: string,
  attrs: Record<string, AttrValue>,
  nPixels: number,
  user?: [number, number],
): { shape: [number, number]; from: SystemMatrixSource['shapeFrom'] } {
  const fromAttr = shapeAttr(attrs.image_shape);
  let shape: [number, number];
  let from: SystemMatrixSource['shapeFrom'];
  if (user) [shape, from] = [user, 'user'];
  else if (fromAttr) [shape, from] = [fromAttr, 'attribute'];
  else [shape, from] = [DEFAULT_IMAGE_SHAPE, 'default'];
  if (shape[0] * shape[1] !== nPixels) {
    const said = from === 'user' ? 'the given shape' : from === 'attribute' ? 'its image_shape attribute' : 'the default shape';
    throw new Hdf5Error(
      'bad-request',
      `${file.path}: ${path} has ${nPixels} pixel columns, but ${said} ${shape[0]}×${shape[1]} makes ${shape[0] * shape[1]}; give the image shape (e.g. --shape ${shape[0]}x${Math.round(nPixels / shape[0])})`,
      file.path,
    );
  }
  return { shape, from };
}

export function readSystemMatrix(file: H5File, o: SystemMatrixReadOptions = {}): SystemMatrixSource {
  const path = o.path ?? '/sysmat';
  const kind = file.kindOf(path);
  if (kind === null)
    throw new Hdf5Error('node-not-found', `${file.path}: no ${path} (a dense system matrix, or a group with CSR data/indices/indptr)`, file.path);
  const attrs = readAttrs(file, path);
  const axes = typeof attrs.axes === 'string' ? attrs.axes : undefined;
  let matrix: RunMatrix;
  let format: SystemMatrixSource['format'];
  let dtype: string;
  if (kind === 'dataset') {
    const info = numericDatasetInfo(file, path, [2], 'a dense system matrix (cones × pixels)');
    const [nCones, nPixels] = info.shape;
    if (nCones < 1 || nPixels < 1) throw new Hdf5Error('bad-request', `${file.path}: ${path} is empty (${nCones} × ${nPixels})`, file.path);
    const raw = readNumericRows(file, info, 0, nCones);
    const values = raw instanceof Float32Array || raw instanceof Float64Array ? raw : Float64Array.from(raw);
    matrix = wrap(file, path, () => runMatrixFromDense(values, nCones, nPixels, o));
    format = 'dense';
    dtype = info.dtype;
  } else {
    for (const name of ['data', 'indices', 'indptr']) {
      if (!file.hasDataset(`${path}/${name}`))
        throw new Hdf5Error(
          'bad-request',
          `${file.path}: ${path} is a group without a ${name} dataset; a CSR system matrix needs data, indices and indptr`,
          file.path,
        );
    }
    const dInfo = numericDatasetInfo(file, `${path}/data`, [1], 'CSR data');
    const raw = readNumericRows(file, dInfo, 0, dInfo.shape[0]);
    const data = raw instanceof Float32Array || raw instanceof Float64Array ? raw : Float64Array.from(raw);
    const indices = readAsFloat64(file, numericDatasetInfo(file, `${path}/indices`, [1], 'CSR indices'));
    const indptr = readAsFloat64(file, numericDatasetInfo(file, `${path}/indptr`, [1], 'CSR indptr'));
    const shape = shapeAttr(attrs.shape);
    const nCones = shape ? shape[0] : indptr.length - 1;
    const userShape = o.imageShape ?? shapeAttr(attrs.image_shape) ?? DEFAULT_IMAGE_SHAPE;
    const nPixels = shape ? shape[1] : userShape[0] * userShape[1];
    matrix = wrap(file, path, () => runMatrixFromCsr(data, indices, indptr, nCones, nPixels, o));
    format = 'csr';
    dtype = dInfo.dtype;
  }
  const { shape, from } = resolveImageShape(file, path, attrs, matrix.nPixels, o.imageShape);
  let sensitivity: Float64Array | undefined;
  if (o.sensitivity) {
    const sInfo = numericDatasetInfo(file, o.sensitivity, [1, 2], 'the sensitivity (one value per pixel)');
    sensitivity = readAsFloat64(file, sInfo);
    if (sensitivity.length !== matrix.nPixels)
      throw new Hdf5Error(
        'bad-request',
        `${file.path}: ${o.sensitivity} has ${sensitivity.length} values, the system matrix ${matrix.nPixels} pixels`,
        file.path,
      );
  }
  return { matrix, format, dtype, imageShape: shape, shapeFrom: from, axes, sensitivity };
}

function wrap<T>(file: H5File, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Hdf5Error) throw err;
    throw new Hdf5Error('bad-request', `${file.path}: ${path}: ${err instanceof Error ? err.message : String(err)}`, file.path);
  }
}
