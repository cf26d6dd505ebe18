/**
 * Recording the simulated array (the main thread copies each event for the
 * record worker): every event offered is written, and PyTables reads the
 * images back equal to what was aggregated.
 */
import { afterAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../../src-main/session/session.js';
import { until } from '../../../helpers/wait.js';
import { python as pythonTool } from '../../../helpers/reference-tools.js';
import { describeWith } from '../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

describeWith([REF_PY], 'recording the simulated array', () => {
  const session = new Session({ autoStart: false, threads: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'lp-simrec-'));
  afterAll(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every offered event, images as simulated', async () => {
    const sums = new Map<number, number>();
    session.simulation.on('processed', (events) => {
      for (const e of events)
        sums.set(
          e.eventId,
          e.images.reduce((a, i) => a + i.image.reduce((s, v) => s + v, 0), 0),
        );
    });
    session.simulation.setRate(300);
    session.simulation.start();
    const ctx = { transport: 'websocket' as const, tokenRequired: false };
    await session.handle('live.record.start', { dir }, ctx);
    await until(() => session.live.recorder.status().eventsWritten > 200, 20_000, 'events written');
    const done = await session.handle('live.record.stop', {}, ctx);
    session.simulation.stop();
    expect(done.error).toBeUndefined();
    expect(done.eventsWritten).toBe(done.eventsOffered);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.h5'))
      .map((f) => join(dir, f));
    const out = execFileSync(REF_PY.path, [
      '-c',
      `
import sys, json, tables, numpy as np
tot = {}
n = 0
for f in sys.argv[1:]:
    with tables.open_file(f) as h:
        n += len(h.root.dl1.event.subarray.trigger)
        for t in h.root.dl1.event.telescope.images:
            for r in t.iterrows():
                tot[int(r['event_id'])] = tot.get(int(r['event_id']), 0.0) + float(np.asarray(r['image'], dtype=np.float64).sum())
print(json.dumps({'n': n, 'tot': tot}))
`,
      ...files,
    ]).toString();
    const r = JSON.parse(out) as { n: number; tot: Record<string, number> };
    expect(r.n).toBe(done.eventsWritten);
    let compared = 0;
    for (const [id, total] of Object.entries(r.tot)) {
      const want = sums.get(Number(id));
      if (want === undefined) continue;
      expect(total).toBeCloseTo(want, 2);
      compared++;
    }
    expect(compared).toBe(r.n);
  }, 40_000);
});
