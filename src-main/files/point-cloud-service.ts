/**
 * Point clouds from NumPy files on the serving machine: a .npy array or the
 * arrays of an .npz archive, read as float32 rows of at least 3 columns
 * (x, y, z, then values to colour by). Errors name the file and say what
 * kind of array is needed.
 */
import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { SceneReplies, sceneRequestSchemas, PointArrayInfo, PointCloudData } from '../api/scene-contract.js';
import { isNpy, npyToFloat32, parseNpyHeader, pointTableShape } from '../../src-worker/io/npy/npy-format.js';
import { listNpzMembers, readNpzMember, readNpzMemberHead } from './npz-archive.js';
import { ApiError, errorMessage } from '../util/errors.js';
import { fullAccess, type FileAccess } from './file-access.js';

type SceneMethod = keyof typeof sceneRequestSchemas;
type SceneParams<M extends SceneMethod> = z.infer<(typeof sceneRequestSchemas)[M]>;
export type SceneHandlers = { [M in SceneMethod]: (p: SceneParams<M>) => Promise<SceneReplies[M]> };

/** refuse files larger than this (they are read whole) */
const MAX_FILE_BYTES = 2 ** 31 - 1;

async function readWhole(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ApiError('failed', `${path} is not a regular file`);
    size = s.size;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('not-found', `cannot read ${path}: no such file`);
  }
  if (size > MAX_FILE_BYTES)
    throw new ApiError('failed', `${path} is ${(size / 2 ** 30).toFixed(1)} GiB; point clouds are read from files under 2 GiB (save a subset)`);
  const b = await readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function info(name: string, header: { descr: string; shape: number[] }): PointArrayInfo {
  const t = pointTableShape(header.shape);
  return 'reason' in t
    ? { name, shape: header.shape, dtype: header.descr, reason: t.reason }
    : { name, shape: header.shape, dtype: header.descr, rows: t.rows, columns: t.columns };
}

function fail(path: string, err: unknown): never {
  if (err instanceof ApiError) throw err;
  throw new ApiError('failed', `${path}: ${errorMessage(err)}`);
}

export class PointCloudService {
  /** `access`: where files may be read (default anywhere; serve mode: its data directories) */
  constructor(private readonly access: FileAccess = fullAccess) {}

  async list(given: string): Promise<{ path: string; arrays: PointArrayInfo[] }> {
    const path = await this.access.place(given, 'read');
    const bytes = await readWhole(path);
    try {
      if (isNpy(bytes)) return { path, arrays: [info(baseName(path), parseNpyHeader(bytes, path))] };
      const arrays: PointArrayInfo[] = [];
      for (const m of listNpzMembers(bytes, path)) {
        if (!m.file.endsWith('.npy')) continue;
        // the .npy header sits in the member's first bytes: inflate only those
        arrays.push(info(m.name, parseNpyHeader(await readNpzMemberHead(bytes, m, path), `${path}:${m.name}`)));
      }
      if (!arrays.length) throw new ApiError('failed', `${path}: the archive holds no .npy arrays`);
      return { path, arrays };
    } catch (err) {
      fail(path, err);
    }
  }

  async read(given: string, name?: string): Promise<PointCloudData> {
    const path = await this.access.place(given, 'read');
    const bytes = await readWhole(path);
    try {
      let npy: Uint8Array;
      let arrayName: string;
      if (isNpy(bytes)) {
        npy = bytes;
        arrayName = baseName(path);
      } else {
        const members = listNpzMembers(bytes, path).filter((m) => m.file.endsWith('.npy'));
        let member = name !== undefined ? members.find((m) => m.name === name) : undefined;
        if (name !== undefined && !member)
          throw new ApiError('not-found', `${path} has no array "${name}" (it has: ${members.map((m) => m.name).join(', ') || 'none'})`);
        if (!member) {
          for (const m of members) {
            const h = parseNpyHeader(await readNpzMemberHead(bytes, m, path), `${path}:${m.name}`);
            if (!('reason' in pointTableShape(h.shape))) {
              member = m;
              break;
            }
          }
        }
        if (!member) throw new ApiError('failed', `${path}: no array in the archive is N×3 or wider (points need x, y, z columns)`);
        npy = await readNpzMember(bytes, member, path);
        arrayName = member.name;
      }
      const label = `${path}:${arrayName}`;
      const { header, values } = npyToFloat32(npy, label);
      const t = pointTableShape(header.shape);
      if ('reason' in t) throw new ApiError('failed', `${label}: ${t.reason}`);
      return {
        source: `${baseName(path)}:${arrayName}`,
        name: arrayName,
        shape: header.shape,
        dtype: header.descr,
        rows: t.rows,
        columns: t.columns,
        data: values,
      };
    } catch (err) {
      fail(path, err);
    }
  }

  readonly handlers: SceneHandlers = {
    'points.list': (p) => this.list(p.path),
    'points.read': (p) => this.read(p.path, p.name),
  };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
