/**
 * The three lab commands end to end through `node bin/lightpool.js` (the
 * built dist/, worker threads included), each output read back by h5py and
 * compared with the seed's numpy run in the same test:
 *   spectrum: /amplitude of every signal = the numpy shaper (1e-9 relative),
 *             the spectrum's counts = np.histogram of it, the printed peak;
 *   mlem:     /image after 10 iterations within 1e-6 of numpy's maximum,
 *             maximum at polar 90°, azimuth 0°; /backprojection;
 *   stack:    /images, /labels, /energies, /paths = Pillow + numpy.
 * And the failures: empty glob, wrong shapes and types, an unreadable image,
 * an existing OUT, Ctrl-C: a clear message, a non-zero exit, no OUT and no
 * temporary file left behind.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LIGHTPOOL_BIN } from '../../../helpers/daq-emulator.js';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { runPython } from '../../worker/lab/lab-python.js';

const run = promisify(execFile);
const LAB = fileURLToPath(new URL('../../../fixtures/lab/', import.meta.url));
const PY = python('numpy', 'h5py', 'PIL');

async function lightpool(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [LIGHTPOOL_BIN, ...args], { maxBuffer: 64 << 20, timeout: 300_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const SPECTRUM = String.raw`
import sys, json, numpy as np, h5py
src, out = sys.argv[1], sys.argv[2]
with h5py.File(src, 'r') as f:
    v = f['/signals'][:].astype(np.float64)
v = v - v[:, :500].mean(axis=1, keepdims=True)
k, m, M = 450, 60, 3600.0
l = k + m
d = v.copy(); d[:, k:] -= v[:, :-k]; d[:, l:] -= v[:, :-l]; d[:, k + l:] += v[:, :-(k + l)]
amp = (np.cumsum(np.cumsum(d, axis=1) + M * d, axis=1) / (M * k)).max(axis=1)
with h5py.File(out, 'r') as f:
    a = f['/amplitude'][:]
    edges = f['/spectrum/bin_edges'][:]
    counts = f['/spectrum/counts'][:]
    keys = sorted(f.keys()); attrs = {k: str(f.attrs[k]) for k in ('k', 'm', 'M', 'gain')}
    cent = f['/peaks/centroid_keV'][:].tolist() if '/peaks/centroid_keV' in f else None
print(json.dumps({'rel': float(np.max(np.abs(a - amp) / np.abs(amp))), 'n': len(a), 'dtype': str(a.dtype),
                  'hist_equal': bool(np.array_equal(np.histogram(a, bins=edges)[0], counts)), 'keys': keys, 'attrs': attrs, 'cent': cent}))
`;

const MLEM = String.raw`
import sys, json, numpy as np, h5py
src, out = sys.argv[1], sys.argv[2]
with h5py.File(src, 'r') as f:
    A = f['/sysmat'][:].astype(np.float64)
img = A.sum(axis=0); bp = img.copy(); s = np.ones(A.shape[1])
for _ in range(10):
    img = img / s * (A.T @ (1 / (A @ img)))
img = img.reshape(181, 361); bp = bp.reshape(181, 361)
with h5py.File(out, 'r') as f:
    ours, obp = f['/image'][:], f['/backprojection'][:]
print(json.dumps({'shape': list(ours.shape), 'dtype': str(ours.dtype), 'd': float(np.abs(ours - img).max() / img.max()),
                  'dbp': float(np.abs(obp - bp).max() / bp.max()), 'argmax': list(map(int, np.unravel_index(ours.argmax(), ours.shape)))}))
`;

const STACK = String.raw`
import sys, json, glob, re, os, numpy as np, h5py
from PIL import Image
pattern, out = sys.argv[1], sys.argv[2]
paths = sorted(os.path.abspath(p) for p in glob.glob(pattern))
x = np.stack([np.clip((np.array(Image.open(p)).astype(np.float32) - 60) / (130 - 60), 0, 1)[288 - 64:288 + 64, 288 - 64:288 + 64] for p in paths])
labels = np.array([1 if re.search(r'/([NE]R)/', p).group(1) == 'NR' else 0 for p in paths])
energies = np.array([float(re.search(r'/([0-9]+)_keV', p).group(1)) for p in paths])
with h5py.File(out, 'r') as f:
    im = f['/images']
    r = {'shape': list(im.shape), 'dtype': str(im.dtype), 'chunks': list(im.chunks or []), 'compression': im.compression,
         'images_equal': bool(np.array_equal(im[:], x)), 'labels_equal': bool(np.array_equal(f['/labels'][:], labels)),
         'energies_equal': bool(np.array_equal(f['/energies'][:], energies)),
         'paths_equal': [p.decode() if isinstance(p, bytes) else p for p in f['/paths'][:]] == paths}
print(json.dumps(r))
`;

describeWith([PY], 'lightpool spectrum, mlem and stack: outputs read back by h5py equal numpy', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lightpool-lab-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  itWith(
    [PY],
    'spectrum: /amplitude = numpy for every signal, the histogram, the calibrated photopeak printed',
    async () => {
      const out = join(dir, 'spectrum.h5');
      const r = await lightpool([
        'spectrum',
        `${LAB}digitized_preamp_signals.h5`,
        '--k',
        '450',
        '--m',
        '60',
        '--M',
        '3600',
        '--calibrate',
        '0=0,1315.82=661.657',
        '--out',
        out,
      ]);
      expect(r.stderr).toMatch(/shaping: 1000\/1000/);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/peak 1: 131\d\.\d+ ± \d\.\d+ ADC, FWHM .* \| 66\d\.\d+ ± \d\.\d+ keV/);
      const py = runPython<{ rel: number; n: number; dtype: string; hist_equal: boolean; keys: string[]; attrs: Record<string, string>; cent: number[] }>(
        PY,
        SPECTRUM,
        [`${LAB}digitized_preamp_signals.h5`, out],
      );
      expect(py.n).toBe(1000);
      expect(py.dtype).toBe('float64');
      expect(py.rel).toBeLessThan(1e-9);
      expect(py.hist_equal).toBe(true);
      expect(py.keys).toEqual(['amplitude', 'baseline', 'peaks', 'rise_time', 'spectrum']);
      expect(py.attrs).toEqual({ k: '450', m: '60', M: '3600', gain: 'M*k' });
      expect(Math.abs(py.cent[0] - 661.657)).toBeLessThan(0.5);
      expect(leftovers()).toEqual([]);
    },
    300_000,
  );

  itWith(
    [PY],
    'mlem: /image after 10 iterations within 1e-6 of numpy, maximum at the source',
    async () => {
      const out = join(dir, 'image.h5');
      const r = await lightpool(['mlem', `${LAB}compton_sysmat.h5`, '--iterations', '10', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/polar 90°, azimuth 0°/);
      const py = runPython<{ shape: number[]; dtype: string; d: number; dbp: number; argmax: number[] }>(PY, MLEM, [`${LAB}compton_sysmat.h5`, out]);
      expect(py.shape).toEqual([181, 361]);
      expect(py.dtype).toBe('float64');
      expect(py.d).toBeLessThan(1e-6);
      expect(py.dbp).toBeLessThan(1e-6);
      expect(py.argmax).toEqual([90, 180]);
    },
    300_000,
  );

  itWith(
    [PY],
    'stack: /images, /labels, /energies, /paths = Pillow + numpy',
    async () => {
      const out = join(dir, 'train.h5');
      const pattern = `${LAB}export/*/*/*/*.png`;
      const r = await lightpool(['stack', pattern, '--window', '60,130', '--crop', '64', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/24 images of 128 × 128/);
      const py = runPython<Record<string, unknown>>(PY, STACK, [pattern, out]);
      expect(py).toEqual({
        shape: [24, 128, 128],
        dtype: 'float32',
        chunks: [16, 128, 128],
        compression: 'gzip',
        images_equal: true,
        labels_equal: true,
        energies_equal: true,
        paths_equal: true,
      });
    },
    300_000,
  );

  itWith(
    [PY],
    'clear errors, nothing written',
    async () => {
      const out = join(dir, 'never.h5');
      const cases: [string[], RegExp][] = [
        [['stack', join(dir, 'none/*.png'), '--out', out], /no PNG or TIFF files match/],
        [
          ['spectrum', `${LAB}compton_sysmat.h5`, '--dataset', '/nothing', '--k', '4', '--m', '1', '--M', '10', '--out', out],
          /no dataset \/nothing .*holds \/sysmat/,
        ],
        [
          ['mlem', `${LAB}digitized_preamp_signals.h5`, '--dataset', '/signals', '--iterations', '1', '--out', out],
          /3000 pixel columns, but the default shape 181×361/,
        ],
        [['mlem', `${LAB}compton_sysmat.h5`, '--shape', '100x100', '--iterations', '1', '--out', out], /the given shape 100×100 makes 10000/],
        [['spectrum', `${LAB}digitized_preamp_signals.h5`, '--k', '4', '--m', '1', '--M', '10', '--gain', 'Mx', '--out', out], /--gain Mx/],
        [['spectrum', `${LAB}digitized_preamp_signals.h5`, '--k', '0', '--m', '1', '--M', '10', '--out', out], /--k 0/],
        [['mlem', `${LAB}compton_sysmat.h5`, '--iterations', '1', '--out', join(dir, 'no/such/dir.h5')], /does not exist/],
        [['stack', `${LAB}export/*/*/*/*.png`, '--crop', '300', '--out', out], /does not fit in the 576 × 576 image/],
      ];
      for (const [args, message] of cases) {
        const r = await lightpool(args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(existsSync(out)).toBe(false);
      }
      // wrong types and values, written by h5py
      const bad = join(dir, 'bad.h5');
      execFileSync(PY.path, [
        '-c',
        [
          'import sys, numpy as np, h5py',
          'with h5py.File(sys.argv[1], "w") as f:',
          '    f["text"] = np.array([b"a", b"b"])',
          '    f["flat"] = np.zeros(10, np.float32)',
          '    m = np.ones((3, 65341), np.float32); m[1, 7] = -1; f["negative"] = m',
          '    g = f.create_group("csr"); g["data"] = np.ones(2); g["indices"] = np.array([0, 70000]); g["indptr"] = np.array([0, 1, 2])',
        ].join('\n'),
        bad,
      ]);
      const typed: [string[], RegExp][] = [
        [
          ['spectrum', bad, '--dataset', '/text', '--k', '4', '--m', '1', '--M', '10', '--out', out],
          /\/text has type \|S1; signals .* must be integers or float32\/float64/,
        ],
        [
          ['spectrum', bad, '--dataset', '/flat', '--k', '4', '--m', '1', '--M', '10', '--out', out],
          /\/flat has shape \(10\); signals .* must have 2 dimensions/,
        ],
        [['mlem', bad, '--dataset', '/negative', '--iterations', '1', '--out', out], /entry \(1, 7\) is -1: MLEM needs finite, non-negative/],
        [['mlem', bad, '--dataset', '/csr', '--iterations', '1', '--out', out], /column index 70000 in row 1 is outside the 65341 pixels/],
      ];
      for (const [args, message] of typed) {
        const r = await lightpool(args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(existsSync(out)).toBe(false);
      }
      // an existing OUT is kept
      writeFileSync(join(dir, 'exists.h5'), '');
      const e = await lightpool(['mlem', `${LAB}compton_sysmat.h5`, '--iterations', '1', '--out', join(dir, 'exists.h5')]);
      expect(e.stderr).toMatch(/exists already/);
      // an unreadable image among good ones
      const imgs = join(dir, 'imgs/NR/3_keV/run1');
      mkdirSync(imgs, { recursive: true });
      copyFileSync(`${LAB}export/NR/3_keV/run003/frame_0023.png`, join(imgs, 'a.png'));
      writeFileSync(join(imgs, 'b.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
      const u = await lightpool(['stack', join(dir, 'imgs/*/*/*/*.png'), '--crop', '64', '--out', out]);
      expect(u.code).not.toBe(0);
      expect(u.stderr).toMatch(/b\.png: unreadable PNG/);
      expect(existsSync(out)).toBe(false);
      expect(leftovers()).toEqual([]);
    },
    300_000,
  );

  itWith(
    [PY],
    'Ctrl-C during mlem leaves neither OUT nor a temporary file',
    async () => {
      const out = join(dir, 'interrupted.h5');
      const child = spawn(process.execPath, [LIGHTPOOL_BIN, 'mlem', `${LAB}compton_sysmat.h5`, '--iterations', '100000000', '--out', out], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const started = new Promise<void>((resolve) => {
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (/iterations: [1-9]\d*\//.test(stderr)) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let code: number | null;
      try {
        await started;
        child.kill('SIGINT');
        code = await exited;
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/interrupted/);
      expect(stderr).toMatch(/cancelled: no output written/);
      expect(existsSync(out)).toBe(false);
      expect(leftovers()).toEqual([]);
    },
    300_000,
  );
});
