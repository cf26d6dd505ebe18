/**
 * File API calls from the e2e tests themselves (not through the page): the
 * test server is shared by every spec, so the file tests close the files they
 * opened, and other specs start from the live array.
 */
import WebSocket from 'ws';
import { E2E_PORT } from '../../playwright.config.js';
import { decodeFrame } from '../../src-main/api/wire-codec.js';

async function call<T>(ws: WebSocket, id: number, method: string, params: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no reply`)), 10_000);
    const onMessage = (d: Buffer) => {
      const m = decodeFrame(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)) as { type: string; id?: number; ok?: boolean; result?: unknown; error?: { message: string } };
      if (m.type !== 'reply' || m.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      if (m.ok) resolve(m.result as T);
      else reject(new Error(m.error?.message));
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'request', id, method, params }));
  });
}

/** Closes every file open on the test server. */
export async function closeAllFiles(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/api`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  try {
    const files = await call<{ fileId: string }[]>(ws, 1, 'file.list', {});
    let id = 2;
    for (const f of files) await call(ws, id++, 'file.close', { fileId: f.fileId });
  } finally {
    ws.close();
  }
}

/** Opens a file on the test server as `lightpool serve FILE` does, before any window connects. */
export async function openOnServer(path: string): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E_PORT}/api`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  try {
    await call(ws, 1, 'file.open', { path });
  } finally {
    ws.close();
  }
}
