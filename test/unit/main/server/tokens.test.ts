/**
 * Issue 12, item 8 (tokens): given tokens shorter than 16 characters are
 * refused with a message (the API and the CLI), generated ones carry at
 * least 128 random bits, and wrong-token attempts are throttled per address
 * (then even the right token waits). Real servers on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../../src-main/session/session.js';
import { AuthThrottle } from '../../../../src-main/server/auth-throttle.js';
import { startServer, type RunningServer } from '../../../../src-main/server/serve.js';
import { generateToken, tokenSettings } from '../../../../src-main/server/token.js';
import { startServe } from '../../../helpers/serve-process.js';
import { TestClient } from '../../../helpers/ws-client.js';

describe('tokens', () => {
  let session: Session;
  beforeAll(() => {
    session = new Session({ autoStart: false });
  });
  afterAll(() => session.close());

  it('refuses given tokens shorter than 16 characters, and equal control and view tokens', async () => {
    await expect(startServer(session, { host: '127.0.0.1', port: 0, token: 'secret123' })).rejects.toThrow(
      /--token must be at least 16 characters \(it was 9\)/,
    );
    await expect(startServer(session, { host: '127.0.0.1', port: 0, token: 'a-long-enough-token', viewToken: 'short' })).rejects.toThrow(
      /--view-token must be at least 16/,
    );
    await expect(startServer(session, { host: '127.0.0.1', port: 0, token: 'the-same-token-twice', viewToken: 'the-same-token-twice' })).rejects.toThrow(
      /must differ/,
    );
  });

  it('`lightpool serve --token secret123` exits with the message', async () => {
    await expect(startServe(['--port', '0', '--no-sim', '--token', 'secret123'], { ms: 20_000 })).rejects.toThrow(
      /exited with 1: .*--token must be at least 16 characters/s,
    );
  });

  it('generates tokens of at least 128 random bits, and a view token beside a given one', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const t = generateToken();
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      seen.add(t);
    }
    expect(seen.size).toBe(100);
    expect(tokenSettings('127.0.0.1')).toBeUndefined();
    const s = tokenSettings('0.0.0.0')!;
    expect(s.generated).toEqual({ control: true, view: true });
    expect(s.control).not.toBe(s.view);
    expect(tokenSettings('127.0.0.1', 'given-token-sixteen')!).toMatchObject({ control: 'given-token-sixteen', generated: { control: false, view: true } });
  });

  describe('wrong-token throttling', () => {
    const TOKEN = 'throttle-test-token-0123';
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(session, { host: '127.0.0.1', port: 0, token: TOKEN });
    });
    afterAll(() => server.close());

    it('refuses an address after 10 wrong tokens in a minute, even with the right token; a missing token is not a guess', async () => {
      const base = `http://127.0.0.1:${server.port}`;
      for (let i = 0; i < 20; i++) expect((await fetch(`${base}/`)).status).toBe(401); // no token: not counted
      expect((await fetch(`${base}/?token=${TOKEN}`)).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await fetch(`${base}/?token=wrong-${i}`)).status).toBe(401);
      const blocked = await fetch(`${base}/?token=${TOKEN}`);
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toMatch(/too many wrong tokens from 127\.0\.0\.1; try again in \d+ s/);
      await expect(TestClient.connect(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`)).rejects.toThrow(/429/);
    });
  });

  it('lets an address try again once its wrong tokens are older than the window', () => {
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) t.failed('10.0.0.1', 1000 + i);
    expect(t.blockedFor('10.0.0.1', 2000)).toBe(59); // the oldest of the three, at 1 s, leaves the window at 61 s
    expect(t.blockedFor('10.0.0.2', 2000)).toBe(0);
    expect(t.blockedFor('10.0.0.1', 61_001)).toBe(0);
    const small = new AuthThrottle({ maxFailures: 1, maxAddresses: 100 });
    for (let i = 0; i < 1000; i++) small.failed(`10.1.${i >> 8}.${i & 255}`, 5);
    expect(small.blockedFor('10.1.3.231', 6)).toBe(60); // the newest are remembered
    expect(small.blockedFor('10.1.0.0', 6)).toBe(0); // the oldest forgotten: the table is bounded
  });
});
