/**
 * Runs simtel-oracle.py (pyeventio 1.16 + ctapipe 0.26, and PyTables for the
 * reference DL1 files) on sim_telarray files and returns its JSON, cached in
 * the temporary directory by the script's and the files' contents so the
 * test files of one run share one oracle run. Also: decoding of the arrays
 * it sends and a field-by-field comparison of our parsed objects with
 * pyeventio's dictionaries.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { halfToFloat } from '../../../../../src-worker/io/eventio/byte-reader.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SIMTEL_FIXTURES = join(HERE, '../../../../fixtures/simtel');
export const SIMTEL_FILES = [
  'lst_muons_with_true_photons.simtel.zst',
  'gamma_with_obslevel_particles.simtel.zst',
  'aux_traces_2029.simtel.zst',
  '40k_pixels.simtel.zst',
  'calib_events.simtel.gz',
  'calib_true_pe.simtel.zst',
  'n_hv_disabled.simtel.gz',
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export type OracleFile = any;

export function runSimtelOracle(python: string, files: string[]): Record<string, OracleFile> {
  const script = join(HERE, 'simtel-oracle.py');
  const h = createHash('sha256').update(readFileSync(script));
  for (const f of files) h.update(basename(f)).update(readFileSync(f));
  const cache = join(tmpdir(), 'lightpool-simtel-oracle', `${h.digest('hex').slice(0, 24)}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  const out = execFileSync(python, [script, ...files], { maxBuffer: 1 << 30, encoding: 'utf8', timeout: 600_000 });
  mkdirSync(dirname(cache), { recursive: true });
  const tmp = `${cache}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, cache);
  return JSON.parse(out);
}

export interface OracleArray {
  dtype: string;
  shape: number[];
  b64: string;
}

export function isOracleArray(v: unknown): v is OracleArray {
  return !!v && typeof v === 'object' && 'b64' in (v as object) && 'dtype' in (v as object);
}

/** The numbers of an oracle array (float16 widened, int64 as numbers). */
export function oracleArray(a: OracleArray): ArrayLike<number> {
  const b = Buffer.from(a.b64, 'base64');
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  switch (a.dtype) {
    case '<u1':
    case '|u1':
    case '|b1':
      return new Uint8Array(ab);
    case '|i1':
      return new Int8Array(ab);
    case '<u2':
      return new Uint16Array(ab);
    case '<i2':
      return new Int16Array(ab);
    case '<u4':
      return new Uint32Array(ab);
    case '<i4':
      return new Int32Array(ab);
    case '<f4':
      return new Float32Array(ab);
    case '<f8':
      return new Float64Array(ab);
    case '<f2':
      return Array.from(new Uint16Array(ab), halfToFloat);
    case '<i8':
      return Array.from(new BigInt64Array(ab), Number);
    case '<u8':
      return Array.from(new BigUint64Array(ab), Number);
    default:
      throw new Error(`oracle dtype ${a.dtype} not handled`);
  }
}

/** pyeventio's snake_case key as our camelCase field name (n_HV_disabled → nHvDisabled). */
export function camel(key: string): string {
  const parts = key.split('_').filter((p) => p.length > 0);
  return parts.map((p, i) => (i === 0 ? p.toLowerCase() : p[0].toUpperCase() + p.slice(1).toLowerCase())).join('');
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function asNumbers(v: unknown): ArrayLike<number> | null {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v;
  return null;
}

/**
 * Differences between our value and pyeventio's (after plain() in the
 * oracle): numbers exactly, arrays element by element, dicts key by key with
 * `camel` names (keys in `ignore` skipped). Returns readable mismatch lines.
 */
export function comparePyeventio(mine: unknown, theirs: unknown, path: string, ignore: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const cmp = (m: unknown, t: unknown, p: string): void => {
    if (out.length > 20) return;
    if (t === null || t === undefined) {
      if (m !== null && m !== undefined) out.push(`${p}: ours ${String(m)}, pyeventio none`);
      return;
    }
    if (typeof t === 'string' && ['nan', 'inf', '-inf'].includes(t)) t = t === 'nan' ? NaN : t === 'inf' ? Infinity : -Infinity;
    if (typeof t === 'number' || typeof t === 'boolean') {
      const tv = typeof t === 'boolean' ? Number(t) : t;
      const mv = typeof m === 'boolean' ? Number(m) : m;
      if (typeof mv !== 'number' || !sameNumber(mv, tv)) out.push(`${p}: ours ${String(m)}, pyeventio ${String(t)}`);
      return;
    }
    if (typeof t === 'string') {
      const ms = m instanceof Uint8Array ? new TextDecoder().decode(m) : m;
      if (ms !== t) out.push(`${p}: ours ${String(ms)}, pyeventio ${t}`);
      return;
    }
    const tn = isOracleArray(t) ? oracleArray(t) : asNumbers(t);
    if (tn) {
      const mn = asNumbers(m);
      if (!mn) {
        out.push(`${p}: ours is not an array (${typeof m}), pyeventio has ${tn.length} values`);
        return;
      }
      if (mn.length !== tn.length) {
        out.push(`${p}: ours has ${mn.length} values, pyeventio ${tn.length}`);
        return;
      }
      for (let i = 0; i < tn.length; i++) {
        if (!sameNumber(Number(mn[i]), Number(tn[i]))) {
          out.push(`${p}[${i}]: ours ${mn[i]}, pyeventio ${tn[i]}`);
          return;
        }
      }
      return;
    }
    if (Array.isArray(t)) {
      const ma = Array.isArray(m) ? m : m && typeof m === 'object' && Symbol.iterator in (m as object) ? [...(m as Iterable<unknown>)] : null;
      if (!ma || ma.length !== t.length) {
        out.push(`${p}: ours has ${ma ? ma.length : 'no'} entries, pyeventio ${t.length}`);
        return;
      }
      t.forEach((x, i) => cmp(ma[i], x, `${p}[${i}]`));
      return;
    }
    if (typeof t === 'object') {
      for (const [k, tv] of Object.entries(t as Record<string, unknown>)) {
        if (ignore.has(k)) continue;
        let mv: unknown;
        if (m instanceof Map) mv = m.has(Number(k)) ? m.get(Number(k)) : m.get(k);
        else if (m && typeof m === 'object') mv = (m as Record<string, unknown>)[camel(k)];
        if (mv === undefined && tv !== null) {
          out.push(`${p}.${k}: missing in ours (${camel(k)})`);
          continue;
        }
        cmp(mv, tv, `${p}.${k}`);
      }
      return;
    }
    out.push(`${p}: cannot compare ${typeof t}`);
  };
  cmp(mine, theirs, path);
  return out;
}
