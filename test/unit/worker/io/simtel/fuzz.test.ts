/**
 * Fuzzing the sim_telarray reader: 1,200 mutated variants of the sample
 * files (uncompressed, zstd and gzip; bytes flipped anywhere or in object
 * headers, 32-bit header words replaced, ranges overwritten, inserted or
 * deleted, files cut), each opened and every event read, then read in
 * order through the DL1 chain (R0 → R1 → DL1 → cleaning → parameters, as
 * `lightpool process` runs it). Every variant must
 * end in events or in an EventIOError naming the file: never another
 * exception, a hang (the test's timeout) or unbounded memory (the resident
 * size is watched). Seeded, so a failure is reproducible by its variant
 * number.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { isEventIOError } from '../../../../../src-worker/io/eventio/eventio-errors.js';
import { EventIOFile } from '../../../../../src-worker/io/eventio/eventio-file.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/simtel-file.js';
import { SIMTEL_DL1_EVENT_PARTS, SimtelDL1Processor } from '../../../../../src-worker/io/simtel/simtel-dl1.js';
import { rng } from '../eventio/prng.js';
import { SIMTEL_FIXTURES } from './simtel-oracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'lightpool-simtel-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const gammaZst = readFileSync(join(SIMTEL_FIXTURES, 'gamma_with_obslevel_particles.simtel.zst'));
const gammaRaw = zstdDecompress(gammaZst);
const lstRaw = zstdDecompress(readFileSync(join(SIMTEL_FIXTURES, 'lst_muons_with_true_photons.simtel.zst')));
const gammaGz = gzipSync(gammaRaw);

/** decompressed offsets of the top-level headers (sync marker included) */
function headerOffsets(bytes: Uint8Array, name: string): number[] {
  const p = join(tmp, `index-${name}`);
  writeFileSync(p, bytes);
  const f = EventIOFile.open(p);
  f.scan(null);
  const out = Array.from({ length: f.objectCount }, (_, i) => f.object(i).offset);
  f.close();
  return out;
}

type Mutation = (b: Uint8Array, r: () => number, headers: number[]) => Uint8Array;
const int = (r: () => number, n: number): number => Math.floor(r() * n);

const MUTATIONS: [string, Mutation][] = [
  [
    'flip bytes',
    (b, r) => {
      const c = new Uint8Array(b);
      for (let k = 1 + int(r, 4); k > 0; k--) c[int(r, c.length)] ^= 1 + int(r, 255);
      return c;
    },
  ],
  [
    'flip a header byte',
    (b, r, h) => {
      const c = new Uint8Array(b);
      const at = h[int(r, h.length)] + int(r, 20);
      if (at < c.length) c[at] ^= 1 + int(r, 255);
      return c;
    },
  ],
  [
    'replace a header word',
    (b, r, h) => {
      const c = new Uint8Array(b);
      const at = h[int(r, h.length)] + 4 * int(r, 4);
      if (at + 4 <= c.length) new DataView(c.buffer).setUint32(at, Math.floor(r() * 2 ** 32), true);
      return c;
    },
  ],
  [
    'replace a word inside an object',
    (b, r, h) => {
      const c = new Uint8Array(b);
      const i = int(r, h.length);
      const start = h[i] + 16;
      const end = i + 1 < h.length ? h[i + 1] : c.length;
      if (end - start >= 4) {
        const at = start + int(r, end - start - 3);
        const v = [0, 0xffffffff, 0x7fffffff, 0x80000000, Math.floor(r() * 2 ** 32), c[at] + 1][int(r, 6)];
        new DataView(c.buffer).setUint32(at, v >>> 0, true);
      }
      return c;
    },
  ],
  [
    'overwrite a range',
    (b, r) => {
      const c = new Uint8Array(b);
      const at = int(r, c.length);
      const fill = [0x00, 0xff, -1][int(r, 3)];
      for (let k = at; k < Math.min(c.length, at + 1 + int(r, 64)); k++) c[k] = fill < 0 ? int(r, 256) : fill;
      return c;
    },
  ],
  [
    'delete a range',
    (b, r) => {
      const at = int(r, b.length);
      const n = 1 + int(r, 40);
      const c = new Uint8Array(b.length - Math.min(n, b.length - at));
      c.set(b.subarray(0, at));
      c.set(b.subarray(at + n), at);
      return c;
    },
  ],
  [
    'insert bytes',
    (b, r) => {
      const at = int(r, b.length);
      const n = 1 + int(r, 40);
      const c = new Uint8Array(b.length + n);
      c.set(b.subarray(0, at));
      for (let k = 0; k < n; k++) c[at + k] = int(r, 256);
      c.set(b.subarray(at), at + n);
      return c;
    },
  ],
  ['cut', (b, r) => b.subarray(0, int(r, b.length))],
];

