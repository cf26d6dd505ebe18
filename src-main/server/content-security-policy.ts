/**
 * The Content-Security-Policy of the renderer, the same in the desktop app and
 * in serve mode: only our own bundle, no inline scripts, no remote content.
 * `connect-src 'self'` allows the WebSocket back to the serving origin.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
