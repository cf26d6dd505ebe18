/**
 * The desktop app's app:// handler reads its URL with serve mode's guarded
 * parsing: what made serve crash (bad %-escapes, NUL, unreadable URLs) is a
 * 400, a path out of the bundle a 404, never a throw. (The Electron binary
 * is not needed: the handler's decision is a pure function.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRequestFile } from '../../../../src-main/electron/app-request.js';

const root = '/opt/lightpool/renderer';

describe('app:// requests', () => {
  it('names files of the bundle', () => {
    expect(appRequestFile(root, 'app://lightpool/')).toEqual({ file: join(root, 'index.html') });
    expect(appRequestFile(root, 'app://lightpool/app.js')).toEqual({ file: join(root, 'app.js') });
    expect(appRequestFile(root, 'app://lightpool/a%20b.css')).toEqual({ file: join(root, 'a b.css') });
    // the URL parser resolves dot segments before the handler sees them: still inside the bundle
    expect(appRequestFile(root, 'app://lightpool/%2e%2e/%2e%2e/etc/passwd')).toEqual({ file: join(root, 'etc/passwd') });
  });

  it.each([
    ['a bad %-escape', 'app://lightpool/%E0%A4%A', 400],
    ['a NUL byte', 'app://lightpool/app.js%00.png', 400],
    ['an unreadable URL', 'app://[/', 400],
    ['another host', 'app://elsewhere/app.js', 404],
    ['an encoded slash way out', 'app://lightpool/..%2f..%2fetc%2fpasswd', 404],
    ['a backslash way out', 'app://lightpool/..%5c..%5cetc', 404],
  ])('answers %s with %s and does not throw', (_what, url, status) => {
    expect(appRequestFile(root, url)).toMatchObject({ status });
  });
});
