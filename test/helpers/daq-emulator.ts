/** `lightpool daq` as a separate process, for tests of DAQ clients over TCP and ZeroMQ. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const LIGHTPOOL_BIN = fileURLToPath(new URL('../../bin/lightpool.js', import.meta.url));

export interface Emulator {
  child: ChildProcess;
  /** the URL it prints, e.g. zmq+tcp://127.0.0.1:40063 */
  url: string;
  /** everything it printed so far */
  output(): string;
  /** ends it (SIGKILL: as if it crashed) and waits until it has exited */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `lightpool daq ARGS` and resolves once it prints the URL it listens on. */
export function startEmulator(args: string[], ms = 30_000): Promise<Emulator> {
  const child = spawn(process.execPath, [LIGHTPOOL_BIN, 'daq', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const emulator = (url: string): Emulator => ({
    child,
    url,
    output: () => text,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lightpool daq ${args.join(' ')} printed no "listening on" line within ${ms} ms; output: ${text}`));
    }, ms);
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /listening on (\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(emulator(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lightpool daq ${args.join(' ')} exited with ${code}: ${text}`));
    });
  });
}
