/**
 * Water-Cherenkov PMT geometries (WCSim / WatChMaL) shipped as CSV under
 * assets/watchmal/: positions in cm, facing directions as unit vectors into
 * the tank, row i = WatChMaL's 0-based hit_pmt i. A hit file does not say
 * which detector it is for, so the geometry is chosen by name or by PMT
 * count (the smallest table with more PMTs than the largest hit_pmt, with
 * name hints from the file's root_files / attributes breaking ties).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetsDir } from '../assets/assets-dir.js';
import type { PmtGeometryEntry } from '../../containers/pmt-geometry.js';
import type { PmtGeometry } from '../../containers/pmt-geometry.js';
import type { GeometryChoice } from '../../containers/pmt-geometry.js';

interface IndexJson {
  geometries: { name: string; file: string; description: string; n_pmts: number; axis: 'x' | 'y' | 'z'; hints: string[] }[];
}

function watchmalDir(): string {
  return join(assetsDir(), 'watchmal');
}

let entries: PmtGeometryEntry[] | undefined;

export function listPmtGeometries(): PmtGeometryEntry[] {
  if (entries) return entries;
  const json = JSON.parse(readFileSync(join(watchmalDir(), 'index.json'), 'utf8')) as IndexJson;
  entries = json.geometries.map((g) => ({ name: g.name, file: g.file, description: g.description, nPmts: g.n_pmts, axis: g.axis, hints: g.hints }));
  return entries;
}

const REGION_CODE: Record<string, number> = { barrel: 0, top: 1, bottom: 2 };

/** Parses one of the geometry CSVs (columns by header name). */
export function parsePmtGeometryCsv(text: string, entry: Pick<PmtGeometryEntry, 'name' | 'description' | 'axis'>): PmtGeometry {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  const n = lines.length - 1;
  const need = ['pmt_index', 'x_cm', 'y_cm', 'z_cm', 'dir_x', 'dir_y', 'dir_z'];
  for (const c of need) if (col(c) < 0) throw new Error(`PMT geometry ${entry.name}: CSV has no column ${c}`);
  const g: PmtGeometry = {
    name: entry.name,
    description: entry.description,
    nPmts: n,
    axis: entry.axis,
    tubeNo: new Int32Array(n),
    x: new Float32Array(n),
    y: new Float32Array(n),
    z: new Float32Array(n),
    dirX: new Float32Array(n),
    dirY: new Float32Array(n),
    dirZ: new Float32Array(n),
    region: new Uint8Array(n),
  };
  const iIdx = col('pmt_index');
  const iTube = col('tube_no');
  const iRegion = col('region');
  const iMpmt = col('mpmt_id');
  const iRow = col('mpmt_image_row');
  const iCol = col('mpmt_image_col');
  if (iMpmt >= 0) g.mpmtId = new Int32Array(n);
  if (iRow >= 0 && iCol >= 0) {
    g.mpmtImageRow = new Int16Array(n);
    g.mpmtImageCol = new Int16Array(n);
  }
  const [ix, iy, iz, idx, idy, idz] = ['x_cm', 'y_cm', 'z_cm', 'dir_x', 'dir_y', 'dir_z'].map(col);
  for (let r = 0; r < n; r++) {
    const f = lines[r + 1].split(',');
    const i = Number(f[iIdx]);
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`PMT geometry ${entry.name}: bad pmt_index on line ${r + 2}`);
    g.tubeNo[i] = iTube >= 0 ? Number(f[iTube]) : i + 1;
    g.x[i] = Number(f[ix]);
    g.y[i] = Number(f[iy]);
    g.z[i] = Number(f[iz]);
    g.dirX[i] = Number(f[idx]);
    g.dirY[i] = Number(f[idy]);
    g.dirZ[i] = Number(f[idz]);
    g.region[i] = iRegion >= 0 ? (REGION_CODE[f[iRegion]] ?? 255) : 255;
    if (g.mpmtId) g.mpmtId[i] = Number(f[iMpmt]);
    if (g.mpmtImageRow && g.mpmtImageCol) {
      g.mpmtImageRow[i] = Number(f[iRow]);
      g.mpmtImageCol[i] = Number(f[iCol]);
    }
  }
  return g;
}

const loaded = new Map<string, PmtGeometry>();

export function loadPmtGeometry(name: string): PmtGeometry {
  const hit = loaded.get(name);
  if (hit) return hit;
  const entry = listPmtGeometries().find((e) => e.name === name);
  if (!entry)
    throw new Error(
      `unknown PMT geometry "${name}" (known: ${listPmtGeometries()
        .map((e) => e.name)
        .join(', ')})`,
    );
  const g = parsePmtGeometryCsv(readFileSync(join(watchmalDir(), entry.file), 'utf8'), entry);
  loaded.set(name, g);
  return g;
}

/**
 * Picks the geometry for a hit file: among the tables with more PMTs than
 * `maxHitPmt`, one whose hints appear in `nameHints` (root file names,
 * attributes), else the smallest one. Null when no table is big enough.
 */
export function choosePmtGeometry(maxHitPmt: number, nameHints: string[]): GeometryChoice | null {
  const fits = listPmtGeometries()
    .filter((e) => e.nPmts > maxHitPmt)
    .sort((a, b) => a.nPmts - b.nPmts);
  if (!fits.length) return null;
  const text = nameHints.join(' ').toLowerCase();
  const hinted = fits.find((e) => e.hints.some((h) => text.includes(h)));
  if (hinted) return { name: hinted.name, nPmts: hinted.nPmts, reason: `largest hit_pmt ${maxHitPmt} < ${hinted.nPmts} PMTs and the file names mention it` };
  const e = fits[0];
  return { name: e.name, nPmts: e.nPmts, reason: `smallest known geometry with more PMTs than the largest hit_pmt (${maxHitPmt})` };
}
