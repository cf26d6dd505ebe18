/** `lightpool serve`: the UI and API for any browser, over HTTP and WebSocket. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Session } from '../../session/session.js';
import { DataDirectories } from '../../files/file-access.js';
import { startServer } from '../../server/serve.js';
import { hostName } from '../../server/host-allow-list.js';
import { DEFAULT_LIMITS } from '../../server/serve-limits.js';
import { keepServingOnUncaughtErrors } from '../last-resort.js';
import { logger } from '../../util/log.js';

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

function parseConnections(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('the connection cap is an integer from 1 to 10,000');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectHost(value: string, previous: string[]): string[] {
  if (!hostName(value)) throw new InvalidArgumentError(`"${value}" is not a host name (e.g. lightpool.example.org)`);
  return [...previous, value];
}

interface ServeCliOptions {
  port: number;
  host: string;
  token?: string;
  viewToken?: string;
  dataDir: string[];
  allowHost: string[];
  maxConnections: number;
  rate: number;
  sim: boolean;
  layout: 'default' | 'lst' | 'cta-south';
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Lightpool UI and API over HTTP/WebSocket (the live simulated array by default; FILEs are opened at start)')
    .argument('[files...]', 'HDF5 files to open at start (ctapipe DL1, WatChMaL, or any HDF5 to browse)')
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', parsePort, 8080)
    .option('--host <address>', 'address to bind; anything but loopback requires a token', '127.0.0.1')
    .option('--token <token>', 'access token for full control, at least 16 characters (generated when a token is needed and none is given)')
    .option('--view-token <token>', 'access token for read-only viewers, at least 16 characters (generated when a token is needed and none is given)')
    .option(
      '--data-dir <dir>',
      'a folder files may be read from and written to (repeatable; default: the working directory and the folders of the FILEs)',
      collect,
      [],
    )
    .option('--allow-host <name>', 'another Host name to answer, e.g. the name a reverse proxy forwards (repeatable)', collectHost, [])
    .option('--max-connections <n>', 'API connections at once', parseConnections, DEFAULT_LIMITS.maxConnections)
    .option('--rate <hz>', 'event rate of the simulated array, Hz', parseRate, 10)
    .option('--no-sim', 'do not start the simulated array')
    .addOption(
      new Option(
        '--layout <name>',
        'layout of the simulated array: default (4 LST + 4 MST), lst (the 4 LSTs alone) or cta-south (55 telescopes: 4 LST + 14 MST + 37 SST)',
      )
        .choices(['default', 'lst', 'cta-south'])
        .default('default'),
    )
    .action(async (files: string[], opts: ServeCliOptions) => {
      const dirs = opts.dataDir.length ? opts.dataDir : [process.cwd(), ...files.map((f) => dirname(resolve(f)))];
      // a FILE's folder that does not exist is reported when the FILE cannot be opened
      const access = await DataDirectories.create(opts.dataDir.length ? dirs : await existingDirs(dirs));
      const session = new Session({ autoStart: opts.sim, rateHz: opts.rate, layout: opts.layout, access });
      let server;
      try {
        server = await startServer(session, {
          host: opts.host,
          port: opts.port,
          token: opts.token,
          viewToken: opts.viewToken,
          allowHosts: opts.allowHost,
          limits: { maxConnections: opts.maxConnections },
        });
      } catch (err) {
        await session.close();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new Error(`port ${opts.port} on ${opts.host} is already in use; choose another with --port (0 picks a free one)`);
        if (e.code === 'EADDRNOTAVAIL') throw new Error(`cannot bind ${opts.host}: no such address on this machine`);
        throw err;
      }
      keepServingOnUncaughtErrors(logger('serve'));
      if (server.tokenGenerated) {
        process.stdout.write(
          `Access token (generated, full control; required because ${opts.token === undefined && opts.viewToken !== undefined ? 'a view token was given' : `${opts.host} is not a loopback address`}): ${server.token}\n`,
        );
      }
      process.stdout.write(`Lightpool is serving at ${server.url}\n`);
      if (server.viewUrl) process.stdout.write(`Read-only viewers: ${server.viewUrl}${server.viewTokenGenerated ? ' (view token generated)' : ''}\n`);
      process.stdout.write(`Data directories: ${access.roots.join(', ')}\n`);
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

async function existingDirs(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) if ((await stat(d).catch(() => undefined))?.isDirectory()) out.push(d);
  return out;
}
