/**
 * Soak: the simulated array at 5 kHz through processing and aggregation
 * (the live service as the session runs it) for SECONDS (default 600, the
 * issue's 10 minutes), sampling the resident set size every 10 s. Reported:
 * RSS growth from the end of the warm-up (the first 10 % of the run, at
 * least 20 s: pools, JIT, the ring buffer and pixel maps filled) to the end,
 * goal < 10 %; events processed and dropped (counted, with the reason).
 *
 * Run: node scripts/build.mjs && npm run bench live-soak
 *      (or node bench/results/bundles/live-soak.mjs [seconds] [rateHz])
 */
import { availableParallelism, loadavg } from 'node:os';
import { WorkerPool } from '../src-main/pool/worker-pool.js';
import { SimulationSource } from '../src-main/live/sources/simulation-source.js';
import { LiveService } from '../src-main/live/live-service.js';

const SECONDS = Number(process.argv[2] ?? process.env.LIVE_SOAK_SECONDS ?? 600);
const RATE = Number(process.argv[3] ?? process.env.LIVE_SOAK_RATE ?? 5000);
const THREADS = availableParallelism();
const WARMUP = Math.max(20, 0.1 * SECONDS);

const mb = (b: number) => (b / 1e6).toFixed(0);

const pool = new WorkerPool(THREADS);
const sim = new SimulationSource(pool, { rateHz: RATE, seed: 11, maxInFlight: 2 * THREADS, maxBatch: 64 });
const live = new LiveService(() => 0).attach(pool, sim);
// a renderer would subscribe to these; keep them flowing as in a real session
let streamed = 0;
for (const s of ['live-status', 'live-histograms', 'live-rates', 'live-pixel-maps', 'live-alarms'] as const) live.on(s, () => streamed++);

console.log(
  `live soak: ${SECONDS} s at ${RATE} Hz, ${THREADS} pool threads, warm-up ${WARMUP} s; load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
sim.start();
const t0 = performance.now();
let baseline: number | undefined;
let maxRss = 0;
const samples: string[] = [];
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const t = (performance.now() - t0) / 1000;
    const rss = process.memoryUsage().rss;
    maxRss = Math.max(maxRss, rss);
    if (baseline === undefined && t >= WARMUP) baseline = rss;
    const s = sim.status().counters;
    samples.push(
      `${t.toFixed(0)} s: RSS ${mb(rss)} MB, heap ${mb(process.memoryUsage().heapUsed)} MB, array buffers ${mb(process.memoryUsage().arrayBuffers)} MB (main thread), processed ${s.processed}, dropped ${s.dropped}`,
    );
    console.log(samples[samples.length - 1]);
    if (t >= SECONDS) {
      clearInterval(timer);
      resolve();
    }
  }, 10_000);
});
const end = process.memoryUsage().rss;
const st = sim.status();
const s = st.counters;
const agg = live.aggregator;
const elapsed = (performance.now() - t0) / 1000;
console.log(
  `processed ${s.processed} events (${(s.processed / elapsed).toFixed(0)}/s of ${RATE} requested), dropped ${s.dropped}${s.dropped ? ` (${st.message})` : ''}; aggregated ${agg.events} events, ${agg.images} images; ${streamed} stream messages`,
);
if (baseline !== undefined) {
  const growth = ((end - baseline) / baseline) * 100;
  console.log(`RSS after warm-up ${mb(baseline)} MB, at the end ${mb(end)} MB, max ${mb(maxRss)} MB: growth ${growth.toFixed(1)} % (goal < 10 %)`);
}
sim.stop();
await new Promise((r) => setTimeout(r, 1500));
await live.close();
await sim.close();
await pool.close();
process.exit(0);
