/**
 * Electron transport: the preload hands the main world a MessagePort to the
 * main process (Electron's documented pattern for context-isolated pages);
 * messages are structured clones, so typed arrays need no encoding.
 */
import type { RequestMessage, ServerMessage } from '../../src-main/api/contract.js';
import type { ConnectionState, Transport } from './api-client.js';

export class IpcTransport implements Transport {
  readonly kind = 'electron-ipc' as const;
  private port: MessagePort | undefined;
  private queue: RequestMessage[] = [];
  private messageListener: (m: ServerMessage) => void = () => {};
  private stateListener: (s: ConnectionState, detail: string) => void = () => {};

  constructor(bridge: LightpoolBridge) {
    window.addEventListener('message', (e: MessageEvent) => {
      if (e.source !== window || e.data !== 'lightpool:port' || !e.ports[0]) return;
      const port = e.ports[0];
      this.port = port;
      port.onmessage = (m: MessageEvent) => this.messageListener(m.data as ServerMessage);
      port.start();
      this.stateListener('open', 'connected to the desktop backend');
      for (const q of this.queue) port.postMessage(q);
      this.queue = [];
    });
    queueMicrotask(() => {
      this.stateListener('connecting', 'connecting to the desktop backend');
      bridge.connect();
    });
  }

  send(message: RequestMessage): void {
    if (this.port) this.port.postMessage(message);
    else this.queue.push(message);
  }

  onMessage(listener: (m: ServerMessage) => void): void {
    this.messageListener = listener;
  }

  onState(listener: (s: ConnectionState, detail: string) => void): void {
    this.stateListener = listener;
  }
}
