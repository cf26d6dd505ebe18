/**
 * The emulator's server replaying a DL1 file once (no loop): a client gets
 * the file's subarray first, then exactly the file's events with their
 * obs_id/event_id in file order, and the server reports done at the end.
 */
import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DaqServer } from '../../../../../src-main/daq/emulator/daq-server.js';
import { ReplayEvents } from '../../../../../src-main/daq/emulator/emulator-events.js';
import { DaqClient } from '../../../../../src-main/daq/client/daq-client.js';
import type { DaqSubarray } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const SAMPLE = fileURLToPath(new URL('../../../../fixtures/samples/dl1_sample_120.zlib.h5', import.meta.url));

describeWith([REF_PY], 'DaqServer replay', () => {
  it('sends the file once, in order, after its subarray', async () => {
    const source = await ReplayEvents.open(SAMPLE, false);
    const server = new DaqServer(source, { port: 0, rateHz: 2000 });
    const port = await server.listen();
    const client = new DaqClient(`tcp://127.0.0.1:${port}`);
    let subarray: DaqSubarray | undefined;
    const ids: number[] = [];
    let imagesBeforeSubarray = 0;
    client.on('subarray', (s) => (subarray = s));
    client.on('event', (e) => {
      if (!subarray) imagesBeforeSubarray++;
      ids.push(e.eventId);
    });
    const done = new Promise<void>((r) => server.once('done', () => r()));
    client.start();
    await done;
    await new Promise((r) => setTimeout(r, 300));
    client.close();
    await server.close();
    const expected = JSON.parse(
      execFileSync(
        REF_PY.path,
        ['-c', 'import sys,json,tables; f=tables.open_file(sys.argv[1]); print(json.dumps(f.root.dl1.event.subarray.trigger[:]["event_id"].tolist()))', SAMPLE],
        { encoding: 'utf8' },
      ),
    ) as number[];
    expect(imagesBeforeSubarray).toBe(0);
    expect(subarray!.telescopes).toHaveLength(15);
    // the client connected after the server started: it sees a tail of the file, in order, ending with the last event
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected.slice(expected.length - ids.length));
    expect(server.stats.events).toBe(expected.length);
  }, 60_000);
});
