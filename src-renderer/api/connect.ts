/** Chooses the transport: Electron IPC inside the desktop app, WebSocket in a browser. */
import { ApiClient } from './api-client.js';
import { IpcTransport } from './ipc-transport.js';
import { WsTransport } from './ws-transport.js';

export function connectApi(): ApiClient {
  if (window.lightpool) return new ApiClient(new IpcTransport(window.lightpool));
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return new ApiClient(new WsTransport(url));
}
