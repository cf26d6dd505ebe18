/**
 * Issue 12, items 3 and 6 (roles): a client with the view token may watch,
 * step through open files and make histograms, but every method that opens
 * files by path, exports HDF5, records, or switches or controls the live
 * source is refused ('forbidden') and has no effect; the control token may
 * do all of it. Real server on loopback, real WebSocket clients.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../../../../src-main/api/contract.js';
import { methodRoles } from '../../../../src-main/api/method-roles.js';
import { DataDirectories } from '../../../../src-main/files/file-access.js';
import { Session } from '../../../../src-main/session/session.js';
import { startServer, type RunningServer } from '../../../../src-main/server/serve.js';
import { TestClient } from '../../../helpers/ws-client.js';

const CONTROL = 'roles-test-control-token';
const VIEW = 'roles-test-view-token-xyz';
const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');

describe('roles', () => {
  const out = mkdtempSync(join(tmpdir(), 'lightpool-roles-'));
  let session: Session;
  let server: RunningServer;
  let viewer: TestClient;
  let controller: TestClient;
  let fileId: string;

  beforeAll(async () => {
    session = new Session({ autoStart: true, rateHz: 20, seed: 3, access: await DataDirectories.create([process.cwd(), out]) });
    server = await startServer(session, { host: '127.0.0.1', port: 0, token: CONTROL, viewToken: VIEW });
    viewer = await TestClient.connect(`ws://127.0.0.1:${server.port}/api?token=${VIEW}`);
    controller = await TestClient.connect(`ws://127.0.0.1:${server.port}/api?token=${CONTROL}`);
    fileId = (await controller.call<{ fileId: string }>('file.open', { path: DL1 })).fileId;
  });
  afterAll(async () => {
    viewer?.close();
    controller?.close();
    await server.close();
    await session.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('each client is told its role', async () => {
    expect(await viewer.call('app.info', {})).toMatchObject({ role: 'view', tokenRequired: true });
    expect(await controller.call('app.info', {})).toMatchObject({ role: 'control', tokenRequired: true });
  });

  /** valid parameters for every method the view role may not call (so the refusal is the role's, not validation's) */
  const controlCalls = (): Record<string, unknown> => ({
    'live.configure': { rateHz: 5 },
    'live.replay': { fileId },
    'file.open': { path: DL1 },
    'file.browse': {},
    'file.close': { fileId },
    'file.export': { fileId, out: join(out, 'subset.h5'), selection: { kind: 'indices', indices: [0] } },
    'file.exportCancel': { jobId: 'x' },
    'file.extractor': { fileId, extractor: { type: 'LocalPeakWindowSum' } },
    'points.list': { path: join(out, 'p.npy') },
    'points.read': { path: join(out, 'p.npy') },
    'live.connect': { url: 'tcp://127.0.0.1:1' },
    'live.disconnect': {},
    'live.simulate': { layout: 'lst' },
    'live.control': { action: 'pause' },
    'live.alarms.configure': { thresholds: { minRateHz: 1 } },
    'live.alarms.acknowledge': { id: 'rate-low' },
    'live.record.start': { dir: join(out, 'rec') },
    'live.record.stop': {},
    'live.histograms.reset': {},
    'live.histograms.configure': { name: 'width', bins: 10, min: 0, max: 1 },
    'live.pixelMaps.reset': {},
    'lab.signals.shape': { signalsId: 'signals-1', shaping: { k: 450, m: 60, M: 3600 } },
    'lab.cancel': { jobId: 'x' },
    'lab.mlem.load': { fileId, dataset: '/sysmat' },
    'lab.mlem.run': { mlemId: 'mlem-1', iterations: 10 },
    'lab.mlem.stop': { mlemId: 'mlem-1' },
    'lab.mlem.reset': { mlemId: 'mlem-1' },
    'lab.mlem.close': { mlemId: 'mlem-1' },
    'lab.stack.open': { pattern: 'test/fixtures/lab/export/*/*/*/*.png' },
    'lab.stack.statistics': { stackId: 'stack-1' },
    'lab.close': { id: 'stack-1' },
  });

  it('the table lists every control method this test calls, and nothing else is control', () => {
    const control = Object.entries(methodRoles)
      .filter(([, r]) => r === 'control')
      .map(([m]) => m)
      .sort();
    expect(control).toEqual(Object.keys(controlCalls()).sort());
  });

  it('a view-token client is refused every write or control method, with no effect', async () => {
    const before = await viewer.call<{ state: string; source: string }>('live.status', {});
    for (const [method, params] of Object.entries(controlCalls())) {
      const r = await viewer.request(method, params);
      expect(r.ok, method).toBe(false);
      expect(r.error, method).toMatchObject({ code: 'forbidden' });
      expect(r.error!.message, method).toMatch(new RegExp(`^${method.replace(/\./g, '\\.')}: this connection may only watch`));
    }
    // nothing happened: the file is still open, no file or recording was written, the run goes on
    expect((await viewer.call<{ fileId: string }[]>('file.list', {})).map((f) => f.fileId)).toEqual([fileId]);
    expect(existsSync(join(out, 'subset.h5'))).toBe(false);
    expect(existsSync(join(out, 'rec'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const after = await viewer.call<{ state: string; source: string; recording: { active: boolean } }>('live.status', {});
    expect({ state: after.state, source: after.source, recording: after.recording.active }).toEqual({
      state: before.state,
      source: before.source,
      recording: false,
    });
  });

  it('a view-token client may watch, step through open files and make histograms', async () => {
    const calls: [Method, unknown][] = [
      ['app.ping', {}],
      ['instrument.subarray', {}],
      ['live.status', {}],
      ['live.histograms', {}],
      ['live.rates', {}],
      ['live.ring', { offset: 0 }],
      ['file.list', {}],
      ['file.event', { fileId, index: 1 }],
      ['hist.fileColumns', { fileId }],
      ['hist.fileColumn', { fileId, column: 'hillas_intensity', bins: 20 }],
      ['hist.fit', { edges: [0, 1, 2, 3, 4], counts: [1, 5, 6, 2], model: 'gaussian' }],
      ['lab.list', {}],
    ];
    for (const [method, params] of calls) {
      const r = await viewer.request(method, params);
      expect(r.ok, `${method}: ${r.error?.message}`).toBe(true);
    }
  });

  it('the control token may do what the view token may not', async () => {
    const r = await controller.request('file.export', {
      fileId,
      out: join(out, 'by-control.h5'),
      selection: { kind: 'indices', indices: [0, 1] },
      jobId: 'roles-export',
    });
    expect(r.ok, r.error?.message).toBe(true);
    await controller.next(
      (m) =>
        m.type === 'stream' &&
        m.stream === 'export-progress' &&
        (m.data as { jobId: string; done?: unknown }).jobId === 'roles-export' &&
        Boolean((m.data as { done?: unknown }).done),
      60_000,
    );
    expect(existsSync(join(out, 'by-control.h5'))).toBe(true);
    expect((await controller.request('live.control', { action: 'pause' })).ok).toBe(true);
    expect((await controller.request('live.control', { action: 'resume' })).ok).toBe(true);
  });
});
