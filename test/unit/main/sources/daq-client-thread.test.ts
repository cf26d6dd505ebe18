/**
 * A reading thread with a ZeroMQ connection ends cleanly: `lightpool serve`
 * connected to `lightpool daq --sim --zmq` shuts down on SIGINT with exit
 * code 0. (zeromq's native cleanup aborts the whole process, "terminate
 * called after throwing an instance of 'Napi::Error'", when a worker thread
 * ends with a receive pending; the reading thread closes its socket and
 * waits for its loops before it may end, also at process exit.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { TestClient } from '../../../helpers/ws-client.js';
import type { LiveStatus } from '../../../../src-main/api/live-contract.js';
import { freePort, until } from '../../../helpers/wait.js';
import { LIGHTPOOL_BIN, startEmulator, type Emulator } from '../../../helpers/daq-emulator.js';

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
      const serve = spawn(process.execPath, [LIGHTPOOL_BIN, 'serve', '--port', String(port), '--no-sim'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LIGHTPOOL_LOG: 'warn' } });
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
});
