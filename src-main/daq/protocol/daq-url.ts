/**
 * Addresses of DAQ streams: `tcp://host:port` (the protocol's frames over a
 * TCP byte stream) or `zmq+tcp://host:port` (`zmq://host:port` is the same):
 * the same frames, whole frames in each ZeroMQ message part, from a ZeroMQ publisher
 * (see daq-protocol.md).
 */

export type DaqTransport = 'tcp' | 'zmq';

export interface DaqAddress {
  transport: DaqTransport;
  host: string;
  port: number;
}

/** the URL schemes a DAQ address may start with, and their transport */
const schemes: Record<string, DaqTransport> = { tcp: 'tcp', 'zmq+tcp': 'zmq', zmq: 'zmq' };

export function parseDaqUrl(url: string): DaqAddress {
  const m = /^([a-z+]+):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(url);
  const transport = m ? schemes[m[1]] : undefined;
  if (!m || !transport) {
    throw new Error(`"${url}" is not a DAQ address; write tcp://host:port (e.g. tcp://127.0.0.1:5555) or, for a ZeroMQ publisher, zmq+tcp://host:port`);
  }
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`"${url}": port ${port} is out of range 1-65535`);
  return { transport, host: m[2].replace(/^\[|\]$/g, ''), port };
}

/** the ZeroMQ endpoint of an address (IPv6 hosts in brackets, as ZeroMQ wants them) */
export function zmqEndpoint(a: DaqAddress): string {
  return `tcp://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
