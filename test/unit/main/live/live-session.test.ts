/**
 * End to end over the session API, as the UI does it: `lightpool daq --sim
 * --rate 2000` runs as a separate process; live.connect makes it the live
 * source; the status says running at about 2 kHz, histograms fill, camera
 * events flow; the recording toggle writes rotating files PyTables reads
 * with every event offered; killing the emulator gives 'reconnecting' and a
 * source-disconnected alarm; restarting it on the same port recovers the
 * run on its own; live.simulate brings back the simulated array, whose
 * events fill the histograms too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, type ConnectionContext } from '../../../../src-main/session/session.js';
import type { Method, Params, Replies } from '../../../../src-main/api/contract.js';
import type { LiveAlarms, LiveHistograms, LiveStatus } from '../../../../src-main/api/live-contract.js';
import { validateRequest } from '../../../../src-main/api/validate.js';
import { freePort, until } from '../../../helpers/wait.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const CLI = fileURLToPath(new URL('../../../../dist/cli.js', import.meta.url));
const ctx: ConnectionContext = { transport: 'websocket', tokenRequired: false };

function startDaq(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'daq', '--sim', '--rate', '2000', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (process.env.LP_DEBUG) process.stdout.write(`daq: ${d.toString()}`);
      if (text.includes('listening on')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`daq exited with ${code}: ${text}`)));
  });
}

describeWith([REF_PY], 'live monitoring over the session API', () => {
  let session: Session;
  let daq: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lp-live-'));
  beforeAll(() => {
    session = new Session({ autoStart: false, threads: 2 });
  });
  afterAll(async () => {
    daq?.kill('SIGTERM');
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** a request as a connection makes it: validated, then handled */
  async function call<M extends Method>(method: M, params: Params<M>): Promise<Replies[M]> {
    const v = validateRequest({ type: 'request', id: 1, method, params });
    if (!v.ok) throw new Error(v.message);
    return session.handle(method, v.request.params as Params<M>, ctx);
  }

  it('connects to lightpool daq --sim --rate 2000, aggregates, records, survives an emulator restart', async () => {
    const port = await freePort();
    daq = await startDaq(port);
    let status: LiveStatus | undefined;
    let hist: LiveHistograms | undefined;
    let alarms: LiveAlarms | undefined;
    let daqEvents = 0;
    session.on('live-status', (s) => (status = s));
    session.on('live-histograms', (h) => (hist = h));
    session.on('live-alarms', (a) => (alarms = a));
    session.on('array-event', (e) => {
      if (e.source === 'daq') daqEvents++;
    });
    await expect(call('live.connect', { url: 'udp://x' })).rejects.toThrow(/tcp:\/\/host:port/);
    const r = await call('live.connect', { url: `tcp://127.0.0.1:${port}` });
    expect(r.source).toBe('daq');
    await until(() => status?.state === 'running', 120_000, 'running');
    // events flow into the counters, the views and the histograms (however long a busy machine takes)
    await until(() => (status?.counters.received ?? 0) > 200 && daqEvents > 5 && (hist?.events ?? 0) > 100, 300_000, 'events received, shown and histogrammed');
    // the trigger rate once 5 s of data are in: it must be what was received over those seconds
    const s0 = await call('live.status', {});
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, 5000));
    const s1 = await call('live.status', {});
    const measuredHz = ((s1.counters.received - s0.counters.received) * 1000) / (performance.now() - t0);
    const c1 = s1.counters;
    console.log(
      `live rate ${s1.rateHz.toFixed(0)} Hz (received ${measuredHz.toFixed(0)}/s over the last 5 s); received ${c1.received}, missed upstream ${c1.missedUpstream}, processed ${c1.processed}, dropped ${JSON.stringify(c1.droppedByReason)}, queued ${c1.queued}`,
    );
    // The trigger rate counts every received event; the stream is read in its own thread, so it is
    // ~2 kHz even with a busy backend (1.9-2.0 kHz measured on the shared machine; how fast the
    // emulator sends and the backend keeps up is measured by `npm run bench live-throughput` and
    // `daq-transport`, not asserted here): the rate shown must agree with the events counted.
    expect(Math.abs(s1.rateHz - measuredHz)).toBeLessThan(0.25 * measuredHz + 50);
    expect(s1.rateHz).toBeGreaterThan(0);
    const intensity = hist!.histograms.find((h) => h.name === 'intensity')!;
    expect(intensity.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    // the run-control status (the one live status) follows the live source
    const core = await call('live.status', {});
    expect(core.source).toBe('daq');
    expect(core.counters.received).toBeGreaterThanOrEqual(c1.received);
    const ring = await call('live.ring', { offset: 3 });
    expect(ring.event?.source).toBe('daq');
    expect(ring.size).toBe(ring.capacity);
    const rates = await call('live.rates', {});
    expect(Object.keys(rates.perTelescope).length).toBe(8);
    const maps = await call('live.pixelMaps', {});
    expect(maps.telescopes.length).toBe(8);

    // recording toggle: files of ≤ 0.5 s, every offered event written
    const rec = await call('live.record.start', { dir, prefix: 'run', flushSeconds: 0.5 });
    expect(rec.active).toBe(true);
    await until(() => (status?.recording.filesCompleted.length ?? 0) >= 2, 300_000, 'two recorded files closed while recording');
    const mid = await call('live.status', {});
    expect(mid.recording.active).toBe(true);
    // complete files are readable while the recording goes on
    execFileSync(REF_PY.path, ['-c', 'import sys,tables; tables.open_file(sys.argv[1]).close()', mid.recording.filesCompleted[0]]);
    const done = await call('live.record.stop', {});
    expect(done.active).toBe(false);
    const offered = session.live.recorder.eventsOffered;
    expect(done.eventsWritten).toBe(offered);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial')).length).toBe(0);
    const counted = execFileSync(
      REF_PY.path,
      [
        '-c',
        'import sys,tables\nn=0\nfor p in sys.argv[1:]:\n  f=tables.open_file(p); n+=len(f.root.dl1.event.subarray.trigger); f.close()\nprint(n)',
        ...done.filesCompleted,
      ],
      { encoding: 'utf8' },
    );
    expect(Number(counted)).toBe(offered);

    // kill the emulator: reconnecting, with an alarm
    await call('live.alarms.configure', { thresholds: { disconnectedSeconds: 0 } });
    daq.kill('SIGKILL');
    await until(() => status?.state === 'reconnecting', 120_000, 'reconnecting');
    await until(() => !!alarms?.active.some((a) => a.kind === 'source-disconnected'), 120_000, 'source-disconnected alarm');
    expect(status!.reconnectAttempt).toBeGreaterThanOrEqual(1);
    // the header's run-control status says so too
    expect((await call('live.status', {})).state).toBe('reconnecting');
    const before = (await call('live.status', {})).counters.processed;

    // restart it: the run recovers without anyone touching it
    daq = await startDaq(port);
    await until(() => status?.state === 'running', 120_000, 'running again');
    await until(() => (status?.counters.processed ?? 0) > before + 100, 300_000, 'events after the restart');
    await until(() => !alarms?.active.some((a) => a.kind === 'source-disconnected'), 120_000, 'alarm cleared');

    const stopped = await call('live.disconnect', {});
    expect(stopped.state).toBe('stopped');
    // nothing vanishes: once the batches in flight are back, every received event was processed or dropped with a reason
    let c = (await call('live.status', {})).counters;
    await until(
      () => {
        c = session.live.status().counters;
        return c.processed + c.dropped + c.queued === c.received;
      },
      120_000,
      'the batches in flight back',
    );
    expect(c.processed + c.dropped + c.queued).toBe(c.received);
    expect(hist!.events).toBeLessThanOrEqual(c.processed);

    // start reconnects to the same DAQ; live.simulate brings back the simulated array, which feeds the aggregation
    expect((await call('live.control', { action: 'start' })).state).toMatch(/connecting|running/);
    await until(() => status?.state === 'running' && status.source === 'daq', 120_000, 'DAQ running again');
    const sim = await call('live.simulate', { rateHz: 50 });
    expect(sim.source).toBe('simulation');
    expect(sim.state).toBe('running');
    await until(() => hist?.source === 'simulation' && hist.events > 20, 300_000, 'simulated events in the histograms');
    const theta2 = hist!.histograms.find((h) => h.name === 'theta2')!;
    expect(theta2.total).toBe(hist!.events);
    await call('live.control', { action: 'stop' });
  }, 1_800_000);
});
