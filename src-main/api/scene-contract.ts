/**
 * The 3D-scene part of the API: point clouds read from NumPy files (.npy, or
 * the arrays of an .npz archive) on the serving machine. (HDF5 datasets are
 * read through file.readSlice.)
 */
import { z } from 'zod';

const path = z.string().min(1).max(4096);

export const sceneRequestSchemas = {
  /** the arrays of a .npy/.npz file, with whether each can be shown as points */
  'points.list': z.object({ path }).strict(),
  /** one array as float32 rows (N × C, C ≥ 3); `name` picks an .npz member (default: the first usable) */
  'points.read': z.object({ path, name: z.string().min(1).max(1000).optional() }).strict(),
} as const;

export interface PointArrayInfo {
  name: string;
  shape: number[];
  dtype: string;
  /** rows × columns when it can be shown as points */
  rows?: number;
  columns?: number;
  /** why not, when it cannot */
  reason?: string;
}

export interface PointCloudData {
  /** where it came from, for titles: "file.npz:name" */
  source: string;
  name: string;
  /** shape in the file */
  shape: number[];
  dtype: string;
  rows: number;
  columns: number;
  /** row-major rows × columns */
  data: Float32Array;
}

export interface SceneReplies {
  'points.list': { path: string; arrays: PointArrayInfo[] };
  'points.read': PointCloudData;
}
