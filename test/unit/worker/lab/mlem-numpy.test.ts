/**
 * List-mode MLEM on the Compton camera's system matrix
 * (test/fixtures/lab/compton_sysmat.h5, 100 cones × 181·361 pixels, float32)
 * against numpy/scipy run in the same test: the backprojection and the image
 * after 10 iterations, within 1e-6 of numpy's maximum, for the dense matrix
 * and for the same matrix as CSR (scipy.sparse, written to a temporary HDF5
 * group data/indices/indptr), with the WebAssembly SIMD kernels and the
 * plain-JS loops; the maximum at the source (polar 90°, azimuth 0°). The
 * numpy is the seed's, in float64 (`sysmat.astype(np.float64)`): the
 * literal float32 version differs from it by ~1e-7 of the maximum (the
 * float32 column sums of the backprojection), also checked.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { H5File } from '../../../../src-worker/io/hdf5/h5-file.js';
import { readSystemMatrix } from '../../../../src-worker/lab/compton/system-matrix-input.js';
import { MlemReconstruction } from '../../../../src-worker/lab/compton/mlem.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { runPython } from './lab-python.js';

const SYSMAT = fileURLToPath(new URL('../../../fixtures/lab/compton_sysmat.h5', import.meta.url));
const PY = python('numpy', 'scipy', 'h5py');

const NUMPY = String.raw`
import sys, json, numpy as np, h5py, scipy.sparse as sp
path, csr_out = sys.argv[1], sys.argv[2]
with h5py.File(path, 'r') as f:
    sysmat32 = f['/sysmat'][:]
sysmat = sysmat32.astype(np.float64)
s = np.ones(sysmat.shape[1])
img = sysmat.sum(axis=0)
bp = img.copy()
for _ in range(10):
    img = img / s * (sysmat.T @ (1 / (sysmat @ img)))
# the seed's lines on the float32 matrix as stored
img32 = sysmat32.sum(axis=0)
for _ in range(10):
    img32 = img32 / s * (sysmat32.T @ (1 / (sysmat32 @ img32)))
# scipy.sparse on the same matrix, and the CSR arrays for Lightpool
A = sp.csr_matrix(sysmat32)
imgs = np.asarray(A.astype(np.float64).sum(axis=0)).ravel()
for _ in range(10):
    imgs = imgs / s * (A.T @ (1 / (A @ imgs)))
with h5py.File(csr_out, 'w') as f:
    g = f.create_group('sysmat_csr')
    g['data'] = A.data; g['indices'] = A.indices; g['indptr'] = A.indptr
    g.attrs['shape'] = np.array(A.shape)
    g.attrs['image_shape'] = np.array([181, 361])
print(json.dumps({'bp': bp.tolist(), 'img': img.tolist(), 'img32': img32.tolist(), 'imgs': imgs.tolist()}))
`;

interface Ref {
  bp: number[];
  img: number[];
  img32: number[];
  imgs: number[];
}

function maxRelToMax(a: ArrayLike<number>, b: number[]): number {
  let max = 0;
  for (const v of b) max = Math.max(max, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / max;
}

function argmax(a: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[k]) k = i;
  return k;
}

describeWith([PY], 'lab Compton imaging: MLEM equals numpy/scipy', () => {
  let ref: Ref;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lightpool-mlem-'));
    ref = runPython<Ref>(PY, NUMPY, [SYSMAT, join(dir, 'csr.h5')]);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (r: MlemReconstruction) => {
    expect(r.nPixels).toBe(181 * 361);
    expect(maxRelToMax(r.backprojection, ref.bp)).toBeLessThan(1e-6);
    for (let i = 0; i < 10; i++) r.iterate();
    const img = r.image();
    const d = maxRelToMax(img, ref.img);
    expect(d).toBeLessThan(1e-6);
    expect(maxRelToMax(img, ref.imgs)).toBeLessThan(1e-6);
    expect(maxRelToMax(img, ref.img32)).toBeLessThan(1e-6);
    const k = argmax(img);
    // row = polar 0..180°, column = azimuth −180..180°
    expect([Math.floor(k / 361), (k % 361) - 180]).toEqual([90, 0]);
    expect(argmax(ref.img)).toBe(k);
    return d;
  };

  itWith(
    [PY],
    'dense float32 /sysmat, SIMD kernels and plain JS',
    async () => {
      const f = await H5File.open(SYSMAT);
      try {
        const src = readSystemMatrix(f);
        expect(src.format).toBe('dense');
        expect(src.imageShape).toEqual([181, 361]);
        expect(src.shapeFrom).toBe('attribute');
        const simd = new MlemReconstruction(src.matrix);
        expect(simd.engine).toBe('wasm-simd');
        check(simd);
        const js = new MlemReconstruction(src.matrix, undefined, 'js');
        expect(js.engine).toBe('js');
        check(js);
        // the two engines agree to rounding
        expect(maxRelToMax(simd.image(), Array.from(js.image()))).toBeLessThan(1e-12);
      } finally {
        f.close();
      }
    },
    300_000,
  );

  itWith(
    [PY],
    'CSR group (scipy.sparse data/indices/indptr)',
    async () => {
      const f = await H5File.open(join(dir, 'csr.h5'));
      try {
        const src = readSystemMatrix(f, { path: '/sysmat_csr' });
        expect(src.format).toBe('csr');
        expect(src.matrix.nnz).toBeGreaterThan(900_000);
        check(new MlemReconstruction(src.matrix));
      } finally {
        f.close();
      }
    },
    300_000,
  );

  itWith(
    [PY],
    'float64 values and a sensitivity vector: img / s as numpy',
    async () => {
      const f = await H5File.open(SYSMAT);
      try {
        const src = readSystemMatrix(f);
        const m32 = src.matrix;
        const m64 = { ...m32, valueType: 'f64' as const, group: 2 as const };
        // rebuild as float64 through the dense path
        const dense = new Float64Array(m32.nCones * m32.nPixels);
        let v = 0;
        for (let r = 0; r < m32.nRuns; r++) {
          const row = m32.runs[4 * r];
          let c = m32.runs[4 * r + 1] / 8;
          const n = m32.runs[4 * r + 2] * m32.group;
          for (let i = 0; i < n; i++, c++, v++) if (c < m32.nPixels) dense[row * m32.nPixels + c] += m32.values[v];
        }
        const { runMatrixFromDense } = await import('../../../../src-worker/lab/compton/run-matrix.js');
        const f64 = runMatrixFromDense(dense, m32.nCones, m32.nPixels);
        expect(f64.valueType).toBe(m64.valueType);
        const s = new Float64Array(m32.nPixels).fill(2);
        const a = new MlemReconstruction(f64, s);
        const b = new MlemReconstruction(m32);
        for (let i = 0; i < 10; i++) {
          a.iterate();
          b.iterate();
        }
        // MLEM is scale-free (B(c·x) = B(x)/c for the backprojected ratio B), so with s = 2
        // everywhere every iterate is half the s = 1 one
        const ia = a.image();
        const ib = b.image();
        expect(
          maxRelToMax(
            ia.map((x) => x * 2),
            Array.from(ib),
          ),
        ).toBeLessThan(1e-12);
      } finally {
        f.close();
      }
    },
    300_000,
  );
});
