/**
 * Where the DAQ emulator's server (daq-server.ts) puts its frames: TCP
 * connections (daq-tcp-output.ts) or a ZeroMQ publisher
 * (daq-zmq-output.ts). The bytes are the same; an output only decides who
 * gets them and what a slow client loses (whole events, never part of one).
 */

export interface DaqOutputStats {
  /** events dropped for slow clients, summed over clients (as far as the transport tells) */
  droppedForSlowClients: number;
  /** bytes handed to the transport */
  bytes: number;
}

export interface DaqOutputListener {
  /** a client connected (TCP) or subscribed (ZeroMQ) */
  client(peer: string): void;
  'client-gone'(peer: string): void;
}

export interface DaqOutput {
  /** binds the port (0: a free one); resolves with the port */
  listen(host: string, port: number): Promise<number>;
  /** the URL a client connects to */
  url(host: string, port: number): string;
  /** clients connected now */
  readonly clients: number;
  /** true when no client could take an event now (every one is behind): the server then skips encoding it */
  readonly congested: boolean;
  /** counts `n` events dropped for every client, without encoding them (while congested) */
  dropForAll(n: number): void;
  /** sends whole events (each the concatenated frames of one event, encodeDaqEvent) */
  sendEvents(events: Uint8Array[]): void;
  /** sends a heartbeat frame to every client */
  sendFrame(frame: Uint8Array): void;
  clientStats(): { peer: string; sent: number; dropped: number }[];
  close(): Promise<void>;
}
