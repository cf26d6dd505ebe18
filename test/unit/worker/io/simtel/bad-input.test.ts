/**
 * Bad input (issue 15, item 7): a truncated file gives its complete events
 * and then "truncated after event N" naming the file (the same events as
 * ctapipe reads from the same cut file, run in this test); corrupt sync
 * markers and lengths, files that are not EventIO, unsupported compression,
 * empty and missing files: each a clear EventIOError naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { EventIOError } from '../../../../../src-worker/io/eventio/eventio-errors.js';
import { EventIOFile } from '../../../../../src-worker/io/eventio/eventio-file.js';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/simtel-file.js';
import { ctapipe } from '../../../../helpers/reference-tools.js';
import { itWith } from '../../../../helpers/vitest-tools.js';
import { SIMTEL_FIXTURES } from './simtel-oracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'lightpool-simtel-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const lst = zstdDecompress(readFileSync(join(SIMTEL_FIXTURES, 'lst_muons_with_true_photons.simtel.zst')));

function write(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

function openError(path: string): EventIOError {
  try {
    openSimtelFile(path).close();
  } catch (e) {
    expect(e).toBeInstanceOf(EventIOError);
    return e as EventIOError;
  }
  throw new Error(`${path} opened without an error`);
}

/** Event ids until the iterator throws, and what it throws. */
function readAll(path: string): { ids: number[]; error: EventIOError | null } {
  const f = openSimtelFile(path);
  const ids: number[] = [];
  try {
    for (const e of f.iterEvents()) ids.push(e.eventId);
    return { ids, error: null };
  } catch (e) {
    expect(e).toBeInstanceOf(EventIOError);
    return { ids, error: e as EventIOError };
  } finally {
    f.close();
  }
}

/** Offsets of the top-level objects of the uncompressed LST file. */
function topLevel(): { offset: number; type: number; contentSize: number }[] {
  const f = EventIOFile.open(write('lst-index.simtel', lst));
  f.scan(null);
  const out = Array.from({ length: f.objectCount }, (_, i) => f.object(i));
  f.close();
  return out;
}

