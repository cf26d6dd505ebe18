/**
 * Which file of the renderer bundle an app:// request names, read as carefully
 * as serve mode's requests (request-guard.ts, static-path.ts): an unreadable
 * URL or a bad %-escape is answered 400, anything outside the bundle 404.
 * Pure (no Electron), so it is tested without the Electron binary.
 */
import { safeDecode } from '../server/request-guard.js';
import { staticFile } from '../server/static-path.js';

/** The bundle file an app:// URL names, or the status to answer. */
export function appRequestFile(rendererRoot: string, requestUrl: string): { file: string } | { status: 400 | 404; text: string } {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, text: 'bad request' };
  }
  if (url.host !== 'lightpool') return { status: 404, text: 'not found' };
  const pathname = safeDecode(url.pathname);
  if (pathname === undefined || pathname.includes('\0')) return { status: 400, text: 'bad request' };
  const file = staticFile(rendererRoot, pathname);
  return file ? { file } : { status: 404, text: 'not found' };
}