interface Outcome {
  opened: number;
  /** opened, but the events stop before the end with a problem (truncated/corrupt after event N) */
  stopped: number;
  openErrors: Map<string, number>;
  events: number;
  eventErrors: number;
  /** events through the DL1 chain, and variants whose chain stopped at an event it cannot calibrate */
  calibrated: number;
  chainErrors: number;
}

function runVariant(path: string, outcome: Outcome): void {
  let f;
  try {
    f = openSimtelFile(path);
  } catch (e) {
    if (!isEventIOError(e) || !e.message.includes(path)) throw new Error(`variant ${path}: not a clear error: ${(e as Error)?.stack ?? String(e)}`);
    outcome.openErrors.set(e.kind, (outcome.openErrors.get(e.kind) ?? 0) + 1);
    return;
  }
  try {
    outcome.opened++;
    const info = f.info();
    if (info.problem) {
      if (!isEventIOError(info.problem) || !info.problem.message.startsWith(path)) throw new Error(`variant ${path}: unclear problem ${info.problem.message}`);
      outcome.stopped++;
    }
    for (let i = 0; i < f.nEvents; i++) {
      try {
        f.event(i);
        outcome.events++;
      } catch (e) {
        if (!isEventIOError(e) || !e.message.includes(path))
          throw new Error(`variant ${path}, event ${i}: not a clear error: ${(e as Error)?.stack ?? String(e)}`);
        outcome.eventErrors++;
      }
    }
  } finally {
    f.close();
  }
  // the same file read in order and calibrated: what the chain cannot calibrate is an EventIOError naming the file too
  let g;
  try {
    g = openSimtelFile(path, { index: 'lazy', sequential: true, focalLengthChoice: 'EQUIVALENT' });
    const proc = new SimtelDL1Processor(g.subarray, { source: path });
    for (const ev of g.iterEvents(SIMTEL_DL1_EVENT_PARTS)) {
      proc.process(ev);
      outcome.calibrated++;
    }
  } catch (e) {
    if (!isEventIOError(e) || !e.message.includes(path)) throw new Error(`variant ${path}, DL1 chain: not a clear error: ${(e as Error)?.stack ?? String(e)}`);
    outcome.chainErrors++;
  } finally {
    g?.close();
  }
}

describe('fuzzing the sim_telarray reader with mutated sample files', () => {
  const bases: [string, Uint8Array, number[] | null, number][] = [
    ['gamma.simtel', gammaRaw, headerOffsets(gammaRaw, 'gamma'), 500],
    ['lst.simtel', lstRaw, headerOffsets(lstRaw, 'lst'), 200],
    ['gamma.simtel.zst', gammaZst, null, 250],
    ['gamma.simtel.gz', gammaGz, null, 250],
  ];
  let seed = 1;
  for (const [name, base, headers, n] of bases) {
    it(`${n} variants of ${name} end in events or a clear error naming the file`, () => {
      const r = rng(seed++ * 7919);
      const outcome: Outcome = { opened: 0, stopped: 0, openErrors: new Map(), events: 0, eventErrors: 0, calibrated: 0, chainErrors: 0 };
      const rss0 = process.memoryUsage().rss;
      let rssMax = rss0;
      for (let v = 0; v < n; v++) {
        // compressed files: no header offsets (their bytes are compressed), so mutate anywhere
        const [label, mutate] = MUTATIONS[headers ? int(r, MUTATIONS.length) : [0, 4, 5, 6, 7][int(r, 5)]];
        const bytes = mutate(base, r, headers ?? [0]);
        const path = join(tmp, `v${v}-${label.replace(/ /g, '-')}-${name}`);
        writeFileSync(path, bytes);
        runVariant(path, outcome);
        rmSync(path);
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }
      const summary = `${name}: ${outcome.opened} opened (${outcome.stopped} of them stop early with a problem; ${outcome.events} events read, ${outcome.eventErrors} events refused; DL1 chain: ${outcome.calibrated} events calibrated, ${outcome.chainErrors} variants stopped with an error), open errors ${JSON.stringify(Object.fromEntries(outcome.openErrors))}, resident ${(rss0 / 2 ** 20).toFixed(0)} → max ${(rssMax / 2 ** 20).toFixed(0)} MiB`;
      process.stdout.write(summary + '\n');
      // the fuzz must exercise both outcomes, and memory stays bounded
      expect(outcome.opened, summary).toBeGreaterThan(n / 10);
      const errors = [...outcome.openErrors.values()].reduce((a, b) => a + b, 0) + outcome.stopped + outcome.eventErrors;
      expect(errors, summary).toBeGreaterThan(n / 20);
      expect(rssMax - rss0, summary).toBeLessThan(1.5 * 2 ** 30);
    }, 600_000);
  }
});
