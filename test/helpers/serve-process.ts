/**
 * `lightpool serve` as a separate process (the built CLI in dist/), for tests
 * that must see the process survive what a client sends, and raw HTTP over a
 * TCP socket for requests `fetch` refuses to send (bad targets, bad headers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const LIGHTPOOL_BIN = fileURLToPath(new URL('../../bin/lightpool.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** everything printed on stdout and stderr so far */
  output(): string;
  /** true while the process has not exited */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts `lightpool serve ARGS` and resolves once it prints the URL it serves at. */
export function startServe(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; ms?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [LIGHTPOOL_BIN, 'serve', ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LIGHTPOOL_LOG: 'info', ...options.env },
  });
  let text = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const ms = options.ms ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lightpool serve ${args.join(' ')} printed no URL within ${ms} ms: ${text}`));
    }, ms);
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /serving at (\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (x: Buffer) => (text += x.toString()));
        resolve({
          child,
          url: m[1],
          port: Number(new URL(m[1]).port),
          output: () => text,
          alive: () => !exited,
          stop: async () => {
            if (!exited) child.kill('SIGTERM');
            await exit;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lightpool serve ${args.join(' ')} exited with ${code}: ${text}`));
    });
  });
}

export interface RawResponse {
  /** the status code of the first response line, 0 when the server closed without answering */
  status: number;
  /** everything the server sent (headers and body) */
  text: string;
}

/**
 * Sends `request` (raw bytes, e.g. "GET / HTTP/1.1\r\nHost: ...\r\n\r\n") on a
 * new TCP connection and resolves with what comes back once the server closes
 * the connection or `ms` have passed (then the socket is closed by us).
 */
export function rawHttp(port: number, request: string | Uint8Array, ms = 10_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    const timer = setTimeout(finish, ms);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => {
      text += d.toString('latin1');
      // one response is enough: stop at the end of its headers when it has no body, or after its body
      const head = text.indexOf('\r\n\r\n');
      if (head >= 0) {
        const length = /content-length: *(\d+)/i.exec(text.slice(0, head));
        if (length && text.length - head - 4 >= Number(length[1])) finish();
        if (/^HTTP\/1\.1 101/.test(text)) finish();
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}
