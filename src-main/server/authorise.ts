/**
 * Which role a guarded request gets: everyone has full control on a loopback
 * server without tokens; otherwise the token it presents decides (token:
 * control, view token: view), a wrong or missing token is refused (401) and a
 * wrong one counted against its address, and an address with too many wrong tokens is
 * refused (429) before its token is even looked at.
 */
import type { Role } from '../api/contract.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { GuardedRequest } from './request-guard.js';
import { roleOfToken, type TokenSettings } from './token.js';

export type Authorisation = { ok: true; role: Role } | { ok: false; status: 401 | 429; reason: string };

export function authorise(request: GuardedRequest, tokens: TokenSettings | undefined, throttle: AuthThrottle): Authorisation {
  if (!tokens) return { ok: true, role: 'control' };
  const wait = throttle.blockedFor(request.address);
  if (wait > 0) return { ok: false, status: 429, reason: `too many wrong tokens from ${request.address}; try again in ${wait} s` };
  const role = roleOfToken(tokens, request.token);
  if (role) return { ok: true, role };
  if (request.token) throttle.failed(request.address); // a guess; a request without a token guesses nothing
  return { ok: false, status: 401, reason: request.token ? 'wrong token' : 'missing token' };
}
