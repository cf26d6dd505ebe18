/**
 * Run in its own process by big-file.test.ts: opens a file through the HDF5
 * worker, reads event 0, steps through a few more, and prints the times and
 * the process's resident memory (main thread + HDF5 worker) as JSON.
 */
import { Hdf5Client } from '../../../../src-main/files/hdf5-client.js';

const [workerPath, file] = process.argv.slice(2);
const client = new Hdf5Client({ workerPath });
const t0 = performance.now();
const { fileId, summary } = await client.open(file);
const t1 = performance.now();
const ev = await client.request({ type: 'dl1Event', fileId, index: 0 });
const t2 = performance.now();
const n = summary.dl1?.nEvents ?? 0;
for (const i of [1, 2, Math.floor(n / 2), n - 1]) await client.request({ type: 'dl1Event', fileId, index: i });
const t3 = performance.now();
const stats = await client.request({ type: 'stats' });
console.log(
  JSON.stringify({
    openMs: t1 - t0,
    event0Ms: t2 - t1,
    fourMoreMs: t3 - t2,
    nEvents: n,
    telIds: ev.telIds,
    imageLength: ev.telescopes[0]?.image?.length ?? 0,
    rssMB: stats.rssBytes / 2 ** 20,
    wasmHeapMB: stats.wasmHeapBytes / 2 ** 20,
    cacheMB: stats.cacheBytes / 2 ** 20,
  }),
);
await client.dispose();
