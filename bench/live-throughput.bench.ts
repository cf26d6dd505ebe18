/**
 * Live pipeline throughput: telescope images per second through processing
 * (stage-1 cleaning, telescope-frame image parameters, HillasReconstructor
 * stereo in the worker pool) and the backend's aggregation (histograms,
 * rates, pixel maps, ring buffer), with a check that no processed event is
 * missing from the histograms. Goal (issue 6): ≥ 30,000 LSTCam images/s on
 * 2 cores.
 *
 * Three paths, each for DURATION seconds (default 30), on the simulated
 * array's 4 LSTs (LIVE_BENCH_LAYOUT=lst, the default: LSTCam images only;
 * 'default' for 4 LST + 4 MST):
 *  1. simulation: the built-in simulated array at an unreachable rate, so the pool is always busy ('live-simulate':
 *     the toy images are generated in the same task, which costs time too);
 *  2. DAQ path without TCP: pre-simulated raw events copied (as the frame
 *     decoder does) and fed to the bounded processing queue ('live-process'),
 *     only processing + aggregation;
 *  3. DAQ over TCP: the emulator's server in this process at TCP_RATE Hz
 *     (default 4000) -> DAQ source (reading thread, processing queue) ->
 *     the live service's aggregation, as `lightpool serve` runs it.
 * Printed: sustained images/s (all cameras, and LSTCam alone), events/s,
 * histogram totals vs events processed, worker time per image, main-thread
 * utilisation and where the main thread spends it.
 *
 * Run: node scripts/build.mjs && npm run bench live-throughput
 *      (or node bench/results/bundles/live-throughput.mjs [seconds] [threads])
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { WorkerPool } from '../src-main/pool/worker-pool.js';
import { SimulationSource } from '../src-main/live/sources/simulation-source.js';
import { LiveService } from '../src-main/live/live-service.js';
import { LiveAggregator } from '../src-main/live/live-aggregator.js';
import { LiveProcessor } from '../src-main/live/sources/live-processor.js';
import { SimulatedEvents } from '../src-main/daq/emulator/emulator-events.js';
import { DaqServer } from '../src-main/daq/emulator/daq-server.js';
import { builtInLayouts, type BuiltInLayout } from '../src-worker/instrument/default-subarray.js';
import type { LiveProcessedEvent, RawArrayEvent } from '../src-worker/live/live-types.js';
import { liveCamera } from '../src-worker/live/live-camera.js';
import { liveStereo } from '../src-worker/live/live-stereo.js';
import { pixelSumsOf } from '../src-worker/live/live-tasks.js';
import { ArraySimulation } from '../src-worker/simulation/array-simulation.js';
import { loadCameraGeometry } from '../src-worker/io/assets/load-camera-geometry.js';
import type { CameraGeometry } from '../src-worker/containers/camera-geometry.js';
import type { LiveCamera } from '../src-worker/live/live-camera.js';
import type { LiveImage } from '../src-worker/live/live-types.js';
import { threadCpu } from './cpu-time.js';

const DURATION = Number(process.argv[2] ?? process.env.LIVE_BENCH_SECONDS ?? 30);
const THREADS = Number(process.argv[3] ?? availableParallelism());
const WARMUP = 3;

/** the simulated array's layout: 'lst' (4 LSTs, LSTCam images only: the issue's unit) or 'default' (4 LST + 4 MST) */
const LAYOUT = (process.env.LIVE_BENCH_LAYOUT ?? 'lst') as BuiltInLayout;
const subarray = builtInLayouts[LAYOUT];
if (!subarray) throw new Error(`LIVE_BENCH_LAYOUT must be one of ${Object.keys(builtInLayouts).join(', ')}`);
const lstTels = new Set(subarray.telescopes.filter((t) => t.camera === 'LSTCam').map((t) => t.telId));

function countImages(events: LiveProcessedEvent[]): { all: number; lst: number } {
  let all = 0,
    lst = 0;
  for (const e of events)
    for (const i of e.images) {
      all++;
      if (lstTels.has(i.telId)) lst++;
    }
  return { all, lst };
}

function checkHistograms(agg: LiveAggregator, events: number, images: number): string {
  const snap = agg.histograms.snapshot('simulation');
  const bad = snap.histograms.filter((h) => h.total !== (h.per === 'image' ? images : events));
  return bad.length === 0 && snap.events === events
    ? `all ${snap.histograms.length} histograms hold every one of ${events} events / ${images} images (0 missing)`
    : `MISSING: ${bad.map((h) => `${h.name} ${h.total}`).join(', ')}`;
}

