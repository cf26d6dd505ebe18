/**
 * A reading thread with a ZeroMQ connection ends cleanly: `lightpool serve`
 * connected to `lightpool daq --sim --zmq` shuts down on SIGINT with exit
 * code 0, and a reading thread terminated while events flow, without
 * closing, leaves this process running and its subscriber process ends.
 * (zeromq's native cleanup aborts the whole process, "terminate called
 * after throwing an instance of 'Napi::Error'", when a worker thread that
 * used it ends with a receive pending, which under load happened even with
 * an orderly close: the socket now lives in a subscriber process.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { DaqClientThread } from '../../../../../src-main/daq/client/daq-client-thread.js';
import { TestClient } from '../../../../helpers/ws-client.js';
import type { LiveStatus } from '../../../../../src-main/api/live-contract.js';
import { freePort, until } from '../../../../helpers/wait.js';
import { LIGHTPOOL_BIN, startEmulator, type Emulator } from '../../../../helpers/daq-emulator.js';

/** pids of this process's ZeroMQ subscriber processes */
function subscriberProcesses(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('zmq-subscriber')) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('DAQ reading thread over ZeroMQ', () => {
  let emu: Emulator | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await emu?.kill();
  });

  it('lets lightpool serve shut down cleanly while connected (three times: the crash was a race)', async () => {
    emu = await startEmulator(['--sim', '--zmq', '--rate', '2000', '--port', '0', '--pool', '50', '--quiet']);
    for (let round = 0; round < 3; round++) {
      const port = await freePort();
      const serve = spawn(process.execPath, [LIGHTPOOL_BIN, 'serve', '--port', String(port), '--no-sim'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LIGHTPOOL_LOG: 'warn' },
      });
      children.push(serve);
      let output = '';
      serve.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      serve.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
      await until(() => output.includes('serving at'), 20_000, `lightpool serve to listen (${output})`);
      const client = await TestClient.connect(`ws://127.0.0.1:${port}/api`);
      await client.call('live.connect', { url: emu.url });
      // receiving at full speed when the shutdown comes
      const t0 = Date.now();
      let status = await client.call<LiveStatus>('live.status', {});
      while (status.counters.received < 500) {
        if (Date.now() - t0 > 15_000) throw new Error(`500 events not received within 15 s: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 200));
        status = await client.call<LiveStatus>('live.status', {});
      }
      expect(status.state).toBe('running');
      client.close();
      serve.kill('SIGINT');
      expect(await exited, output).toBe(0);
      expect(output).not.toMatch(/terminate called/);
    }
  }, 90_000);

  it('survives its reading thread being terminated mid-stream, and the subscriber process ends with it', async () => {
    emu ??= await startEmulator(['--sim', '--zmq', '--rate', '2000', '--port', '0', '--pool', '50', '--quiet']);
    for (let round = 0; round < 3; round++) {
      const c = new DaqClientThread(emu.url);
      let events = 0;
      c.on('event', () => events++);
      c.start();
      await until(() => events >= 200, 15_000, '200 events');
      expect(subscriberProcesses()).toHaveLength(1);
      // no close(): the thread ends with its connection receiving at full speed
      await (c as unknown as { worker: Worker }).worker.terminate();
      await until(() => subscriberProcesses().length === 0, 5000, 'the subscriber process to end');
    }
  }, 60_000);
});
