/**
 * Issue 12, item 4 (DNS rebinding): a request whose Host and Origin both name
 * a foreign host is refused, page and API alike; the names of the machine
 * (loopback names, the bound address, --allow-host names) are answered at
 * any port (an SSH tunnel to another local port), and a page from another
 * origin still cannot open the API. Real servers on loopback.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../../src-main/session/session.js';
import { hostName } from '../../../../src-main/server/host-allow-list.js';
import { startServer, type RunningServer } from '../../../../src-main/server/serve.js';
import { rawHttp } from '../../../helpers/serve-process.js';

const page = (host: string, extra = '') => `GET / HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`;
const upgrade = (host: string, extra = '') =>
  `GET /api HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('Host allow-list', () => {
  let session: Session;
  let loop: RunningServer;
  let proxied: RunningServer;
  let wide: RunningServer;
  beforeAll(async () => {
    session = new Session({ autoStart: false });
    loop = await startServer(session, { host: '127.0.0.1', port: 0 });
    proxied = await startServer(session, { host: '127.0.0.1', port: 0, allowHosts: ['lightpool.example.org'] });
    wide = await startServer(session, { host: '0.0.0.0', port: 0, token: 'host-allow-list-token-1' });
  });
  afterAll(async () => {
    await loop.close();
    await proxied.close();
    await wide.close();
    await session.close();
  });

  it('refuses a rebinding page: Host and Origin both evil.example:PORT, page and API', async () => {
    const host = `evil.example:${loop.port}`;
    const p = await rawHttp(loop.port, page(host, `Origin: http://${host}\r\n`));
    expect(p.status).toBe(403);
    expect(p.text).toMatch(/Host "evil\.example" is not a name of this server/);
    expect((await rawHttp(loop.port, page(host))).status).toBe(403);
    expect((await rawHttp(loop.port, upgrade(host, `Origin: http://${host}\r\n`))).status).toBe(403);
    expect((await rawHttp(loop.port, upgrade(host))).status).toBe(403);
  });

  it('answers the loopback names, at the port or another (an SSH tunnel)', async () => {
    for (const host of [`127.0.0.1:${loop.port}`, `localhost:${loop.port}`, `[::1]:${loop.port}`, 'LOCALHOST:9000', '127.0.0.1']) {
      expect((await rawHttp(loop.port, page(host))).status, host).toBe(200);
    }
    expect((await rawHttp(loop.port, upgrade(`localhost:9000`, 'Origin: http://localhost:9000\r\n'))).status).toBe(101);
    // the bound address's neighbour is not one of its names
    expect((await rawHttp(loop.port, page(`127.0.0.2:${loop.port}`))).status).toBe(403);
  });

  it('refuses a page from another origin even with a good Host, and malformed Host values', async () => {
    expect((await rawHttp(loop.port, upgrade(`127.0.0.1:${loop.port}`, 'Origin: http://evil.example\r\n'))).status).toBe(403);
    expect((await rawHttp(loop.port, upgrade(`127.0.0.1:${loop.port}`, `Origin: http://localhost:${loop.port}\r\n`))).status).toBe(403);
    for (const bad of ['evil.example@127.0.0.1', '127.0.0.1:99999', '[::g]:1', 'a/b']) {
      expect((await rawHttp(loop.port, page(bad))).status, bad).toBe(400);
    }
  });

  it('answers --allow-host names, e.g. behind a TLS reverse proxy', async () => {
    expect((await rawHttp(proxied.port, page('lightpool.example.org'))).status).toBe(200);
    expect((await rawHttp(proxied.port, upgrade('lightpool.example.org', 'Origin: https://lightpool.example.org\r\n'))).status).toBe(101);
    expect((await rawHttp(proxied.port, page('other.example.org'))).status).toBe(403);
  });

  it('a server bound to 0.0.0.0 answers the addresses of the machine, and no other name', async () => {
    const q = `?token=${wide.token}`;
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4')
      .map((a) => a!.address);
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses) {
      const r = await rawHttp(wide.port, `GET /${q} HTTP/1.1\r\nHost: ${a}:${wide.port}\r\nConnection: close\r\n\r\n`);
      expect(r.status, a).toBe(200);
    }
    // the URL serve prints names 0.0.0.0
    expect((await rawHttp(wide.port, `GET /${q} HTTP/1.1\r\nHost: 0.0.0.0:${wide.port}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
    expect((await rawHttp(wide.port, `GET /${q} HTTP/1.1\r\nHost: evil.example:${wide.port}\r\nConnection: close\r\n\r\n`)).status).toBe(403);
  });

  it('reads Host values by the rules of the header', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost');
    expect(hostName('[::1]:80')).toBe('[::1]');
    expect(hostName('example.org.')).toBe('example.org');
    expect(hostName('')).toBeUndefined();
    expect(hostName('a b')).toBeUndefined();
  });
});
