/** Access tokens for serve mode: generation and constant-time comparison. */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function generateToken(): string {
  return randomBytes(18).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads the token from the `token` query parameter or the `lightpool_token` cookie. */
export function tokenFromRequest(url: URL, cookieHeader: string | undefined): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'lightpool_token') return decodeURIComponent(v.join('='));
  }
  return null;
}
