/** Serves the renderer bundle (dist/renderer) read-only, with security headers. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from './content-security-policy.js';
import { staticFile } from './static-path.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** headers of every answer, errors included */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Answers with plain text (errors, refusals). */
export function sendText(res: ServerResponse, status: number, text: string, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders }).end(`${text}\n`);
}

/** `pathname` is the decoded request path (request-guard.ts). */
export async function serveStatic(root: string, pathname: string, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  const file = staticFile(root, pathname);
  if (!file) {
    sendText(res, 404, 'not found');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    sendText(res, 404, 'not found');
    return;
  }
  res.writeHead(200, { ...securityHeaders, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', ...extraHeaders });
  res.end(body);
}
