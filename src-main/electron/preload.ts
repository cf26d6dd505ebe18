/**
 * The preload (sandboxed, context-isolated) exposes exactly one narrow object,
 * `window.lightpool`. The API itself travels over a MessagePort, handed to
 * the main world with window.postMessage as Electron documents for
 * context-isolated pages.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

ipcRenderer.on('lightpool:port', (event) => {
  window.postMessage('lightpool:port', window.location.origin, event.ports);
});

contextBridge.exposeInMainWorld('lightpool', {
  connect: () => ipcRenderer.send('lightpool:connect'),
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  platform: process.platform,
});
