/**
 * `lightpool serve FILE...` opens the files at start (a bad one is reported
 * and skipped), and the file API works end to end over WebSocket: file.list,
 * a DL1 event with typed arrays, and file.export with progress on the
 * 'export-progress' stream, read back by PyTables. Uses the built CLI
 * (dist/, `npm run build`).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClient } from '../../../helpers/ws-client.js';
import type { ExportProgressMessage, FileOpenResult } from '../../../../src-main/api/file-contract.js';
import type { ArrayEvent } from '../../../../src-main/api/event-types.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const DL1 = resolve('test/fixtures/samples/dl1_sample_120.blosc.h5');

describeWith([REF_PY], 'lightpool serve FILE...', () => {
  let child: ChildProcess;
  let out = '';
  let err = '';
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'lightpool-serve-files-'));

  beforeAll(async () => {
    child = spawn(process.execPath, ['bin/lightpool.js', 'serve', '--port', '0', '--no-sim', DL1, join(dir, 'missing.h5')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LIGHTPOOL_LOG: 'warn' },
    });
    child.stderr!.on('data', (d) => (err += d));
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no files opened: ${out} ${err}`)), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /serving at (\S+)/.exec(out);
        if (m && /opened /.test(out) && /could not open/.test(err)) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      child.stderr!.on('data', () => {
        const m = /serving at (\S+)/.exec(out);
        if (m && /opened /.test(out) && /could not open/.test(err)) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
    });
    client = await TestClient.connect(`ws://127.0.0.1:${new URL(url).port}/api`);
  });
  afterAll(() => {
    client?.close();
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the given files at start and reports the ones it cannot open', async () => {
    expect(out).toContain(`opened ${DL1}: ctapipe DL1 file, 120 events`);
    expect(err).toMatch(/could not open .*missing\.h5: .*no such file/);
    const list = await client.request('file.list', {});
    expect(list.ok).toBe(true);
    expect((list.result as FileOpenResult[]).map((f) => f.path)).toEqual([DL1]);
  });

  it('steps DL1 events and exports a subset over WebSocket', async () => {
    const [file] = (await client.request('file.list', {})).result as FileOpenResult[];
    const ev = await client.request('file.event', { fileId: file.fileId, index: 1 });
    expect(ev.ok).toBe(true);
    const event = (ev.result as { event: ArrayEvent }).event;
    expect(event.fileIndex).toEqual({ fileId: file.fileId, index: 1, count: 120 });
    expect(event.telescopes[0].image).toBeInstanceOf(Float32Array);
    const target = join(dir, 'subset.h5');
    const started = await client.request('file.export', {
      fileId: file.fileId,
      out: target,
      selection: { kind: 'where', expr: 'hillas_intensity > 1000' },
      jobId: 'ws-1',
    });
    expect(started).toMatchObject({ ok: true, result: { jobId: 'ws-1', out: target } });
    const end = await client.next((m) => m.type === 'stream' && m.stream === 'export-progress' && (m.data as ExportProgressMessage).done !== undefined, 30_000);
    const done = (end as { data: ExportProgressMessage }).data.done!;
    expect(done.ok).toBe(true);
    expect(client.messages.some((m) => m.type === 'stream' && m.stream === 'export-progress' && (m.data as ExportProgressMessage).progress)).toBe(true);
    const nEvents = done.ok ? done.result.nEvents : -1;
    const rows = execFileSync(
      REF_PY.path,
      ['-c', 'import sys, tables\nwith tables.open_file(sys.argv[1]) as f: print(len(f.root.dl1.event.subarray.trigger))', target],
      { encoding: 'utf8' },
    );
    expect(Number(rows)).toBe(nEvents);
    expect(nEvents).toBeGreaterThan(0);
    expect(nEvents).toBeLessThan(120);
    const again = await client.request('file.export', { fileId: file.fileId, out: target, selection: { kind: 'indices', indices: [0] } });
    expect(again).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(again.error?.message).toMatch(/exists already.*overwrite/);
  });
});
