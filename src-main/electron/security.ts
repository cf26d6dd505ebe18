/**
 * The Electron security checklist, applied to every web contents: no new
 * windows, no navigation away from the app, no permissions, and IPC accepted
 * only from the app's own main frame.
 */
import { app, session, type IpcMainEvent, type WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol.js';

export function hardenWebContents(): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(
    () => {
      session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    },
    () => undefined,
  );
}

/** true when an IPC message comes from the app's own main frame of the expected window */
export function isTrustedSender(event: IpcMainEvent, expected: WebContents | undefined): boolean {
  const frame = event.senderFrame;
  if (!frame || !expected || event.sender !== expected) return false;
  if (frame !== expected.mainFrame) return false;
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}
