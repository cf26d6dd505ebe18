/**
 * The live recorder's rotated files (Monitor → Record, `live.record.start`),
 * read by the real ctapipe 0.26: SubarrayDescription.from_hdf,
 * HDF5EventSource over every event of every file (images bit for bit what
 * the file stores) and TableLoader; together the files hold every event
 * the recorder was offered.
 */
import { afterAll, expect } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../../src-main/session/session.js';
import { until } from '../../../helpers/wait.js';
import { ctapipe } from '../../../helpers/reference-tools.js';
import { describeWith, itWith } from '../../../helpers/vitest-tools.js';
import { ctapipeReadback, readbackProblems } from '../../../helpers/ctapipe-readback.js';

describeWith([ctapipe()], "ctapipe reads the live recorder's rotated files", () => {
  const session = new Session({ autoStart: false, threads: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'lp-live-ctapipe-'));
  afterAll(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  itWith(
    [ctapipe()],
    'every rotated file, every event',
    async () => {
      session.simulation.setRate(200);
      session.simulation.start();
      const ctx = { transport: 'websocket' as const, tokenRequired: false };
      await session.handle('live.record.start', { dir, prefix: 'shift', flushSeconds: 0.3 }, ctx);
      // waits for progress, not for a clock: two files closed and 100 events written, however long that takes
      await until(
        () => session.live.recorder.status().filesCompleted.length >= 2 && session.live.recorder.status().eventsWritten >= 100,
        300_000,
        'two rotated files',
      );
      const done = await session.handle('live.record.stop', {}, ctx);
      session.simulation.stop();
      expect(done.error).toBeUndefined();
      const files = readdirSync(dir)
        .sort()
        .map((f) => join(dir, f));
      expect(files.length).toBe(done.filesCompletedCount); // no .partial left
      expect(files.length).toBeGreaterThanOrEqual(2);
      let events = 0;
      for (const f of files) {
        const r = await ctapipeReadback(f);
        expect(readbackProblems(r), f).toEqual([]);
        events += r.event_source.events;
      }
      expect(events).toBe(done.eventsWritten);
      expect(done.eventsWritten).toBe(done.eventsOffered);
    },
    600_000,
  );
});
