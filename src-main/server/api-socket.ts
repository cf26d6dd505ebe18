/**
 * One API WebSocket of serve mode: the connection to the session with the
 * role its token granted, its sender (ws-channel.ts), and the request-rate
 * cap. A connection that sends far more than the cap allows, or does not read
 * what it is sent, is disconnected with the reason in the log.
 */
import type { WebSocket } from 'ws';
import type { Role } from '../api/contract.js';
import { ApiConnection } from '../session/api-connection.js';
import type { Session } from '../session/session.js';
import { logger } from '../util/log.js';
import { RequestRate } from './request-rate.js';
import type { ServeLimits } from './serve-limits.js';
import { WsChannel, decodeIncoming, receiveWsMessage } from './ws-channel.js';

const log = logger('serve');

/** a refused request smaller than this is decoded to answer it under its id */
const DECODE_REFUSED_BELOW = 64 * 1024;

export interface ApiSocketInfo {
  peer: string;
  role: Role;
  channel: WsChannel;
}

export function attachApiSocket(
  ws: WebSocket,
  peer: string,
  role: Role,
  session: Session,
  limits: ServeLimits,
  tokenRequired: boolean,
  onDrop: (peer: string, reason: string, peakQueuedBytes: number) => void,
): ApiSocketInfo {
  const channel: WsChannel = new WsChannel(ws, peer, limits, (reason) => {
    log.warn(`${peer} disconnected: ${reason}`);
    onDrop(peer, reason, channel.peakQueuedBytes);
  });
  const connection = new ApiConnection(session, channel, { transport: 'websocket', tokenRequired, role });
  const rate = new RequestRate(limits.requestsPerSecond, limits.requestBurst);
  let refusedInARow = 0;
  ws.on('message', (data, isBinary) => {
    const buffers = data as Buffer | ArrayBuffer | Buffer[];
    if (rate.take()) {
      refusedInARow = 0;
      receiveWsMessage(connection, buffers, isBinary);
      return;
    }
    if (++refusedInARow > 4 * limits.requestBurst) {
      const reason = `sent more than ${4 * limits.requestBurst} requests over the cap of ${limits.requestsPerSecond} per second`;
      log.warn(`${peer} disconnected: ${reason}`);
      onDrop(peer, reason, channel.peakQueuedBytes);
      ws.terminate();
      return;
    }
    let id = -1;
    const size = Array.isArray(buffers) ? buffers.reduce((n, b) => n + b.byteLength, 0) : buffers.byteLength;
    if (size < DECODE_REFUSED_BELOW) {
      try {
        const m = decodeIncoming(buffers, isBinary) as { id?: unknown };
        if (typeof m?.id === 'number') id = m.id;
      } catch {
        // answered without an id
      }
    }
    connection.rejectRateLimited(
      id,
      `too many requests: this server answers at most ${limits.requestsPerSecond} per second per connection (${limits.requestBurst} at once); try again shortly`,
    );
  });
  ws.on('close', () => {
    connection.close();
    log.info(`${peer} disconnected`);
  });
  ws.on('error', (err) => log.warn(`${peer}: ${err.message}`));
  log.info(`${peer} connected (${role})`);
  return { peer, role, channel };
}
