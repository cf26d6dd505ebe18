/** The Electron transport of the API: a MessagePortMain to the renderer's main world. */
import type { MessagePortMain } from 'electron';
import type { ServerMessage } from '../api/contract.js';
import type { Channel } from '../session/api-connection.js';

export class PortChannel implements Channel {
  private open = true;

  constructor(
    private readonly port: MessagePortMain,
    readonly peer: string,
  ) {
    port.on('close', () => (this.open = false));
  }

  send(message: ServerMessage): void {
    // structured clone: typed arrays travel as they are
    if (this.open) this.port.postMessage(message);
  }

  ready(): boolean {
    return this.open;
  }
}
