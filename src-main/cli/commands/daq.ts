/**
 * `lightpool daq`: a DAQ emulator speaking the Lightpool DAQ protocol
 * (src-main/daq/protocol/daq-protocol.md) over TCP, or with --zmq the same frames
 * from a ZeroMQ publisher, for tests and shifter training: the simulated
 * array, a DL1 file's images replayed, or a sim_telarray file's events
 * calibrated to images, with their R1 waveforms (the protocol's waveform
 * block; --no-waveforms leaves them out).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { DaqServer } from '../../daq/emulator/daq-server.js';
import { ReplayEvents, SimulatedEvents, type EmulatorEvents } from '../../daq/emulator/emulator-events.js';
import { SimtelReplayEvents } from '../../daq/emulator/simtel-replay-events.js';
import { isSimtelPath } from '../../process/process-simtel.js';

function positive(what: string, max: number) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isFinite(v) || v <= 0 || v > max) throw new InvalidArgumentError(`${what} must be a number > 0 and ≤ ${max}`);
    return v;
  };
}

function port(value: string): number {
  const p = Number(value);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return p;
}

interface DaqOptions {
  sim?: boolean;
  replay?: string;
  rate: number;
  port: number;
  host: string;
  seed: number;
  pool: number;
  loop: boolean;
  events?: number;
  regular?: boolean;
  quiet?: boolean;
  zmq?: boolean;
  waveforms: boolean;
  waveformEncoding: string;
}

export function registerDaq(program: Command): void {
  program
    .command('daq')
    .description(
      'run a DAQ emulator: serve array events over TCP (or ZeroMQ with --zmq) in the Lightpool DAQ protocol (see src-main/daq/protocol/daq-protocol.md)',
    )
    .option('--sim', 'serve the simulated array (4 LST + 4 MST)')
    .option(
      '--replay <file>',
      "replay a ctapipe DL1 file's images, or a sim_telarray file's events (.simtel, .simtel.gz, .simtel.zst: calibrated as ctapipe does, with R1 waveforms) (its subarray, obs_id and event_id)",
    )
    .option('--no-waveforms', 'sim_telarray replay: send the images without the R1 waveform block')
    .option('--waveform-encoding <kind>', 'sim_telarray replay: waveform samples as float32 or int16 (scaled; half the bytes)', 'float32')
    .option('--rate <hz>', 'mean event rate, Hz (Poisson arrivals)', positive('the rate', 1e6), 100)
    .option('-p, --port <port>', 'TCP port to listen on, or to bind the ZeroMQ publisher at (0 picks a free one)', port, 5555)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--seed <n>', 'random seed of the simulation', (v) => Number.parseInt(v, 10), 1)
    .option('--pool <n>', 'simulated events generated at start and cycled (new ids and times)', (v) => Number.parseInt(v, 10), 500)
    .option('--no-loop', 'replay: stop after the last event of the file')
    .option('--events <n>', 'stop after this many events', (v) => Number.parseInt(v, 10))
    .option('--regular', 'constant spacing instead of Poisson arrivals')
    .option('--zmq', 'publish the same frames on a ZeroMQ PUB socket (clients connect to zmq+tcp://HOST:PORT) instead of serving TCP')
    .option('-q, --quiet', 'no statistics lines')
    .action(async (opts: DaqOptions) => {
      if (opts.sim && opts.replay) throw new Error('choose one source of events: --sim or --replay FILE, not both');
      if (!opts.sim && !opts.replay)
        throw new Error('choose the events to serve: --sim (the simulated array) or --replay FILE (a ctapipe DL1 file or a sim_telarray file)');
      let source: EmulatorEvents;
      if (opts.waveformEncoding !== 'float32' && opts.waveformEncoding !== 'int16')
        throw new Error(`--waveform-encoding ${opts.waveformEncoding}: use float32 or int16`);
      let simtel: SimtelReplayEvents | undefined;
      if (opts.replay) {
        const path = resolve(opts.replay);
        try {
          if (isSimtelPath(path)) {
            source = simtel = SimtelReplayEvents.open(path, { loop: opts.loop, waveforms: opts.waveforms, waveformEncoding: opts.waveformEncoding });
          } else source = await ReplayEvents.open(path, opts.loop);
        } catch (err) {
          throw new Error(`cannot replay ${path}: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else {
        source = new SimulatedEvents(Math.max(1, opts.pool), opts.seed);
      }
      const server = new DaqServer(source, {
        port: opts.port,
        host: opts.host,
        rateHz: opts.rate,
        maxEvents: opts.events,
        regular: opts.regular,
        seed: opts.seed,
        transport: opts.zmq ? 'zmq' : 'tcp',
      });
      try {
        await server.listen();
      } catch (err) {
        await source.close();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE' || /address already in use/i.test(e.message))
          throw new Error(`port ${opts.port} on ${opts.host} is already in use; choose another with --port (0 picks a free one)`);
        throw err;
      }
      const what = opts.replay
        ? `replaying ${opts.replay}${simtel ? `, R1 waveforms: ${opts.waveforms ? opts.waveformEncoding : 'off'}` : ''}`
        : `simulated array "${source.subarray.name}"`;
      const how = opts.zmq ? 'ZeroMQ publisher, one message per event' : 'TCP';
      process.stdout.write(`DAQ emulator listening on ${server.url} (${what}, ${opts.rate} Hz, ${how})\n`);
      server.on('client', (peer) => process.stdout.write(`client connected: ${peer}\n`));
      server.on('client-gone', (peer) => process.stdout.write(`client gone: ${peer}\n`));
      let last = { events: 0, t: performance.now() };
      const stats = setInterval(() => {
        if (opts.quiet) return;
        const s = server.stats;
        const now = performance.now();
        const rate = ((s.events - last.events) * 1000) / (now - last.t);
        last = { events: s.events, t: now };
        process.stdout.write(
          `events ${s.events} (${rate.toFixed(0)} Hz), clients ${s.clients}, ${opts.zmq ? 'slow subscribers lose events in ZeroMQ (they count the event-id gaps)' : `dropped for slow clients ${s.droppedForSlowClients}`}, late ${s.late}, ${(s.bytes / 1e6).toFixed(1)} MB sent\n`,
        );
      }, 5000);
      const shutdown = async (code: number) => {
        clearInterval(stats);
        await server.close();
        process.exit(code);
      };
      server.on('done', () => {
        for (const n of simtel?.notes ?? []) process.stdout.write(`note: ${n}\n`);
        if (simtel?.error) process.stderr.write(`replay stopped: ${simtel.error.message}\n`);
        const sent = server.stats.events;
        process.stdout.write(`sent ${sent} ${sent === 1 ? 'event' : 'events'}; stopping\n`);
        // nothing to send, or a file that stopped with a problem: not a success for a script waiting on us
        const nothing = sent === 0 && opts.replay !== undefined;
        if (nothing && !simtel?.error)
          process.stderr.write(
            `nothing to replay: ${opts.replay} has no array events${simtel ? ' (calibration events are not replayed, as ctapipe-process skips them)' : ''}\n`,
          );
        setTimeout(() => void shutdown(simtel?.error || nothing ? 1 : 0), 200);
      });
      process.once('SIGINT', () => void shutdown(0));
      process.once('SIGTERM', () => void shutdown(0));
    });
}
