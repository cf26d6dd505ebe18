/**
 * Issue 12, items 7 and 8, from the DAQ side (real TCP servers on loopback):
 * - a server that closes every connection in the middle of a frame is not
 *   hammered: the backoff keeps doubling (it used to reset as soon as TCP
 *   connected: 96 reconnects in 25 s), and the status names the truncated
 *   frame;
 * - the backoff starts afresh only after a connection stayed up for the
 *   healthy period;
 * - the subarray announcement is checked with a schema: `telescopes: [null]`
 *   and other misfits are protocol errors naming the field (not retried),
 *   while a telescope type carrying HTML is just text.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DaqClient } from '../../../../../src-main/daq/client/daq-client.js';
import { encodeDaqFrame, type DaqFrame, type DaqSubarray } from '../../../../../src-main/daq/protocol/daq-protocol.js';
import { checkDaqSubarray } from '../../../../../src-main/daq/protocol/daq-subarray-schema.js';
import { defaultSubarray } from '../../../../../src-worker/instrument/default-subarray.js';
import { until } from '../../../../helpers/wait.js';

const subarrayFrame = (subarray: unknown): Uint8Array => {
  // encoded by hand so that payloads the encoder's types forbid can be sent
  const json = new TextEncoder().encode(JSON.stringify(subarray));
  const f = encodeDaqFrame({ type: 'subarray', obsId: 1, eventId: 0, time: 0, subarray: defaultSubarray });
  const out = new Uint8Array(4 + 40 + json.length);
  out.set(f.subarray(0, 44));
  const v = new DataView(out.buffer);
  v.setUint32(0, 40 + json.length, true);
  v.setUint32(40, json.length, true);
  out.set(json, 44);
  return out;
};

function image(eventId: number): Uint8Array {
  const frame: DaqFrame = { type: 'image', obsId: 1, eventId, time: 0, telId: 3, image: new Float32Array(1855), peakTime: new Float32Array(1855) };
  return encodeDaqFrame(frame);
}

let server: Server | undefined;
let client: DaqClient | undefined;
afterEach(async () => {
  client?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = client = undefined;
});

function listen(onConnection: (s: Socket, n: number) => void): Promise<number> {
  let n = 0;
  server = createServer((s) => {
    s.on('error', () => undefined);
    onConnection(s, ++n);
  });
  return new Promise((r) => server!.listen(0, '127.0.0.1', () => r((server!.address() as { port: number }).port)));
}

/** a two-pixel camera as a subarray frame announces it */
const GEOMETRY = { pix_type: 'hexagon', pix_rotation_deg: 0, cam_rotation_deg: 0, pix_x: [0, 0.05], pix_y: [0, 0], pix_area: [1e-3, 1e-3] };