describe('sim_telarray files that are cut or damaged', () => {
  itWith([ctapipe()], 'a cut file gives the events before the cut, then "truncated after event N" naming the file; ctapipe reads the same events', () => {
    const cuts = [0.5, 0.75, 0.95].map((f) => write(`lst-cut-${f}.simtel`, lst.subarray(0, Math.floor(lst.length * f))));
    const script = `
import sys, json, warnings
warnings.simplefilter("ignore")
from ctapipe.io import SimTelEventSource
out = []
for p in sys.argv[1:]:
    ids = []
    try:
        with SimTelEventSource(p, focal_length_choice="EQUIVALENT") as s:
            for e in s:
                ids.append(int(e.index.event_id))
    except Exception as e:
        pass  # ctapipe stops at the cut (EOFError is a warning; a cut histogram block raises)
    out.append(ids)
print(json.dumps(out))`;
    const ct: number[][] = JSON.parse(
      execFileSync(ctapipe().path, ['-c', script, ...cuts], { encoding: 'utf8', timeout: 300_000 })
        .trim()
        .split('\n')
        .pop() as string,
    );
    cuts.forEach((path, k) => {
      const { ids, error } = readAll(path);
      expect(ids, path).toEqual(ct[k]);
      expect(error?.kind).toBe('truncated');
      expect(error?.message).toContain(path);
      expect(error?.message).toContain(`truncated after event ${ids.length}`);
    });
    expect(ct.map((x) => x.length)).toEqual([1, 2, 3]);
  });

  it('a cut zstd or gzip file gives its complete events and then says where it is truncated', () => {
    for (const [name, bytes] of [
      ['cut.simtel.gz', gzipSync(lst)],
      ['cut.simtel.zst', readFileSync(join(SIMTEL_FIXTURES, 'lst_muons_with_true_photons.simtel.zst'))],
    ] as const) {
      const path = write(name, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
      const { ids, error } = readAll(path);
      expect(ids.length, name).toBeGreaterThanOrEqual(2);
      expect(error?.kind, name).toBe('truncated');
      expect(error?.message, name).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated after event ${ids.length}`));
    }
  });

  it('a damaged sync marker or length: the events before it, then a clear error naming the file and the offset', () => {
    const objs = topLevel();
    const events = objs.filter((o) => o.type === 2010);
    // the sync marker of the second event
    const bad = new Uint8Array(lst);
    bad[events[1].offset] ^= 0xff;
    const p1 = write('bad-sync.simtel', bad);
    const r1 = readAll(p1);
    expect(r1.ids).toEqual([100]);
    expect(r1.error?.kind).toBe('corrupt');
    expect(r1.error?.message).toContain(`${p1}: corrupt data after event 1: no EventIO sync marker where object`);
    expect(r1.error?.offset).toBe(events[1].offset);
    // the length of the second event made 1 MiB longer: the next object's sync marker is missed
    const long = new Uint8Array(lst);
    const dv = new DataView(long.buffer);
    dv.setUint32(events[1].offset + 12, dv.getUint32(events[1].offset + 12, true) + (1 << 20), true);
    const r2 = readAll(write('bad-length.simtel', long));
    expect(r2.ids).toEqual([100]);
    expect(r2.error?.kind).toMatch(/truncated|corrupt/);
    // a length far beyond the file
    const huge = new Uint8Array(lst);
    new DataView(huge.buffer).setUint32(events[2].offset + 12, 0x3fffffff, true);
    const p3 = write('huge-length.simtel', huge);
    const r3 = readAll(p3);
    expect(r3.ids).toEqual([100, 200]);
    expect(r3.error?.message).toContain(`${p3}: truncated after event 2: object`);
    // a corrupt event content (the trigger information's header): that event fails clearly, the others read
    const inner = new Uint8Array(lst);
    new DataView(inner.buffer).setUint32(events[0].offset + 16 + 8, 0x3ffffff0, true);
    const p4 = write('bad-event.simtel', inner);
    const f = openSimtelFile(p4);
    try {
      expect(() => f.event(0)).toThrow(EventIOError);
      expect(() => f.event(0)).toThrow(new RegExp(`^${p4.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: event 100: object \\d+ \\(type 2010`));
      expect(f.event(1).eventId).toBe(200);
    } finally {
      f.close();
    }
  });

  it('files that are not EventIO, unsupported compressions, empty and missing files are clear errors naming the file', () => {
    const cases: [string, Uint8Array, EventIOError['kind'], RegExp][] = [
      ['notes.txt', new TextEncoder().encode('just some text, not a simulation\n'), 'not-eventio', /not an EventIO file/],
      ['image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'not-eventio', /not an EventIO file/],
      ['dl1.h5', readFileSync(join(SIMTEL_FIXTURES, 'gamma_with_obslevel_particles.ctapipe.dl1.h5')), 'unsupported', /HDF5 \(not EventIO\)/],
      ['text.gz', gzipSync(Buffer.from('gzip of something else')), 'not-eventio', /gzip-decompressed data does not start/],
      ['file.simtel.bz2', new Uint8Array([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]), 'unsupported', /bzip2 compression is not supported/],
      ['file.simtel.xz', new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]), 'unsupported', /xz compression is not supported/],
      ['empty.simtel', new Uint8Array(0), 'not-eventio', /empty/],
      ['broken.gz', new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]), 'corrupt', /gzip data is corrupt/],
      ['sync-only.simtel', new Uint8Array([0x37, 0x8a, 0x1f, 0xd4, 1, 2]), 'truncated', /no sim_telarray run header/],
    ];
    for (const [name, bytes, kind, re] of cases) {
      const path = write(name, bytes);
      const e = openError(path);
      expect(e.kind, name).toBe(kind);
      expect(e.message, name).toMatch(re);
      expect(e.message.startsWith(path), name).toBe(true);
    }
    const missing = join(tmp, 'does-not-exist.simtel.zst');
    const e = openError(missing);
    expect(e.kind).toBe('io');
    expect(e.message).toContain(missing);
  });

  it('asking for an event that is not there names the file and the number of events', () => {
    const f = openSimtelFile(join(SIMTEL_FIXTURES, 'gamma_with_obslevel_particles.simtel.zst'));
    try {
      expect(() => f.event(1)).toThrow(/gamma_with_obslevel_particles\.simtel\.zst: no event 1 \(the file has 1\)/);
      expect(() => f.event(-1)).toThrow(EventIOError);
    } finally {
      f.close();
    }
  });
});
