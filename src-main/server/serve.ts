/**
 * Serve mode: the renderer bundle over HTTP and the API over WebSocket, from
 * one port. Bound to 127.0.0.1 unless told otherwise; on any other address,
 * or with --token / --view-token, a token is required for the page and the
 * API alike, and decides the connection's role (token.ts).
 *
 * Every request is read by request-guard.ts first (400 for what cannot be
 * read, 403 for a foreign Host or Origin), then authorised (authorise.ts);
 * the handlers below catch whatever else goes wrong and answer 500, so no
 * request can end the process. Limits (serve-limits.ts): connections, queued
 * bytes per connection, requests per second, wrong tokens per address.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Session } from '../session/session.js';
import { rendererDir } from '../util/dist-paths.js';
import { errorMessage } from '../util/errors.js';
import { logger } from '../util/log.js';
import { attachApiSocket, type ApiSocketInfo } from './api-socket.js';
import { AuthThrottle } from './auth-throttle.js';
import { authorise } from './authorise.js';
import { hostAllowList } from './host-allow-list.js';
import { guardRequest, TOKEN_COOKIE } from './request-guard.js';
import { DEFAULT_LIMITS, type ServeLimits } from './serve-limits.js';
import { sendText, serveStatic } from './static-files.js';
import { tokenSettings } from './token.js';
import { MAX_INCOMING_BYTES } from './ws-channel.js';

const log = logger('serve');

export interface ServeOptions {
  host: string;
  port: number;
  /** full control; generated when a token is needed and none is given */
  token?: string;
  /** read-only viewers; generated when a token is needed and none is given */
  viewToken?: string;
  /** further Host names to answer (a reverse proxy's, a DNS name of the machine) */
  allowHosts?: string[];
  limits?: Partial<ServeLimits>;
}

export interface DroppedClient {
  peer: string;
  reason: string;
  /** the most bytes that were queued for it at once */
  peakQueuedBytes: number;
}

export interface RunningServer {
  /** the URL with full control (with the token when one is needed) */
  url: string;
  /** the URL for read-only viewers, when tokens are in use */
  viewUrl?: string;
  host: string;
  port: number;
  token?: string;
  viewToken?: string;
  tokenGenerated: boolean;
  viewTokenGenerated: boolean;
  limits: ServeLimits;
  /** 'dropped': a client was disconnected for not reading or flooding */
  events: EventEmitter<{ dropped: [DroppedClient] }>;
  /** the open API connections */
  connections(): ApiSocketInfo[];
  close(): Promise<void>;
}

export async function startServer(session: Session, options: ServeOptions): Promise<RunningServer> {
  const tokens = tokenSettings(options.host, options.token, options.viewToken);
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const allowedHosts = hostAllowList(options.host, options.allowHosts);
  const throttle = new AuthThrottle({ maxFailures: limits.wrongTokensPerMinute });
  const root = rendererDir();
  const events = new EventEmitter<{ dropped: [DroppedClient] }>();
  const sockets = new Set<ApiSocketInfo>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const g = guardRequest(req, allowedHosts);
    if (!g.ok) {
      log.warn(`refused HTTP request from ${req.socket.remoteAddress}: ${g.reason}`);
      sendText(res, g.status, `Lightpool: ${g.reason}`);
      return;
    }
    const auth = authorise(g.request, tokens, throttle);
    if (!auth.ok) {
      log.warn(`refused ${req.method} ${g.request.pathname} from ${g.request.address}: ${auth.reason}`);
      sendText(
        res,
        auth.status,
        auth.status === 429
          ? `Lightpool: ${auth.reason}`
          : 'Lightpool: this server requires an access token. Open the URL printed by `lightpool serve`, which ends in ?token=...',
      );
      return;
    }
    const cookie: Record<string, string> =
      tokens && g.request.token ? { 'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(g.request.token)}; HttpOnly; SameSite=Strict; Path=/` } : {};
    serveStatic(root, g.request.pathname, res, cookie).catch((err: unknown) => {
      log.error(`serving ${g.request.pathname}: ${errorMessage(err)}`);
      sendText(res, 500, 'internal error');
    });
  };

  const http = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch (err) {
      log.error(`HTTP request ${JSON.stringify(req.url?.slice(0, 200))} from ${req.socket.remoteAddress} failed: ${errorMessage(err)}`);
      sendText(res, 500, 'internal error');
    }
  });
  // idle or slow connections do not hold a place for long; and not too many at once
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;
  http.maxConnections = limits.maxConnections * 2;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_BYTES, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, why: string) => {
      log.warn(`refused WebSocket from ${req.socket.remoteAddress}: ${why}`);
      const text =
        {
          400: 'Bad Request',
          401: 'Unauthorized',
          403: 'Forbidden',
          404: 'Not Found',
          429: 'Too Many Requests',
          500: 'Internal Server Error',
          503: 'Service Unavailable',
        }[status] ?? 'Refused';
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const g = guardRequest(req, allowedHosts);
    if (!g.ok) return refuse(g.status, g.reason);
    if (g.request.pathname !== '/api') return refuse(404, `no WebSocket at ${g.request.pathname}`);
    const auth = authorise(g.request, tokens, throttle);
    if (!auth.ok) return refuse(auth.status, auth.reason);
    if (sockets.size >= limits.maxConnections) return refuse(503, `${sockets.size} connections already, the most this server takes (--max-connections)`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const peer = `ws ${req.socket.remoteAddress}:${req.socket.remotePort}`;
      const info = attachApiSocket(ws, peer, auth.role, session, limits, Boolean(tokens), (p, reason, peakQueuedBytes) =>
        events.emit('dropped', { peer: p, reason, peakQueuedBytes }),
      );
      sockets.add(info);
      ws.on('close', () => sockets.delete(info));
    });
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug(`upgrade socket: ${err.message}`));
    try {
      onUpgrade(req, socket, head);
    } catch (err) {
      log.error(`WebSocket upgrade ${JSON.stringify(req.url?.slice(0, 200))} from ${req.socket.remoteAddress} failed: ${errorMessage(err)}`);
      socket.destroy();
    }
  });
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    log.debug(`bad request from ${socket.remoteAddress}: ${err.code ?? err.message}`);
    if (socket.writable && !socket.writableEnded) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  http.on('error', (err) => log.error(`HTTP server: ${err.message}`));
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host.replace(/^\[|\]$/g, '')}]` : options.host;
  const base = `http://${hostForUrl}:${port}/`;
  return {
    url: tokens ? `${base}?token=${encodeURIComponent(tokens.control)}` : base,
    viewUrl: tokens ? `${base}?token=${encodeURIComponent(tokens.view)}` : undefined,
    host: options.host,
    port,
    token: tokens?.control,
    viewToken: tokens?.view,
    tokenGenerated: tokens?.generated.control ?? false,
    viewTokenGenerated: tokens?.generated.view ?? false,
    limits,
    events,
    connections: () => [...sockets],
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
