/**
 * The main thread only coordinates: the event-loop delay of the backend's
 * main thread while the simulated array runs at 200 Hz (processing in the
 * worker pool), the limit the session test used to assert (p99 under 20 ms),
 * measured here where a speed limit belongs.
 *
 * Run: npm run bench session-latency   (exits 1 when over the limit)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Session } from '../src-main/session/session.js';

const LIMIT_MS = 20;
const session = new Session({ autoStart: false, rateHz: 200, seed: 5 });
let events = 0;
session.on('array-event', () => events++);
const histogram = monitorEventLoopDelay({ resolution: 1 });
session.simulation.start();
await new Promise((r) => setTimeout(r, 1000)); // the pool warms up
histogram.enable();
await new Promise((r) => setTimeout(r, 10_000));
histogram.disable();
session.simulation.stop();
const ms = (ns: number) => ns / 1e6;
const p99 = ms(histogram.percentile(99));
const status = session.live.status().counters;
console.log(
  `event-loop delay at 200 Hz simulation over 10 s: p50 ${ms(histogram.percentile(50)).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${ms(histogram.max).toFixed(2)} ms; ${status.received} events received, ${events} shown; load average ${loadavg()[0].toFixed(1)}`,
);
console.log(`p99 ${p99.toFixed(2)} ms (limit ${LIMIT_MS} ms): ${p99 < LIMIT_MS ? 'within the limit' : 'OVER THE LIMIT'}`);
await session.close();
if (p99 >= LIMIT_MS) process.exitCode = 1;
