/**
 * Issue 12, item 3: serve reads and writes only inside its data directories.
 * Open, export, record and point clouds outside them are refused with a clear
 * error and no file is created; a symbolic link inside that leads outside is
 * refused too; the refusal reads the same whether the outside path exists or
 * not. file.browse lists what is inside (Open… in serve mode). Real server on
 * loopback, real WebSocket client, real files in temporary folders.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataListing } from '../../../../src-main/api/file-contract.js';
import { DataDirectories } from '../../../../src-main/files/file-access.js';
import { Session } from '../../../../src-main/session/session.js';
import { startServer, type RunningServer } from '../../../../src-main/server/serve.js';
import { TestClient } from '../../../helpers/ws-client.js';

const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');

/** a tiny .npy point table (float32, 4 × 3) */
function npy(): Uint8Array {
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }";
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(header + ' '.repeat(pad) + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  return Buffer.concat([pre, h, Buffer.from(new Float32Array(12).map((_, i) => i).buffer)]);
}

describe('data directories', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'lightpool-data-dirs-')));
  const data = join(base, 'data');
  const outside = join(base, 'outside');
  let session: Session;
  let server: RunningServer;
  let client: TestClient;

  beforeAll(async () => {
    mkdirSync(join(data, 'runs', 'night-1'), { recursive: true });
    mkdirSync(outside);
    copyFileSync(DL1, join(data, 'runs', 'dl1.h5'));
    copyFileSync(DL1, join(outside, 'secret.h5'));
    writeFileSync(join(data, 'runs', 'points.npy'), npy());
    writeFileSync(join(outside, 'points.npy'), npy());
    writeFileSync(join(data, 'runs', 'notes.txt'), 'not a data file');
    writeFileSync(join(data, 'runs', '.hidden.h5'), 'hidden');
    symlinkSync(join(outside, 'secret.h5'), join(data, 'runs', 'link-to-secret.h5'));
    symlinkSync(outside, join(data, 'runs', 'link-to-outside'));
    symlinkSync(join(outside, 'nothing-here'), join(data, 'runs', 'dangling'));
    session = new Session({ autoStart: true, rateHz: 50, seed: 2, access: await DataDirectories.create([data]) });
    server = await startServer(session, { host: '127.0.0.1', port: 0 });
    client = await TestClient.connect(`ws://127.0.0.1:${server.port}/api`);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await session?.close();
    rmSync(base, { recursive: true, force: true });
  });

  const refused = async (method: string, params: Record<string, unknown>) => {
    const r = await client.request(method, params);
    expect(r.ok, `${method} ${JSON.stringify(params)} was accepted`).toBe(false);
    expect(r.error?.code).toBe('forbidden');
    expect(r.error?.message).toMatch(/is outside this server's data directories/);
    return r.error!.message;
  };

  it('app.info names the data directories', async () => {
    expect(await client.call('app.info', {})).toMatchObject({ role: 'control', dataDirectories: [data] });
  });

  it('opens files inside, refuses files outside, and the refusal does not tell whether they exist', async () => {
    expect((await client.request('file.open', { path: join(data, 'runs', 'dl1.h5') })).ok).toBe(true);
    const existing = await refused('file.open', { path: join(outside, 'secret.h5') });
    const missing = await refused('file.open', { path: join(outside, 'no-such.h5') });
    expect(existing.replace('secret.h5', 'X')).toBe(missing.replace('no-such.h5', 'X'));
    const etc = await refused('file.open', { path: '/etc/passwd' });
    const etcMissing = await refused('file.open', { path: '/etc/no-such-file' });
    expect(etc.replace('passwd', 'X')).toBe(etcMissing.replace('no-such-file', 'X'));
    await refused('file.open', { path: join(data, '..', 'outside', 'secret.h5') });
    // inside, a missing file may say so
    expect((await client.request('file.open', { path: join(data, 'runs', 'no-such.h5') })).error?.message).toMatch(/no such file/);
  });

  it('refuses a symbolic link inside that leads outside (file, folder, dangling)', async () => {
    await refused('file.open', { path: join(data, 'runs', 'link-to-secret.h5') });
    await refused('file.open', { path: join(data, 'runs', 'link-to-outside', 'secret.h5') });
    await refused('points.read', { path: join(data, 'runs', 'link-to-outside', 'points.npy') });
    const [f] = await client.call<{ fileId: string }[]>('file.list', {});
    await refused('file.export', { fileId: f.fileId, out: join(data, 'runs', 'dangling'), selection: { kind: 'indices', indices: [0] } });
    await refused('file.export', { fileId: f.fileId, out: join(data, 'runs', 'link-to-outside', 'copy.h5'), selection: { kind: 'indices', indices: [0] } });
    expect(readdirSync(outside).sort()).toEqual(['points.npy', 'secret.h5']);
  });

  it('refuses exports and recordings outside, and creates nothing', async () => {
    const [f] = await client.call<{ fileId: string }[]>('file.list', {});
    await refused('file.export', { fileId: f.fileId, out: join(outside, 'subset.h5'), selection: { kind: 'indices', indices: [0] } });
    await refused('file.export', { fileId: f.fileId, out: join(outside, 'secret.h5'), selection: { kind: 'indices', indices: [0] }, overwrite: true });
    await refused('file.export', { fileId: f.fileId, out: '/tmp/lightpool-should-not-exist.h5', selection: { kind: 'indices', indices: [0] } });
    await refused('live.record.start', { dir: join(outside, 'recordings') });
    await refused('live.record.start', { dir: join(data, 'runs', 'link-to-outside', 'recordings') });
    await refused('points.read', { path: join(outside, 'points.npy') });
    await refused('points.list', { path: join(outside, 'points.npy') });
    expect(readdirSync(outside).sort()).toEqual(['points.npy', 'secret.h5']);
    expect(existsSync('/tmp/lightpool-should-not-exist.h5')).toBe(false);
    expect((await client.call<{ recording: { active: boolean } }>('live.status', {})).recording.active).toBe(false);
    // inside, the same requests work
    expect((await client.request('points.read', { path: join(data, 'runs', 'points.npy') })).ok).toBe(true);
    const r = await client.request('file.export', {
      fileId: f.fileId,
      out: join(data, 'runs', 'subset.h5'),
      selection: { kind: 'indices', indices: [0] },
      jobId: 'inside',
    });
    expect(r.ok, r.error?.message).toBe(true);
    await client.next(
      (m) =>
        m.type === 'stream' &&
        m.stream === 'export-progress' &&
        (m.data as { jobId: string; done?: unknown }).jobId === 'inside' &&
        Boolean((m.data as { done?: unknown }).done),
      60_000,
    );
    expect(existsSync(join(data, 'runs', 'subset.h5'))).toBe(true);
  });

  it('file.browse lists the data directories, then folders and the files Lightpool can open, with size and kind', async () => {
    const top = await client.call<DataListing>('file.browse', {});
    expect(top).toMatchObject({ roots: [data], entries: [{ name: data, path: data, kind: 'folder' }] });
    expect(top.dir).toBeUndefined();
    const d = await client.call<DataListing>('file.browse', { dir: data });
    expect(d).toMatchObject({ dir: data, entries: [{ name: 'runs', kind: 'folder' }] });
    expect(d.parent).toBeUndefined(); // above a data directory: the list of data directories
    const runs = await client.call<DataListing>('file.browse', { dir: join(data, 'runs') });
    expect(runs.parent).toBe(data);
    expect(runs.entries.map((e) => [e.name, e.kind])).toEqual([
      ['night-1', 'folder'],
      ['dl1.h5', 'hdf5'],
      ['points.npy', 'npy'],
      ['subset.h5', 'hdf5'],
    ]);
    expect(runs.entries.find((e) => e.name === 'dl1.h5')!.size).toBe(8208348);
    await refused('file.browse', { dir: outside });
    await refused('file.browse', { dir: join(data, 'runs', 'link-to-outside') });
    await refused('file.browse', { dir: '/' });
  });
});

