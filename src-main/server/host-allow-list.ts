/**
 * Which `Host` header values the server answers (DNS rebinding: a web page on
 * evil.example whose name is made to point at 127.0.0.1 sends
 * `Host: evil.example:PORT`, and must be refused).
 *
 * A loopback server answers `localhost`, `127.0.0.1` and `[::1]`; a server
 * bound to another address answers those, the address it is bound to (every
 * address of the machine, and the wildcard address itself, when bound to
 * 0.0.0.0 or ::), and the names given
 * with --allow-host (the name a reverse proxy or the users' browsers use).
 * The name is what is checked, at any port: an SSH tunnel to another local
 * port, or a proxy on 443, names the same machine.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { isLoopback } from './token.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** `Host` header syntax: a DNS name or IPv4 address, or an [IPv6] literal, then an optional :port */
const HOST_HEADER = /^(?:([a-z0-9](?:[a-z0-9_.-]{0,252}))|(\[[0-9a-f:.]{2,45}\]))(?::(\d{1,5}))?$/;

/** The name of a Host header (lower case, IPv6 in brackets), or undefined when it is not a valid Host value. */
export function hostName(header: string): string | undefined {
  const m = HOST_HEADER.exec(header.trim().toLowerCase());
  if (!m) return undefined;
  if (m[3] !== undefined && Number(m[3]) > 65535) return undefined;
  const name = m[1] ?? m[2];
  if (m[2] && isIP(m[2].slice(1, -1)) !== 6) return undefined;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function bracketed(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

export function hostAllowList(bindHost: string, allowHosts: readonly string[] = []): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (isLoopback(bindHost)) names.add(bracketed(bindHost.replace(/^\[|\]$/g, '')));
  else if (bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '[::]') {
    names.add('0.0.0.0').add('[::]'); // the printed URL names the wildcard address; browsers send it as Host
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracketed(a.address.split('%')[0]));
  } else names.add(bracketed(bindHost.replace(/^\[|\]$/g, '')).toLowerCase());
  for (const h of allowHosts) {
    const name = hostName(h);
    if (name) names.add(name);
  }
  return names;
}