async function simulationPath(): Promise<void> {
  const pool = new WorkerPool(THREADS);
  const sim = new SimulationSource(pool, { rateHz: 200_000, seed: 7, maxBatch: Number(process.env.LIVE_BENCH_BATCH ?? 64) });
  sim.setSubarray(subarray);
  const live = new LiveService(() => 0).attach(pool, sim);
  let workerMs = 0;
  let counting = false;
  const counted = { events: 0, all: 0, lst: 0 };
  sim.on('processed', (events) => {
    if (!counting) return;
    const n = countImages(events);
    counted.events += events.length;
    counted.all += n.all;
    counted.lst += n.lst;
  });
  // worker time: wrap the pool
  const run = pool.run.bind(pool);
  pool.run = (async (task: Parameters<typeof run>[0], transfer?: ArrayBuffer[]) => {
    const r = await run(task, transfer);
    if (counting && 'elapsedMs' in r) workerMs += r.elapsedMs;
    return r;
  }) as typeof pool.run;
  sim.start();
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  live.aggregator.reset();
  const base = sim.status();
  counting = true;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const thr0 = threadCpu();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, DURATION * 1000));
  const dt = (performance.now() - t0) / 1000;
  counting = false;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const thr1 = threadCpu();
  const processed = sim.status().counters.processed - base.counters.processed;
  const agg = live.aggregator;
  sim.stop();
  await new Promise((r) => setTimeout(r, 2000)); // batches in flight finish
  console.log(`simulation path, ${THREADS} pool threads, ${dt.toFixed(1)} s:`);
  console.log(
    `  ${(counted.all / dt).toFixed(0)} telescope images/s (${(counted.lst / dt).toFixed(0)} LSTCam images/s), ${(counted.events / dt).toFixed(0)} array events/s`,
  );
  console.log(`  ${checkHistograms(agg, agg.events, agg.images)}; source processed ${processed}, aggregated ${agg.events}`);
  console.log(
    `  worker time ${((workerMs * 1000) / counted.all).toFixed(0)} µs per image (simulate + clean + parameters + stereo), process CPU ${((cpu.user + cpu.system) / 1e6 / dt).toFixed(2)} cores, main thread busy ${(elu * 100).toFixed(0)} %`,
  );
  const mainUs = ((thr1.main - thr0.main) * 1e6) / counted.all;
  const otherUs = ((thr1.others - thr0.others) * 1e6) / counted.all;
  console.log(
    `  CPU per image: main thread ${mainUs.toFixed(1)} µs, worker and helper threads ${otherUs.toFixed(1)} µs => ${Math.round(2e6 / (mainUs + otherUs))} images/s if this process had both cores to itself`,
  );
  await live.close();
  await sim.close();
  await pool.close();
}

async function daqPath(): Promise<void> {
  const pool = new WorkerPool(THREADS);
  const agg = new LiveAggregator({ pointing: () => subarray.pointing });
  const proc = new LiveProcessor(pool, () => subarray, { queueCapacity: 2000, batchSize: 32, maxInFlight: 2 * THREADS });
  const source = new SimulatedEvents(400, 3, subarray);
  let counting = false;
  const counted = { events: 0, all: 0, lst: 0 };
  let mainAgg = 0;
  proc.on('processed', (events, sums) => {
    const t = performance.now();
    for (const e of events) agg.add(e, undefined, false);
    agg.addPixelSums(sums);
    mainAgg += performance.now() - t;
    if (!counting) return;
    const n = countImages(events);
    counted.events += events.length;
    counted.all += n.all;
    counted.lst += n.lst;
  });
  let copyMs = 0;
  let stop = false;
  const feed = () => {
    if (stop) return;
    const t = performance.now();
    while (proc.queued < 1000) {
      const e = source.next() as RawArrayEvent;
      // what the frame decoder does: fresh buffers per image (they are moved to the pool)
      proc.submit({ ...e, images: e.images.map((i) => ({ telId: i.telId, image: i.image.slice(), peakTime: i.peakTime.slice() })) });
    }
    copyMs += performance.now() - t;
    setTimeout(feed, 2);
  };
  feed();
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  agg.reset();
  counting = true;
  mainAgg = copyMs = 0;
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, DURATION * 1000));
  const dt = (performance.now() - t0) / 1000;
  counting = false;
  stop = true;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  console.log(`DAQ path (processing + aggregation, no TCP), ${THREADS} pool threads, ${dt.toFixed(1)} s:`);
  console.log(
    `  ${(counted.all / dt).toFixed(0)} telescope images/s (${(counted.lst / dt).toFixed(0)} LSTCam images/s), ${(counted.events / dt).toFixed(0)} array events/s; dropped ${proc.droppedQueueFull}`,
  );
  await proc.drain();
  console.log(`  ${checkHistograms(agg, agg.events, agg.images)}`);
  console.log(
    `  main thread busy ${(elu * 100).toFixed(0)} %: aggregation ${((mainAgg / 1000 / dt) * 100).toFixed(1)} %, copying images ${((copyMs / 1000 / dt) * 100).toFixed(1)} %, the rest posting tasks / receiving results / GC`,
  );
  await pool.close();
}

/** CPU µs (this process, one thread busy) per call of fn, over ~`seconds` */
function cpuCost(seconds: number, fn: () => number): number {
  let items = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) items += fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / items;
}

