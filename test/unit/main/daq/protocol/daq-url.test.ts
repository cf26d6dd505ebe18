/**
 * DAQ addresses: tcp:// and zmq+tcp:// (zmq://) parse to their transport,
 * openDaqClient picks the matching client, and the API's live.connect
 * schema accepts exactly what the parser accepts (the UI's connect field
 * and `lightpool record --source` go through the same two).
 */
import { describe, expect, it } from 'vitest';
import { parseDaqUrl, zmqEndpoint } from '../../../../../src-main/daq/protocol/daq-url.js';
import { DaqClient, openDaqClient } from '../../../../../src-main/daq/client/daq-client.js';
import { DaqZmqClient } from '../../../../../src-main/daq/client/daq-zmq-client.js';
import { liveRequestSchemas } from '../../../../../src-main/api/live-contract.js';

const connect = liveRequestSchemas['live.connect'];

describe('DAQ addresses', () => {
  it('parses tcp:// and zmq+tcp:// (zmq://) to their transport', () => {
    expect(parseDaqUrl('tcp://127.0.0.1:5555')).toEqual({ transport: 'tcp', host: '127.0.0.1', port: 5555 });
    expect(parseDaqUrl('zmq+tcp://daq.example:6000')).toEqual({ transport: 'zmq', host: 'daq.example', port: 6000 });
    expect(parseDaqUrl('zmq://[::1]:6000')).toEqual({ transport: 'zmq', host: '::1', port: 6000 });
    expect(zmqEndpoint(parseDaqUrl('zmq://[::1]:6000'))).toBe('tcp://[::1]:6000');
  });

  it('says what a DAQ address looks like when it is not one', () => {
    for (const bad of ['udp://h:1', 'zmq+ipc://h:1', 'tcp://h', 'h:5555', 'zmq+tcp://h:0']) {
      expect(() => parseDaqUrl(bad), bad).toThrow(/not a DAQ address; write tcp:\/\/host:port .* zmq\+tcp:\/\/host:port|out of range/);
    }
  });

  it('opens the client of the transport', () => {
    const t = openDaqClient('tcp://127.0.0.1:5555');
    const z = openDaqClient('zmq+tcp://127.0.0.1:5555');
    expect(t).toBeInstanceOf(DaqClient);
    expect(z).toBeInstanceOf(DaqZmqClient);
    t.close();
    z.close();
  });

  it('live.connect accepts the same addresses', () => {
    for (const url of ['tcp://127.0.0.1:5555', 'zmq+tcp://127.0.0.1:5555', 'zmq://daq-1.example:6000']) {
      expect(connect.safeParse({ url }).success, url).toBe(true);
      expect(() => parseDaqUrl(url)).not.toThrow();
    }
    const r = connect.safeParse({ url: 'udp://127.0.0.1:5555' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/zmq\+tcp:\/\/host:port for a ZeroMQ publisher/);
  });
});
