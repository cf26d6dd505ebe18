/**
 * The file-format registry: each sample file is recognised as its format,
 * whose description (offers, views) is what an open file carries; the
 * declarations agree with what the formats implement.
 */
import { describe, expect, it } from 'vitest';
import { FileSession } from '../../../../../src-worker/io/service/file-session.js';
import { FILE_FORMATS, STREAM_FORMATS } from '../../../../../src-worker/io/formats/registry.js';
import { simtelFormat } from '../../../../../src-worker/io/formats/simtel-format.js';
import { dl1Format } from '../../../../../src-worker/io/formats/dl1-format.js';
import { watchmalHitsFormat } from '../../../../../src-worker/io/formats/watchmal-format.js';

const SAMPLES = 'test/fixtures/samples';

describe('file-format registry', () => {
  it('recognises each sample as its format, and the summary carries the format', async () => {
    const cases: [string, string, string][] = [
      [`${SAMPLES}/dl1_sample_120.blosc.h5`, 'dl1', 'event'],
      [`${SAMPLES}/watchmal_iwcd4pi_sample_digihits.h5`, 'watchmal-hits', 'tank'],
      ['test/fixtures/lab/digitized_preamp_signals.h5', 'hdf5', 'browser'],
    ];
    for (const [path, id, firstView] of cases) {
      const s = await FileSession.open(path);
      try {
        const summary = s.summary();
        expect(summary.kind, path).toBe(id);
        expect(summary.format.id).toBe(id);
        expect(summary.format.views[0]).toBe(firstView);
        expect(summary.format.offers).toContain('tree');
        expect(summary.description.length).toBeGreaterThan(0);
        expect(summary.info[0]).toMatch(/^kind: /);
      } finally {
        s.close();
      }
    }
  });

  it('a reader is had only from a file of its format; the error names what the file is', async () => {
    const s = await FileSession.open(`${SAMPLES}/watchmal_iwcd4pi_sample_digihits.h5`);
    try {
      expect(s.require(watchmalHitsFormat).nEvents).toBeGreaterThan(0);
      expect(() => s.require(dl1Format)).toThrow(/not a ctapipe DL1 file \(recognised as WatChMaL hits\)/);
    } finally {
      s.close();
    }
  });

  it('declarations agree with the implementations: unique ids, the catch-all last, exporters where offered', () => {
    const ids = FILE_FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe('hdf5');
    for (const f of FILE_FORMATS) {
      expect(Boolean(f.exportSubset), f.id).toBe(f.offers.includes('subset-export'));
      expect(f.views).toContain('browser');
      expect(f.offers.includes('array-events') && f.offers.includes('tank-events'), f.id).toBe(false);
    }
  });

  it('a sim_telarray file (plain sync marker, gzip or zstd by name) is its own format, read without HDF5', async () => {
    for (const name of ['lst_muons_with_true_photons.simtel.zst', 'calib_events.simtel.gz']) {
      const s = await FileSession.open(`test/fixtures/simtel/${name}`);
      try {
        const summary = s.summary();
        expect(summary.kind).toBe('simtel');
        expect(summary.format.views[0]).toBe('event');
        expect(summary.format.offers).not.toContain('tree');
        expect(summary.datasets).toEqual([]);
        expect(summary.info[0]).toMatch(/^kind: sim_telarray/);
        expect(s.require(simtelFormat).subarray.telescopes.length).toBeGreaterThan(0);
        expect(() => s.file).toThrow(/not HDF5/);
      } finally {
        s.close();
      }
    }
    const plain = new Uint8Array([0x37, 0x8a, 0x1f, 0xd4, 0, 0, 0, 0]);
    expect(simtelFormat.recogniseBytes(plain, 'anything.dat')).toBe(true);
    expect(simtelFormat.recogniseBytes(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]), 'run.simtel.zst')).toBe(true);
    expect(simtelFormat.recogniseBytes(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]), 'table.csv.zst')).toBe(false);
    expect(simtelFormat.recogniseBytes(new Uint8Array([0x89, 0x48, 0x44, 0x46]), 'x.simtel')).toBe(false);
    // named like sim_telarray output but damaged: the EventIO reader says what is wrong, not "no HDF5 file"
    expect(simtelFormat.recogniseBytes(new TextEncoder().encode('garbage'), 'run.simtel.zst')).toBe(true);
    expect(STREAM_FORMATS.map((f) => f.id)).toEqual(['simtel']);
    const ids = [...STREAM_FORMATS, ...FILE_FORMATS].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
