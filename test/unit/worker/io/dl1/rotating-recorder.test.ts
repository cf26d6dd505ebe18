/**
 * Rotating recording: files close (and become *.h5) when they reach the size
 * limit or their age reaches min(rotateSeconds, flushSeconds); every event
 * written lands in exactly one complete file, in order; the open file is
 * the only *.partial one.
 */
import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingRecorder } from '../../../../../src-worker/io/dl1/rotating-recorder.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import type { RawArrayEvent } from '../../../../../src-worker/live/live-types.js';
import { python as pythonTool } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';

const REF_PY = pythonTool('tables');

const event = (id: number): RawArrayEvent => ({
  obsId: 1,
  eventId: id,
  time: 1.7e9 + id,
  images: [{ telId: 1 + (id % 4), image: new Float32Array(1855).fill(id), peakTime: new Float32Array(1855).fill(1) }],
});

function eventIds(files: string[]): number[] {
  const out = execFileSync(
    REF_PY.path,
    [
      '-c',
      'import sys,json,tables\nids=[]\nfor p in sys.argv[1:]:\n  f=tables.open_file(p); ids+=f.root.dl1.event.subarray.trigger[:]["event_id"].tolist(); f.close()\nprint(json.dumps(ids))',
      ...files,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as number[];
}

describeWith([REF_PY], 'RotatingRecorder', () => {
  it('rotates by size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rot-'));
    try {
      const r = new RotatingRecorder({ dir, prefix: 'run', rotateBytes: 200_000, rotateSeconds: 600, flushSeconds: 600, subarray: defaultSubarray });
      for (let i = 1; i <= 40; i++) r.append([event(i)]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.partial')).length).toBe(1);
      r.stop();
      const files = r.status.filesCompleted;
      expect(files.length).toBe(3); // 14 events of 14,840 bytes of image data pass 200 kB: 14 + 14 + 12
      expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.split('/').pop()).sort());
      expect(eventIds(files)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(r.status.eventsWritten).toBe(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotates by time: a file is closed once it is flushSeconds old', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rot-'));
    let now = 1000;
    try {
      const r = new RotatingRecorder({ dir, prefix: 'run', rotateBytes: 1e12, rotateSeconds: 600, flushSeconds: 1, subarray: defaultSubarray }, () => now);
      r.append([event(1), event(2)]);
      now += 0.5;
      r.tick();
      expect(r.status.filesCompleted.length).toBe(0);
      now += 0.6;
      r.tick();
      expect(r.status.filesCompleted.length).toBe(1); // at most 1 s of events was ever unreadable
      r.append([event(3)]);
      now += 2;
      r.tick();
      r.append([event(4)]);
      r.stop();
      expect(r.status.filesCompleted.length).toBe(3);
      expect(eventIds(r.status.filesCompleted)).toEqual([1, 2, 3, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a new subarray starts a new file with its layout; a single file refuses events of another subarray', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-rot-'));
    try {
      const other = { ...defaultSubarray, name: 'two LSTs', telescopes: defaultSubarray.telescopes.slice(0, 2) };
      const r = new RotatingRecorder({ dir, prefix: 'run', rotateBytes: 1e12, rotateSeconds: 600, flushSeconds: 600, subarray: defaultSubarray });
      r.setSubarray(other); // before any event: no file yet, nothing to close
      r.append([event(1), event(2)]);
      r.setSubarray(other); // the same again: nothing changes
      r.setSubarray(defaultSubarray);
      r.append([event(3)]);
      r.stop();
      const files = r.status.filesCompleted;
      expect(files.length).toBe(2);
      expect(eventIds(files)).toEqual([1, 2, 3]);
      const layouts = execFileSync(
        REF_PY.path,
        [
          '-c',
          'import sys,json,tables\nout=[]\nfor p in sys.argv[1:]:\n  f=tables.open_file(p); out.append(len(f.root.configuration.instrument.subarray.layout)); f.close()\nprint(json.dumps(out))',
          ...files,
        ],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(layouts)).toEqual([2, 8]);

      const single = join(dir, 'one.h5');
      const s = new RotatingRecorder({ dir, prefix: 'x', rotateBytes: 1, rotateSeconds: 1, flushSeconds: 1, subarray: defaultSubarray, file: single }, () => 0);
      s.setSubarray(other); // before any event: the file takes this one
      for (let i = 1; i <= 5; i++) s.append([event(i)]);
      s.tick();
      expect(s.refused).toBeUndefined();
      // another subarray after events: one file cannot hold two, so what follows is refused, and says why
      s.setSubarray(defaultSubarray);
      expect(s.refused).toMatch(
        /another subarray \(telescopes 1,2,3,4,5,6,7,8 instead of 1,2\) after 5 events; .*one\.h5 holds those, complete; record with --split S/,
      );
      s.append([event(6)]);
      // the message says what changed when the telescopes are the same
      const moved = new RotatingRecorder(
        { dir, prefix: 'y', rotateBytes: 1, rotateSeconds: 1, flushSeconds: 1, subarray: defaultSubarray, file: join(dir, 'moved.h5') },
        () => 0,
      );
      moved.append([event(1)]);
      moved.setSubarray({ ...defaultSubarray, pointing: { alt: 60, az: 180 } });
      expect(moved.refused).toMatch(/another subarray \(pointing alt 60°, az 180° instead of alt \d+°, az \d+°\) after 1 events/);
      moved.stop();
      s.stop();
      expect(s.status.filesCompleted).toEqual([single]);
      expect(s.status.eventsWritten).toBe(5);
      expect(eventIds([single])).toEqual([1, 2, 3, 4, 5]);
      // nothing recorded: no file
      const none = new RotatingRecorder({
        dir,
        prefix: 'x',
        rotateBytes: 1,
        rotateSeconds: 1,
        flushSeconds: 1,
        subarray: defaultSubarray,
        file: join(dir, 'none.h5'),
      });
      none.stop();
      expect(none.status.filesCompleted).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.startsWith('none'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
