/**
 * The UI's path to a ZeroMQ DAQ stream: live.connect {url: "zmq+tcp://..."}
 * passes the API's validation, and the session's live source runs on
 * `lightpool daq --sim --zmq` (a separate process): received events are
 * processed and fill the histograms, with the same status and counters as
 * over TCP; killing the emulator shows 'reconnecting' and the
 * source-disconnected alarm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, type ConnectionContext } from '../../../../src-main/session/session.js';
import type { Method, Params, Replies } from '../../../../src-main/api/contract.js';
import type { LiveAlarms, LiveStatus } from '../../../../src-main/api/live-contract.js';
import { validateRequest } from '../../../../src-main/api/validate.js';
import { until } from '../../../helpers/wait.js';
import { startEmulator, type Emulator } from '../../../helpers/daq-emulator.js';

const ctx: ConnectionContext = { transport: 'websocket', tokenRequired: false };

describe('live monitoring of a ZeroMQ DAQ stream over the session API', () => {
  let session: Session;
  let emu: Emulator | undefined;
  beforeAll(() => {
    session = new Session({ autoStart: false, threads: 1 });
  });
  afterAll(async () => {
    await emu?.kill();
    await session.close();
  });

  async function call<M extends Method>(method: M, params: Params<M>): Promise<Replies[M]> {
    const v = validateRequest({ type: 'request', id: 1, method, params });
    if (!v.ok) throw new Error(v.message);
    return session.handle(method, v.request.params as Params<M>, ctx);
  }

  it('connects with zmq+tcp://, processes and aggregates, and reports the lost emulator', async () => {
    emu = await startEmulator(['--sim', '--zmq', '--rate', '300', '--port', '0', '--pool', '30', '--quiet']);
    let status: LiveStatus | undefined;
    let alarms: LiveAlarms | undefined;
    session.on('live-status', (s) => (status = s));
    session.on('live-alarms', (a) => (alarms = a));
    const r = await call('live.connect', { url: emu.url });
    expect(r.source).toBe('daq');
    expect(r.url).toBe(emu.url);
    await until(() => status?.state === 'running', 10_000, 'running');
    await until(() => (status?.counters.processed ?? 0) >= 100, 15_000, '100 processed events');
    const s = await call('live.status', {});
    expect(s.counters.received).toBeGreaterThanOrEqual(s.counters.processed);
    expect(s.counters.bytes).toBeGreaterThan(0);
    expect(s.counters.missedUpstream).toBe(0);
    const h = await call('live.histograms', {});
    expect(h.histograms.find((x) => x.name === 'intensity')!.total).toBeGreaterThan(0);

    await emu.kill();
    await until(() => status?.state === 'reconnecting', 5000, 'reconnecting');
    expect(status?.message).toMatch(/zmq\+tcp:\/\/127\.0\.0\.1:\d+: the server closed the connection; retry 1/);
    await until(() => !!alarms?.active.some((a) => a.kind === 'source-disconnected'), 8000, 'source-disconnected alarm');
    const stopped = await call('live.disconnect', {});
    expect(stopped.state).toBe('stopped');
  }, 60_000);
});
