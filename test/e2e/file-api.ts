/**
 * File API calls from the e2e tests themselves (not through the page): the
 * test server is shared by every spec, so the file tests close the files they
 * opened, and other specs start from the live array.
 */
import { E2E_PORT } from '../../playwright.config.js';
import { TestClient } from '../helpers/ws-client.js';

/** Closes every file open on the test server. */
export async function closeAllFiles(): Promise<void> {
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  try {
    const files = await client.call<{ fileId: string }[]>('file.list', {});
    for (const f of files) await client.call('file.close', { fileId: f.fileId });
  } finally {
    client.close();
  }
}

/**
 * Puts the shared test server back to where every spec starts: no file open,
 * and the simulated array (at the server's 20 Hz) as the running live source
 * (the monitor spec connects to a DAQ and disconnects, which stops the run).
 */
export async function resetServer(): Promise<void> {
  await closeAllFiles();
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  try {
    const s = await client.call<{ source: string; state: string }>('live.status', {});
    if (s.source !== 'simulation' || s.state !== 'running') await client.call('live.simulate', { rateHz: 20 });
  } finally {
    client.close();
  }
}

/** Opens a file on the test server as `lightpool serve FILE` does, before any window connects. */
export async function openOnServer(path: string): Promise<void> {
  const client = await TestClient.connect(`ws://127.0.0.1:${E2E_PORT}/api`);
  try {
    await client.call('file.open', { path });
  } finally {
    client.close();
  }
}
