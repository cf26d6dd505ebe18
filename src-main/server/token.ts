/**
 * Access tokens of serve mode: generation (≥ 128 random bits), the minimum
 * length of a given token, constant-time comparison, and which role a
 * presented token grants.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../api/contract.js';

/** a given token shorter than this is refused (a generated one is 32 characters) */
export const MIN_TOKEN_LENGTH = 16;

/** 192 random bits, base64url (32 characters) */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
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

/** Why a token given on the command line cannot be used, or undefined when it can. */
export function tokenProblem(option: string, token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) {
    return `${option} must be at least ${MIN_TOKEN_LENGTH} characters (it was ${token.length}): a short token can be guessed. Leave it out to have one generated, or use e.g. \`openssl rand -base64 24\``;
  }
  if (/[\s;,]/.test(token) || /[^\x21-\x7e]/.test(token))
    return `${option} must be printable ASCII without spaces, ";" or "," (it travels in a URL and a cookie)`;
  return undefined;
}

export interface TokenSettings {
  /** full control */
  control: string;
  /** read-only viewers */
  view: string;
  /** which of them were generated here (to print them) */
  generated: { control: boolean; view: boolean };
}

/**
 * The tokens of a server, or undefined when none is needed (loopback without
 * --token or --view-token: the machine's own user, full control). When one is
 * needed the other is generated if not given: a server that asks for a token
 * always has a read-only one to hand to extra viewers.
 */
export function tokenSettings(host: string, control?: string, view?: string): TokenSettings | undefined {
  for (const [option, t] of [
    ['--token', control],
    ['--view-token', view],
  ] as const) {
    if (t !== undefined) {
      const problem = tokenProblem(option, t);
      if (problem) throw new Error(problem);
    }
  }
  if (control !== undefined && control === view) throw new Error('--token and --view-token must differ (one gives full control, the other only a view)');
  if (control === undefined && view === undefined && isLoopback(host)) return undefined;
  return {
    control: control ?? generateToken(),
    view: view ?? generateToken(),
    generated: { control: control === undefined, view: view === undefined },
  };
}

/** The role a presented token grants, or undefined when it matches neither token. */
export function roleOfToken(tokens: TokenSettings, given: string | undefined): Role | undefined {
  if (tokenMatches(tokens.control, given)) return 'control';
  if (tokenMatches(tokens.view, given)) return 'view';
  return undefined;
}
