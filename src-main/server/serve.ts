/**
 * Serve mode: the renderer bundle over HTTP and the API over WebSocket, from
 * one port. Bound to 127.0.0.1 unless told otherwise; on any other address a
 * token is required (generated if not given) for the page and the API alike.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { ApiConnection } from '../backend/api-connection.js';
import type { Session } from '../backend/session.js';
import { rendererDir } from '../util/dist-paths.js';
import { logger } from '../util/log.js';
import { serveStatic } from './static-files.js';
import { generateToken, isLoopback, tokenFromRequest, tokenMatches } from './token.js';
import { MAX_INCOMING_BYTES, WsChannel, receiveWsMessage } from './ws-channel.js';

const log = logger('serve');

export interface ServeOptions {
  host: string;
  port: number;
  /** required when binding a non-loopback address; generated when missing there */
  token?: string;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token?: string;
  tokenGenerated: boolean;
  close(): Promise<void>;
}

export async function startServer(session: Session, options: ServeOptions): Promise<RunningServer> {
  let token = options.token;
  let tokenGenerated = false;
  if (!token && !isLoopback(options.host)) {
    token = generateToken();
    tokenGenerated = true;
  }
  const root = rendererDir();
  const authorised = (req: IncomingMessage, url: URL) => !token || tokenMatches(token, tokenFromRequest(url, req.headers.cookie));

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end('method not allowed');
      return;
    }
    if (!authorised(req, url)) {
      log.warn(`refused ${req.method} ${url.pathname} from ${req.socket.remoteAddress}: missing or wrong token`);
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Lightpool: this server requires an access token. Open the URL printed by `lightpool serve`, which ends in ?token=...\n');
      return;
    }
    const cookie: Record<string, string> = token ? { 'Set-Cookie': `lightpool_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/` } : {};
    void serveStatic(root, url.pathname, res, cookie);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_BYTES });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, why: string) => {
      log.warn(`refused WebSocket from ${req.socket.remoteAddress}: ${why}`);
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!authorised(req, url)) return refuse(401, 'Unauthorized');
    // a page from another origin must not drive the API through the user's browser
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const peer = `ws ${req.socket.remoteAddress}:${req.socket.remotePort}`;
      const connection = new ApiConnection(session, new WsChannel(ws, peer), { transport: 'websocket', tokenRequired: Boolean(token) });
      log.info(`${peer} connected`);
      ws.on('message', (data, isBinary) => receiveWsMessage(connection, data, isBinary));
      ws.on('close', () => {
        connection.close();
        log.info(`${peer} disconnected`);
      });
      ws.on('error', (err) => log.warn(`${peer}: ${err.message}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  http.on('error', (err) => log.error(`HTTP server: ${err.message}`));
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return {
    url,
    host: options.host,
    port,
    token,
    tokenGenerated,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
