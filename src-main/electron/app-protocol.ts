/**
 * The renderer is loaded from the app itself through a custom app:// scheme
 * (never from the network), with the strict Content-Security-Policy. The
 * request is read as carefully as serve mode's (request-guard.ts,
 * static-path.ts): an unreadable URL or a bad %-escape is answered 400, a path
 * outside the bundle 404, and nothing a page asks for can throw here.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../server/content-security-policy.js';
import { appRequestFile } from './app-request.js';

export const APP_ORIGIN = 'app://lightpool';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveAppScheme(rendererRoot: string): void {
  protocol.handle('app', async (request) => {
    try {
      const r = appRequestFile(rendererRoot, request.url);
      if ('status' in r) return new Response(r.text, { status: r.status });
      const response = await net.fetch(pathToFileURL(r.file).toString());
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', contentSecurityPolicy);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(response.body, { status: response.status, headers });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
