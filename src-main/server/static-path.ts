/**
 * Which file of the renderer bundle a request path names, for serve mode's
 * HTTP server and the desktop app's app:// handler alike: the path must be
 * decoded already (request-guard.ts); anything that would leave the bundle's
 * folder (.., backslashes, NUL, absolute paths) names nothing.
 */
import { isAbsolute, join, normalize, sep } from 'node:path';

/** The absolute file under `root` for the decoded request path, or undefined when it names nothing there. */
export function staticFile(root: string, pathname: string): string | undefined {
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  if (relative.split('/').some((part) => part === '..') || isAbsolute(relative)) return undefined;
  const file = normalize(join(root, relative));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}
