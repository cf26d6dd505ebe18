/**
 * The one guarded place where serve mode reads what a client sent before
 * anything else looks at it: the request target (path and query), the Host
 * header, the Origin header and the token cookie. Nothing here throws: a
 * request that cannot be read is answered 400, one that names a foreign host
 * or comes from another origin 403, with a reason for the log.
 */
import type { IncomingMessage } from 'node:http';
import { hostName } from './host-allow-list.js';
import { errorMessage } from '../util/errors.js';

export const TOKEN_COOKIE = 'lightpool_token';

export interface GuardedRequest {
  /** the path, %-decoded (no NUL) */
  pathname: string;
  query: URLSearchParams;
  /** the token from the `token` query parameter or the lightpool_token cookie */
  token: string | undefined;
  /** the client's address, for logs and throttling */
  address: string;
}

export type GuardResult = { ok: true; request: GuardedRequest } | { ok: false; status: 400 | 403; reason: string };

function refuse(status: 400 | 403, reason: string): GuardResult {
  return { ok: false, status, reason };
}

/** decodeURIComponent that says undefined instead of throwing */
export function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The lightpool_token cookie of a Cookie header: undefined when absent, null when malformed. */
function tokenCookie(header: string | undefined): string | undefined | null {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== TOKEN_COOKIE) continue;
    const raw = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const value = safeDecode(raw);
    return value === undefined ? null : value;
  }
  return undefined;
}

/** the host part (name:port, default port left out) of an Origin, or undefined when it is not an http(s) origin */
function originHost(origin: string): string | undefined | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.host;
}

/** the Host header without a default port for `scheme`, lower case */
function withoutDefaultPort(host: string, scheme: 'http:' | 'https:'): string {
  const h = host.trim().toLowerCase();
  return h.replace(scheme === 'http:' ? /:80$/ : /:443$/, '');
}

/**
 * Reads and checks a request (plain or WebSocket upgrade). `allowedHosts`
 * are the Host names this server answers (host-allow-list.ts).
 */
export function guardRequest(req: IncomingMessage, allowedHosts: ReadonlySet<string>): GuardResult {
  try {
    const address = req.socket.remoteAddress ?? 'unknown';
    const target = req.url ?? '';
    // origin-form only ("/path?query"): absolute-form and "*" are refused rather than parsed
    if (!target.startsWith('/') || target.startsWith('//'))
      return refuse(400, `the request target must be a path beginning with one "/" (got ${JSON.stringify(target.slice(0, 80))})`);
    if (/[^\x21-\x7e]/.test(target)) return refuse(400, 'the request target has characters that must be %-encoded');
    const q = target.indexOf('?');
    const rawPath = (q < 0 ? target : target.slice(0, q)).split('#')[0];
    const pathname = safeDecode(rawPath);
    if (pathname === undefined) return refuse(400, `malformed %-escape in the path ${JSON.stringify(rawPath.slice(0, 80))}`);
    if (pathname.includes('\0')) return refuse(400, 'the path contains a NUL character');
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1).split('#')[0]);

    const hostHeader = req.headers.host;
    if (!hostHeader) return refuse(400, 'no Host header');
    const name = hostName(hostHeader);
    if (name === undefined) return refuse(400, `malformed Host header ${JSON.stringify(hostHeader.slice(0, 80))}`);
    if (!allowedHosts.has(name))
      return refuse(403, `Host "${name}" is not a name of this server (a DNS-rebinding page?); start lightpool serve with --allow-host ${name} if it is`);

    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (origin === 'null') return refuse(403, 'a page without an origin (a sandboxed frame or a local file) may not use this server');
      const oh = originHost(origin);
      if (oh === null) return refuse(400, `malformed Origin header ${JSON.stringify(origin.slice(0, 80))}`);
      const scheme = origin.toLowerCase().startsWith('https:') ? 'https:' : 'http:';
      if (oh === undefined || oh !== withoutDefaultPort(hostHeader, scheme))
        return refuse(403, `a page from another origin (${origin.slice(0, 80)}) may not use this server`);
    }

    const cookie = tokenCookie(req.headers.cookie);
    if (cookie === null) return refuse(400, `malformed ${TOKEN_COOKIE} cookie`);
    const token = query.get('token') ?? cookie;
    return { ok: true, request: { pathname, query, token: token || undefined, address } };
  } catch (err) {
    return refuse(400, `unreadable request: ${errorMessage(err)}`);
  }
}
