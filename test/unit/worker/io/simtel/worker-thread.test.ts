/**
 * The reader runs inside a worker thread (no main-thread-only APIs, no
 * callbacks to wait for): a bundled worker opens a file, reads an event and
 * transfers its R0 waveform; it equals what the main thread reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { openSimtelFile } from '../../../../../src-worker/io/simtel/index.js';
import { SIMTEL_FIXTURES } from './simtel-oracle.js';

const tmp = mkdtempSync(join(tmpdir(), 'lightpool-simtel-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('reads a sim_telarray event inside a worker thread and transfers the waveform', async () => {
  const out = join(tmp, 'simtel-worker.mjs');
  await build({ entryPoints: [join(__dirname, 'simtel-worker-fixture.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  const path = join(SIMTEL_FIXTURES, 'lst_muons_with_true_photons.simtel.zst');
  const msg = await new Promise<{ nEvents: number; eventId: number; telId: number; shape: number[]; waveform: Uint16Array }>((resolve, reject) => {
    const w = new Worker(out, { workerData: { path } });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
  const f = openSimtelFile(path);
  try {
    const t = f.event(0).tel[0];
    expect([msg.nEvents, msg.eventId, msg.telId]).toEqual([3, 100, 1]);
    expect(msg.shape).toEqual([t.r0.nGains, t.r0.nPixels, t.r0.nSamples]);
    expect(msg.waveform).toBeInstanceOf(Uint16Array);
    expect(Buffer.compare(Buffer.from(msg.waveform.buffer), Buffer.from(t.r0.waveform.buffer, t.r0.waveform.byteOffset, t.r0.waveform.byteLength))).toBe(0);
  } finally {
    f.close();
  }
}, 120_000);
