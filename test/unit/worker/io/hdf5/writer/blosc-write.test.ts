/**
 * The writer's Blosc/zstd + fletcher32 chunks (ctapipe's default filters):
 * an image table of the sample (compound rows with array columns) and a
 * float64 table, written with them, read back bit for bit by our reader
 * (the chunk fast path and HDF5 through h5wasm-plugins) and by h5py with
 * the system's HDF5 Blosc plugin, which also reports the filter pipeline
 * PyTables writes (fletcher32, then blosc with zstd).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H5File } from '../../../../../../src-worker/io/hdf5/h5-file.js';
import { ChunkCache, TableReader } from '../../../../../../src-worker/io/hdf5/table-reader.js';
import { readRawHyperslab } from '../../../../../../src-worker/io/hdf5/raw-read.js';
import { H5Writer } from '../../../../../../src-worker/io/hdf5/writer/h5-writer.js';
import { bloscCompress } from '../../../../../../src-worker/io/hdf5/writer/blosc-encode.js';
import { bloscDecompress } from '../../../../../../src-worker/io/hdf5/read/blosc.js';
import type { TypeDesc } from '../../../../../../src-worker/io/hdf5/writer/datatype-encode.js';
import { python } from '../../../../../helpers/reference-tools.js';
import { itWith } from '../../../../../helpers/vitest-tools.js';

const SAMPLE = fileURLToPath(new URL('../../../../../fixtures/samples/dl1_sample_120.blosc.h5', import.meta.url));
const IMAGES = '/dl1/event/telescope/images/tel_001';

describe('Blosc/zstd chunks', () => {
  it('round-trip through our decoder: compressible, incompressible, shuffled, partial blocks, empty', () => {
    const rnd = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
    const smooth = new Uint8Array(new Float32Array(200_001).map((_, i) => Math.sin(i / 100)).buffer);
    for (const [data, typesize, shuffle] of [
      [rnd, 1, true],
      [smooth, 4, true],
      [smooth, 4, false],
      [smooth.subarray(0, 1001), 4, true],
      [new Uint8Array(0), 8, true],
    ] as const) {
      const c = bloscCompress(data, { typesize, level: 5, shuffle });
      expect(bloscDecompress(c, data.byteLength)).toEqual(data);
    }
  });

  const py = python('h5py', 'numpy');
  itWith(
    [py],
    'a table written with Blosc/zstd 5 + fletcher32 reads back bit for bit in our reader and in h5py',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lp-blosc-'));
      try {
        const out = join(dir, 'out.h5');
        const f = await H5File.open(SAMPLE);
        try {
          const t = new TableReader(f, IMAGES, new ChunkCache());
          const rows = t.rawRows(0, t.nRows).slice();
          const meta = f.metadata(IMAGES);
          const w = H5Writer.create(out);
          w.group('/t', []);
          const dw = w.dataset('/t/images', meta as unknown as TypeDesc, [], {
            chunkRows: 7,
            deflateLevel: null,
            shuffle: true,
            blosc: { level: 5 },
            fletcher32: true,
          });
          dw.appendRows(rows, t.nRows);
          dw.finish([]);
          const values = new Float64Array(10_000).map((_, i) => ((i * 7919) % 10_007) * 0.25 - 1000);
          const dv = w.dataset('/t/values', { type: 1, size: 8 }, [], {
            chunkRows: 4096,
            deflateLevel: null,
            shuffle: true,
            blosc: { level: 5 },
            fletcher32: true,
          });
          dv.appendRows(new Uint8Array(values.buffer), values.length);
          dv.finish([]);
          w.close();
          const back = await H5File.open(out);
          try {
            const tb = new TableReader(back, '/t/images', new ChunkCache());
            expect(tb.nRows).toBe(t.nRows);
            expect(Buffer.from(tb.rawRows(0, tb.nRows)).equals(Buffer.from(rows))).toBe(true);
            expect(Buffer.from(readRawHyperslab(back, '/t/images', [0], [t.nRows], meta.size)).equals(Buffer.from(rows))).toBe(true);
            expect(Buffer.from(readRawHyperslab(back, '/t/values', [0], [values.length], 8)).equals(Buffer.from(values.buffer))).toBe(true);
          } finally {
            back.close();
          }
        } finally {
          f.close();
        }
        const script = `
import sys, json, h5py, numpy as np
a = h5py.File(sys.argv[1], "r"); b = h5py.File(sys.argv[2], "r")
d = b["/t/images"]; pl = d.id.get_create_plist()
filters = [pl.get_filter(i)[0] for i in range(pl.get_nfilters())]
same = bool((a["${IMAGES}"][...] == d[...]).all())
v = b["/t/values"][...]
ok = bool(np.array_equal(v, ((np.arange(10000) * 7919) % 10007) * 0.25 - 1000))
print(json.dumps({"filters": filters, "same": same, "values": ok}))
`;
        const r = JSON.parse(execFileSync(py.path, ['-c', script, SAMPLE, out], { encoding: 'utf8' })) as { filters: number[]; same: boolean; values: boolean };
        expect(r).toEqual({ filters: [3, 32001], same: true, values: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
