/**
 * `lightpool process FILE.simtel.zst --threads N`: the reader thread, the
 * calibration workers and the ordered writing give the same file as one
 * thread — every dataset byte for byte — for every sim_telarray fixture and
 * for a file of many events (the LSTCam fixture's events repeated) cut into
 * many small batches, with 2 threads (the reader thread calibrates), 3 and
 * 4 (one and two calibration workers); Ctrl-C in the middle of the
 * pipeline and a truncated input leave nothing behind. (That the output
 * equals ctapipe-process's is process-simtel.test.ts, which runs the CLI
 * with its default threads.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decompress as zstdDecompress } from 'fzstd';
import { python } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { runProcessSimtel } from '../../../../src-main/process/process-simtel.js';
import { defaultProcessSettings } from '../../../../src-main/process/process-config.js';
import { ProcessCancelled } from '../../../../src-main/process/run-process.js';
import { EventIOFile } from '../../../../src-worker/io/eventio/eventio-file.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../fixtures/simtel/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lp-process-simtel-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = () => defaultProcessSettings({ focalLengthChoice: 'EQUIVALENT' });

/** monitoring objects: sim_telarray writes them once per telescope, before its first event */
const MONITORING = new Set([2022, 2023, 2033]);

/** The fixture's events repeated `copies` times (run-level objects and monitoring once), uncompressed. */
function repeatedEvents(fixture: string, copies: number): string {
  const raw = zstdDecompress(readFileSync(join(FIXTURES, fixture)));
  const probe = join(dir, 'probe.simtel');
  writeFileSync(probe, raw);
  const idx = EventIOFile.open(probe);
  idx.scan(null);
  const objs = Array.from({ length: idx.objectCount }, (_, i) => idx.object(i));
  idx.close();
  const range = (o: (typeof objs)[number]) => raw.subarray(o.offset, o.contentOffset + o.contentSize);
  const first = objs.indexOf(objs.find((o) => o.type === 2020) ?? objs.find((o) => o.type === 2010)!);
  let last = objs.length - 1;
  while (objs[last].type !== 2010) last--;
  const head = [...objs.slice(0, first), ...objs.slice(first, last + 1).filter((o) => MONITORING.has(o.type))].map(range);
  const block = objs
    .slice(first, last + 1)
    .filter((o) => !MONITORING.has(o.type))
    .map(range);
  const parts = [...head, ...Array.from({ length: copies }, () => block).flat(), ...objs.slice(last + 1).map(range)];
  const path = join(dir, `repeated-x${copies}.simtel`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Every dataset of A equals B's byte for byte (and the same datasets exist); prints what differs. */
const SAME_DATASETS = `
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def names(f):
    out = []
    f.visititems(lambda n, o: out.append(n) if isinstance(o, h5py.Dataset) else None)
    return sorted(out)
na, nb = names(a), names(b)
diff = [] if na == nb else ["datasets: %s vs %s" % (sorted(set(na) - set(nb)), sorted(set(nb) - set(na)))]
for n in na:
    if n in nb and a[n][()].tobytes() != b[n][()].tobytes():
        diff.append(n)
print(len(na))
print("\\n".join(diff))
`;

async function sameDatasets(x: string, y: string): Promise<{ n: number; diff: string[] }> {
  const { stdout } = await run(python('h5py', 'numpy').path, ['-c', SAME_DATASETS, x, y], { maxBuffer: 16 << 20, timeout: 300_000 });
  const [n, ...diff] = stdout.trim().split('\n');
  return { n: Number(n), diff: diff.filter(Boolean) };
}

describeWith([python('h5py', 'numpy')], 'process of a sim_telarray file on several threads writes what one thread writes', () => {
  const FILES = [
    'lst_muons_with_true_photons.simtel.zst',
    'gamma_with_obslevel_particles.simtel.zst',
    'aux_traces_2029.simtel.zst',
    '40k_pixels.simtel.zst',
    'n_hv_disabled.simtel.gz',
    'calib_events.simtel.gz',
  ];
  for (const name of FILES) {
    itWith(
      [python('h5py', 'numpy')],
      `${name}: --threads 2 (the reader calibrates) and 3 (a calibration worker), a batch per event, equal --threads 1, with waveforms`,
      async () => {
        const input = join(FIXTURES, name);
        const one = join(dir, `${name}-1.h5`);
        const s1 = await runProcessSimtel({ input, output: one, settings: settings(), threads: 1, writeWaveforms: true });
        expect(s1.threads).toBe(1);
        for (const threads of [2, 3]) {
          const many = join(dir, `${name}-${threads}.h5`);
          const s = await runProcessSimtel({ input, output: many, settings: settings(), threads, batchEvents: 1, writeWaveforms: true });
          expect(s.threads).toBe(threads);
          expect([s.nEvents, s.nImages, s.nParameterised]).toEqual([s1.nEvents, s1.nImages, s1.nParameterised]);
          expect(s.notes).toEqual(s1.notes);
          const c = await sameDatasets(one, many);
          expect(c.n).toBeGreaterThan(10);
          expect(c.diff).toEqual([]);
        }
      },
      600_000,
    );
  }

  itWith(
    [python('h5py', 'numpy')],
    'many events (the LSTCam events × 20) in batches of 4 over 2 calibration workers (4 threads): the same file, in file order',
    async () => {
      const input = repeatedEvents('lst_muons_with_true_photons.simtel.zst', 20);
      const one = join(dir, 'rep-1.h5');
      const two = join(dir, 'rep-3.h5');
      const s1 = await runProcessSimtel({ input, output: one, settings: settings(), threads: 1 });
      const s3 = await runProcessSimtel({ input, output: two, settings: settings(), threads: 4, batchEvents: 4 });
      expect(s1.nEvents).toBe(60);
      expect([s3.nEvents, s3.nImages, s3.nParameterised]).toEqual([s1.nEvents, s1.nImages, s1.nParameterised]);
      const c = await sameDatasets(one, two);
      expect(c.diff).toEqual([]);
    },
    600_000,
  );
});

describe('process of a sim_telarray file on several threads leaves nothing behind when it stops', () => {
  const leftovers = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.tmp') || n.startsWith('out'));

  it('Ctrl-C once the first batch is written: ProcessCancelled, no output, no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'cancel-'));
    const abort = new AbortController();
    let seen = 0;
    await expect(
      runProcessSimtel({
        input: join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst'),
        output: join(folder, 'out.h5'),
        settings: settings(),
        threads: 2,
        batchEvents: 1,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === 'images' && p.done > 0 && p.total === 0) {
            seen = p.done;
            abort.abort();
          }
        },
      }),
    ).rejects.toBeInstanceOf(ProcessCancelled);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(3);
    expect(leftovers(folder)).toEqual([]);
  }, 120_000);

  it("a truncated file: the reader thread's error naming it, no output, no temporary file", async () => {
    const folder = mkdtempSync(join(dir, 'trunc-'));
    const raw = zstdDecompress(readFileSync(join(FIXTURES, 'lst_muons_with_true_photons.simtel.zst')));
    const cut = join(folder, 'cut.simtel');
    writeFileSync(cut, raw.subarray(0, Math.floor(raw.length * 0.8)));
    await expect(runProcessSimtel({ input: cut, output: join(folder, 'out.h5'), settings: settings(), threads: 2, batchEvents: 1 })).rejects.toThrow(
      /cut\.simtel.*truncated after event/,
    );
    expect(leftovers(folder)).toEqual([]);
  }, 120_000);
});
