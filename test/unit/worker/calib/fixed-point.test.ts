/**
 * ctapipe's fixed-point columns: a DL1 file that ctapipe-process writes in
 * this test with R1 waveforms, images and peak times stored as integers,
 * read with Lightpool's HDF5 reader and decoded by decodeFixedPoint, must
 * equal what ctapipe's read_table gives; so must the decoding of NaN, ±inf,
 * overflows and fractions in six storage types (ctapipe's
 * FixedPointColumnTransform, run in the same test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../src-worker/io/hdf5/table-reader.js';
import { readAttrInfos } from '../../../../src-worker/io/hdf5/h5-attrs.js';
import {
  decodeFixedPoint,
  fixedPointSpecialValues,
  fixedPointTransformFromAttributes,
  type FixedPointStored,
} from '../../../../src-worker/calib/fixed-point.js';

const SIMTEL = fileURLToPath(new URL('../../../fixtures/simtel/lst_muons_with_true_photons.simtel.zst', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixed-point-oracle.py', import.meta.url));

interface ArrayRef {
  file: string;
  dtype: string;
  shape: number[];
}
interface Manifest {
  file: string;
  tables: Record<string, Record<string, ArrayRef>>;
  synthetic: { scale: number; offset: number; source: 'float32' | 'float64'; target: string; stored: ArrayRef; decoded: ArrayRef }[];
}

const CTORS: Record<string, new (b: ArrayBuffer) => ArrayLike<number | bigint>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

function expectSameFloats(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, what).toBe(theirs.length);
  let differ = 0;
  let first = '';
  for (let i = 0; i < theirs.length; i++) {
    if (!Object.is(ours[i], theirs[i]) && !(Number.isNaN(ours[i]) && Number.isNaN(theirs[i]))) {
      if (!differ) first = ` (first: [${i}] ${ours[i]} vs ${theirs[i]})`;
      differ++;
    }
  }
  expect(differ, `${what}: ${differ} of ${theirs.length} differ${first}`).toBe(0);
}

describe('fixed-point columns: pieces', () => {
  it("reserved integers as ctapipe's FixedPointColumnTransform", () => {
    expect(fixedPointSpecialValues(false, 16)).toEqual({ negInf: 65533n, nan: 65534n, posInf: 65535n });
    expect(fixedPointSpecialValues(true, 16)).toEqual({ negInf: -32768n, nan: -32767n, posInf: 32767n });
    expect(fixedPointSpecialValues(true, 32)).toEqual({ negInf: -2147483648n, nan: -2147483647n, posInf: 2147483647n });
  });

  it('a UNIT, ENUM or TIME_SCALE attribute wins over the transform (as ctapipe reads); no or zero scale: none', () => {
    const attrs = { CTAFIELD_3_TRANSFORM_SCALE: 10, CTAFIELD_3_TRANSFORM_OFFSET: 2, CTAFIELD_3_TRANSFORM_DTYPE: 'float64' };
    expect(fixedPointTransformFromAttributes(attrs, 3)).toEqual({ scale: 10, offset: 2, sourceDtype: 'float64' });
    expect(fixedPointTransformFromAttributes({ ...attrs, CTAFIELD_3_UNIT: 'ns' }, 3)).toBeNull();
    expect(fixedPointTransformFromAttributes({ ...attrs, CTAFIELD_3_ENUM: 'x' }, 3)).toBeNull();
    expect(fixedPointTransformFromAttributes(attrs, 4)).toBeNull();
    expect(fixedPointTransformFromAttributes({ CTAFIELD_3_TRANSFORM_SCALE: 0 }, 3)).toBeNull();
    expect(fixedPointTransformFromAttributes({ CTAFIELD_3_TRANSFORM_SCALE: 100 }, 3)).toEqual({ scale: 100, offset: 0, sourceDtype: 'float32' });
    expect(() => fixedPointTransformFromAttributes({ CTAFIELD_3_TRANSFORM_SCALE: 100, CTAFIELD_3_TRANSFORM_DTYPE: 'int16' }, 3)).toThrow(
      /unsupported source dtype/,
    );
    expect(() => decodeFixedPoint(new Int16Array(1), { scale: 0, offset: 0, sourceDtype: 'float32' })).toThrow(/scale/);
  });
});

describeWith([ctapipe()], 'fixed-point columns against ctapipe 0.26', () => {
  let dir = '';
  let manifest: Manifest;
  const load = (ref: ArrayRef) => {
    const buf = readFileSync(join(dir, ref.file));
    return new CTORS[ref.dtype](buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lp-fixed-point-'));
    execFileSync(ctapipe().path, [SCRIPT, dir, SIMTEL], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("R1 waveforms, images and peak times that ctapipe-process stored as integers decode to what ctapipe's read_table gives", async () => {
    const file = await H5File.open(join(dir, manifest.file));
    try {
      let columns = 0;
      for (const [path, cols] of Object.entries(manifest.tables)) {
        const table = new TableReader(file, path, new ChunkCache());
        const attrs = Object.fromEntries(readAttrInfos(file, path).map((a) => [a.name, a.value]));
        for (const [name, ref] of Object.entries(cols)) {
          const pos = Object.keys(attrs)
            .map((k) => /^CTAFIELD_(\d+)_NAME$/.exec(k))
            .find((m) => m && attrs[m[0]] === name)?.[1];
          expect(pos, `${path}: CTAFIELD position of ${name}`).toBeDefined();
          const t = fixedPointTransformFromAttributes(attrs, Number(pos));
          expect(t, `${path} ${name}: a fixed-point column`).not.toBeNull();
          const stored = table.column(name) as FixedPointStored;
          expect(stored instanceof Float32Array || stored instanceof Float64Array, `${path} ${name} stored as integers`).toBe(false);
          const decoded = decodeFixedPoint(stored, t!);
          expect(decoded).toBeInstanceOf(Float32Array);
          expectSameFloats(decoded, load(ref) as Float32Array, `${path} ${name}`);
          columns++;
        }
      }
      expect(columns).toBe(3);
    } finally {
      file.close();
    }
  });

  it('NaN, ±inf, overflows and fractions in six storage types decode as ctapipe does', () => {
    expect(manifest.synthetic.length).toBe(6);
    for (const s of manifest.synthetic) {
      const stored = load(s.stored) as FixedPointStored;
      const decoded = decodeFixedPoint(stored, { scale: s.scale, offset: s.offset, sourceDtype: s.source });
      expect(decoded.constructor.name).toBe(s.source === 'float32' ? 'Float32Array' : 'Float64Array');
      const theirs = load(s.decoded) as Float32Array | Float64Array;
      expectSameFloats(decoded, theirs, `${s.target} scale ${s.scale} offset ${s.offset} (${s.source})`);
      // the special values are there
      expect(Array.from(theirs).some(Number.isNaN)).toBe(true);
      expect(Array.from(theirs)).toContain(Infinity);
      expect(Array.from(theirs)).toContain(-Infinity);
    }
  });
});