describe('free space of recordings', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'lightpool-free-space-')));
  let freeBytes = 1e12;
  let session: Session;
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    session = new Session({
      autoStart: true,
      rateHz: 200,
      seed: 4,
      access: await DataDirectories.create([base]),
      recordSpace: { freeBytes: async () => freeBytes, minFreeBytes: 500e6, periodMs: 100 },
    });
    server = await startServer(session, { host: '127.0.0.1', port: 0 });
    client = await TestClient.connect(`ws://127.0.0.1:${server.port}/api`);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await session?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('does not start on a nearly full disk', async () => {
    freeBytes = 100e6;
    const r = await client.request('live.record.start', { dir: join(base, 'full') });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/cannot record to .*full: only 100 MB free on its disk \(recording needs at least 500 MB\)/);
    expect(existsSync(join(base, 'full'))).toBe(false);
  });

  it('stops cleanly when the disk fills up while recording: a message, and every file complete', async () => {
    freeBytes = 1e12;
    const dir = join(base, 'rec');
    expect((await client.request('live.record.start', { dir, flushSeconds: 0.5 })).ok).toBe(true);
    await expect
      .poll(async () => (await client.call<{ recording: { eventsWritten: number } }>('live.status', {})).recording.eventsWritten, { timeout: 30_000 })
      .toBeGreaterThan(20);
    freeBytes = 200e6;
    await expect.poll(async () => (await client.call<{ recording: { active: boolean } }>('live.status', {})).recording.active, { timeout: 30_000 }).toBe(false);
    const status = (await client.call<{ recording: { error?: string; eventsWritten: number; eventsOffered: number } }>('live.status', {})).recording;
    expect(status.error).toMatch(/recording stopped: only 200 MB free on the disk of .*rec \(Lightpool stops below 500 MB/);
    expect(status.eventsWritten).toBe(status.eventsOffered);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
    let events = 0;
    for (const f of files) {
      const opened = await client.call<{ kind: string; eventCount: number }>('file.open', { path: join(dir, f) });
      expect(opened.kind).toBe('dl1');
      events += opened.eventCount;
    }
    expect(events).toBe(status.eventsWritten);
  });
});