describe('a DAQ server that closes mid-frame', () => {
  it('gets retries with doubling delays, and the status names the truncated frame', async () => {
    const port = await listen((s) => {
      const half = image(42).subarray(0, 5000);
      s.end(Buffer.concat([subarrayFrame(defaultSubarray), half]));
    });
    client = new DaqClient(`tcp://127.0.0.1:${port}`, { initial: 0.05, max: 10, healthyAfter: 5 });
    const retries: { attempt: number; delay: number; message: string }[] = [];
    client.on('state', (s, message) => {
      if (s === 'reconnecting') retries.push({ attempt: client!.attempt, delay: client!.delaySeconds, message: message ?? '' });
    });
    client.start();
    await until(() => retries.length >= 5, 30_000, 'five retries');
    expect(retries.slice(0, 5).map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(retries.slice(0, 5).map((r) => r.delay)).toEqual([0.05, 0.1, 0.2, 0.4, 0.8]);
    const subarrayBytes = subarrayFrame(defaultSubarray).length;
    expect(retries[0].message).toBe(
      `tcp://127.0.0.1:${port}: the server closed the connection in the middle of a truncated image frame (tel_id 3, event_id 42) at byte ${subarrayBytes}: 5000 of ${image(42).length} bytes; retry 1 in 0.05 s`,
    );
  });

  it('starts the backoff afresh only after a connection stayed up for the healthy period', async () => {
    const port = await listen((s, n) => {
      s.write(subarrayFrame(defaultSubarray));
      // the first three close at once; the fourth stays up for 1.5 s (heartbeats), past the 0.5 s healthy period
      if (n < 4) s.end();
      else {
        const beat = setInterval(() => s.write(encodeDaqFrame({ type: 'heartbeat', obsId: 1, eventId: 0, time: 0 })), 100);
        setTimeout(() => {
          clearInterval(beat);
          s.end();
        }, 1500);
      }
    });
    client = new DaqClient(`tcp://127.0.0.1:${port}`, { initial: 0.05, max: 10, healthyAfter: 0.5 });
    const delays: number[] = [];
    client.on('state', (s) => {
      if (s === 'reconnecting') delays.push(client!.delaySeconds);
    });
    client.start();
    await until(() => delays.length >= 4, 30_000, 'four retries');
    expect(delays.slice(0, 4)).toEqual([0.05, 0.1, 0.2, 0.05]);
  });
});

describe('the subarray announcement', () => {
  it('refuses `telescopes: [null]` as a protocol error naming the field, without retrying', async () => {
    const port = await listen((s) => s.write(subarrayFrame({ name: 'x', pointing: { alt: 70, az: 0 }, telescopes: [null] })));
    client = new DaqClient(`tcp://127.0.0.1:${port}`, { initial: 0.05, max: 1 });
    const states: [string, string | undefined][] = [];
    client.on('state', (s, m) => states.push([s, m]));
    client.start();
    await until(() => client!.state === 'error', 20_000, 'the error');
    expect(states.at(-1)![1]).toMatch(/DAQ subarray frame at byte 0: the announcement does not fit the protocol \(telescopes\.0: /);
    await new Promise((r) => setTimeout(r, 300));
    expect(states.filter(([s]) => s === 'reconnecting')).toEqual([]);
  });

  it.each([
    ['no telescopes', { telescopes: [] }, /telescopes/],
    ['a string position', { telescopes: [{ ...defaultSubarray.telescopes[0], position: ['0', 0, 0] }] }, /telescopes\.0\.position\.0/],
    ['a tel_id beyond u16', { telescopes: [{ ...defaultSubarray.telescopes[0], telId: 70_000 }] }, /telescopes\.0\.telId/],
    ['a duplicate tel_id', { telescopes: [defaultSubarray.telescopes[0], defaultSubarray.telescopes[0]] }, /unique/],
    ['a camera name with a path in it', { telescopes: [{ ...defaultSubarray.telescopes[0], camera: '../../etc/passwd' }] }, /telescopes\.0\.camera/],
    ['a control character in the name', { name: 'a\u0007b' }, /^name: no control characters/],
    ['an altitude of 100 deg', { pointing: { alt: 100, az: 0 } }, /pointing\.alt/],
    ['a NaN focal length (null in JSON)', { telescopes: [{ ...defaultSubarray.telescopes[0], focalLength: null }] }, /telescopes\.0\.focalLength/],
    [
      'a camera geometry with fewer y than x',
      { cameras: { Cam: { ...GEOMETRY, pix_y: [0] } } },
      /cameras\.Cam: pix_x, pix_y and pix_area must have one entry per pixel/,
    ],
    ['a camera geometry with a NaN (null) position', { cameras: { Cam: { ...GEOMETRY, pix_x: [0, null] } } }, /cameras\.Cam\.pix_x\.1/],
    ['a camera geometry of triangles', { cameras: { Cam: { ...GEOMETRY, pix_type: 'triangle' } } }, /cameras\.Cam\.pix_type/],
    ['a camera geometry kilometres across', { cameras: { Cam: { ...GEOMETRY, pix_x: [0, 1e4] } } }, /cameras\.Cam\.pix_x\.1/],
    ['a camera geometry with a negative area', { cameras: { Cam: { ...GEOMETRY, pix_area: [1e-3, -1] } } }, /cameras\.Cam\.pix_area\.1/],
    ['a camera geometry with an unknown field', { cameras: { Cam: { ...GEOMETRY, script: 'x' } } }, /cameras\.Cam/],
    ['a camera geometry named with a path', { cameras: { '../x': GEOMETRY } }, /cameras/],
    [
      'a camera geometry of 250,000 pixels',
      { cameras: { Cam: { ...GEOMETRY, pix_x: new Array(250_000).fill(0), pix_y: new Array(250_000).fill(0), pix_area: new Array(250_000).fill(0) } } },
      /cameras\.Cam\.pix_x/,
    ],
  ])('refuses %s', (_what, change, reason) => {
    const r = checkDaqSubarray({ ...structuredClone(defaultSubarray), ...change });
    expect(r.ok).toBe(false);
    expect((r as { reason: string }).reason).toMatch(reason);
  });

  it('accepts announced camera geometries (ctapipe pixel type names)', () => {
    const r = checkDaqSubarray({ ...structuredClone(defaultSubarray), cameras: { Cam: GEOMETRY, Other: { ...GEOMETRY, pix_type: 'rectangular' } } });
    expect(r).toMatchObject({ ok: true, subarray: { cameras: { Cam: { pix_x: [0, 0.05] }, Other: { pix_type: 'rectangular' } } } });
  });

  it('accepts the built-in subarray, and an HTML-bearing type as plain text', () => {
    expect(checkDaqSubarray(structuredClone(defaultSubarray))).toMatchObject({ ok: true });
    const html: DaqSubarray = { ...structuredClone(defaultSubarray), telescopes: [{ ...defaultSubarray.telescopes[0], type: '<img src=x onerror=alert(1)>' }] };
    expect(checkDaqSubarray(html)).toMatchObject({ ok: true, subarray: { telescopes: [{ type: '<img src=x onerror=alert(1)>' }] } });
  });
});
