/** `lightpool serve`: the UI and API for any browser, over HTTP and WebSocket. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { Session } from '../../backend/session.js';
import { startServer } from '../../server/serve.js';
import { resolve } from 'node:path';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return port;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) throw new InvalidArgumentError('the rate is a number of events per second, >0 and ≤100,000');
  return rate;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Lightpool UI and API over HTTP/WebSocket (the live simulated array by default; FILEs are opened at start)')
    .argument('[files...]', 'HDF5 files to open at start (ctapipe DL1, WatChMaL, or any HDF5 to browse)')
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', parsePort, 8080)
    .option('--host <address>', 'address to bind; anything but loopback requires a token', '127.0.0.1')
    .option('--token <token>', 'access token required from every client (generated when binding a non-loopback address)')
    .option('--rate <hz>', 'event rate of the simulated array, Hz', parseRate, 10)
    .option('--no-sim', 'do not start the simulated array')
    .addOption(new Option('--layout <name>', 'layout of the simulated array: default (4 LST + 4 MST) or lst (the 4 LSTs alone)').choices(['default', 'lst']).default('default'))
    .action(async (files: string[], opts: { port: number; host: string; token?: string; rate: number; sim: boolean; layout: 'default' | 'lst' }) => {
      const session = new Session({ autoStart: opts.sim, rateHz: opts.rate, layout: opts.layout });
      let server;
      try {
        server = await startServer(session, { host: opts.host, port: opts.port, token: opts.token });
      } catch (err) {
        await session.close();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new Error(`port ${opts.port} on ${opts.host} is already in use; choose another with --port (0 picks a free one)`);
        if (e.code === 'EADDRNOTAVAIL') throw new Error(`cannot bind ${opts.host}: no such address on this machine`);
        throw err;
      }
      if (server.tokenGenerated) {
        process.stdout.write(`Access token (generated, required because ${opts.host} is not a loopback address): ${server.token}\n`);
      }
      process.stdout.write(`Lightpool is serving at ${server.url}\n`);
      for (const file of files) {
        try {
          const f = await session.files.open(resolve(file));
          process.stdout.write(`opened ${f.path}: ${f.summary}\n`);
        } catch (err) {
          process.stderr.write(`Lightpool: could not open ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
      const shutdown = async () => {
        process.stdout.write('Lightpool: shutting down\n');
        await server.close();
        await session.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