/** Where the time goes, per image, in CPU time of one core (independent of how much of the machine we get). */
function costBreakdown(): void {
  const geoms = new Map<string, CameraGeometry>();
  for (const t of subarray.telescopes) if (!geoms.has(t.camera)) geoms.set(t.camera, loadCameraGeometry(t.camera));
  const sim = new ArraySimulation(subarray.telescopes, geoms, subarray.pointing, 9);
  const pool = Array.from({ length: 300 }, () => sim.nextTriggeredEvent());
  const focal = new Map(subarray.telescopes.map((t) => [t.telId, t.focalLength]));
  let k = 0;
  const simUs = cpuCost(2, () => sim.nextTriggeredEvent().telescopes.length);
  const processed: LiveProcessedEvent[] = [];
  const procUs = cpuCost(3, () => {
    const e = pool[k++ % pool.length];
    const cams: LiveCamera[] = [];
    const images: LiveImage[] = e.telescopes.map((t) => {
      const c = liveCamera(t.camera, focal.get(t.telId)!);
      cams.push(c);
      return c.process(t.telId, t.image, t.peakTime);
    });
    const pe = { obsId: 1, eventId: k, time: 0, images, stereo: liveStereo(subarray, images, cams) };
    if (processed.length < 600) processed.push(pe);
    return images.length;
  });
  const stereoUs = cpuCost(1, () => {
    const e = processed[k++ % processed.length];
    liveStereo(
      subarray,
      e.images,
      e.images.map((i) => liveCamera(i.camera, focal.get(i.telId)!)),
    );
    return e.images.length;
  });
  const agg = new LiveAggregator({ pointing: () => subarray.pointing });
  const aggUs = cpuCost(1, () => {
    const part = processed.slice((k * 32) % 512, ((k * 32) % 512) + 32);
    k++;
    for (const e of part) agg.add(e, undefined, false);
    agg.addPixelSums(pixelSumsOf(part));
    return part.reduce((a, e) => a + e.images.length, 0);
  });
  const mix = processed.reduce((a, e) => a + e.images.length, 0) / processed.length;
  console.log(
    `cost per telescope image, CPU µs on one core (mix of this array: ${mix.toFixed(1)} images/event, ~${Math.round((100 * [...lstTels].length) / subarray.telescopes.length)} % of telescopes LSTCam):`,
  );
  console.log(
    `  toy shower simulation ${simUs.toFixed(0)} µs | cleaning + parameters + stereo ${procUs.toFixed(0)} µs (of which stereo ${stereoUs.toFixed(0)} µs) | aggregation incl. pixel sums ${aggUs.toFixed(1)} µs`,
  );
  console.log(
    `  => on 2 cores at most ~${Math.round(2e6 / procUs)} images/s processed (DAQ path), ~${Math.round(2e6 / (procUs + simUs))} images/s simulated + processed, if nothing else ran`,
  );
}

console.log(
  `live throughput: ${DURATION} s per path (after ${WARMUP} s warm-up); machine: ${availableParallelism()} cores, load ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
async function tcpPath(): Promise<void> {
  const rate = Number(process.env.LIVE_BENCH_TCP_RATE ?? 4000);
  const pool = new WorkerPool(THREADS);
  const sim = new SimulationSource(pool, { rateHz: 1 });
  const live = new LiveService(() => 0).attach(pool, sim);
  const server = new DaqServer(new SimulatedEvents(400, 5, subarray), { port: 0, rateHz: rate });
  const port = await server.listen();
  live.connect(`tcp://127.0.0.1:${port}`);
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const c0 = live.status().counters;
  const a0 = { events: live.aggregator.events, images: live.aggregator.images };
  const sent0 = server.stats.events;
  const slow0 = server.stats.droppedForSlowClients;
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, DURATION * 1000));
  const dt = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const c = live.status().counters;
  const sent = server.stats.events - sent0;
  const images = live.aggregator.images - a0.images;
  const events = live.aggregator.events - a0.events;
  const drops = Object.fromEntries(
    Object.entries(c.droppedByReason).map(([k, v]) => [k, (v ?? 0) - (c0.droppedByReason[k as keyof typeof c0.droppedByReason] ?? 0)]),
  );
  console.log(`DAQ over TCP (emulator in-process at ${rate} Hz -> reading thread -> pool -> aggregation), ${THREADS} pool threads, ${dt.toFixed(1)} s:`);
  console.log(
    `  sent ${(sent / dt).toFixed(0)} events/s, received ${((c.received - c0.received) / dt).toFixed(0)}/s, processed and aggregated ${(events / dt).toFixed(0)} events/s = ${(images / dt).toFixed(0)} telescope images/s; dropped ${JSON.stringify(drops)}; emulator dropped for this slow client ${server.stats.droppedForSlowClients - slow0}; main thread busy ${(elu * 100).toFixed(0)} %`,
  );
  live.disconnect();
  await server.close();
  await new Promise((r) => setTimeout(r, 1000));
  await live.close();
  await pool.close();
}

// LIVE_BENCH_PATHS=breakdown,sim,daq,tcp (default all) runs only some parts, e.g. for a profile
const parts = new Set((process.env.LIVE_BENCH_PATHS ?? 'breakdown,sim,daq,tcp').split(','));
if (parts.has('breakdown')) costBreakdown();
if (parts.has('sim')) await simulationPath();
if (parts.has('daq')) await daqPath();
if (parts.has('tcp')) await tcpPath();
process.exit(0);
