/**
 * `lightpool process`: recomputes cleaning masks, image parameters and the
 * stereo geometry of a ctapipe DL1 file and writes them in ctapipe's layout.
 *
 * The main thread coordinates and does the file I/O (reading stored chunks,
 * the HDF5 writer): where the image table's chunk index can be read, whole
 * stored chunks go to the workers, which decode, clean, parameterise and
 * re-encode them (process-chunks.ts: the chunks transferred both ways);
 * otherwise the images travel in batches as transferred Float32Arrays and
 * the cleaned pixels' indices and the packed parameters come back copied.
 * Batches are submitted in file order with a bounded number in
 * flight and their results consumed in the same order, so the output rows
 * keep the input's order. The output is written to a temporary file next to
 * OUT and renamed only when complete: an error or Ctrl-C leaves nothing
 * under OUT.
 */
import { imageBatchSize } from '../pool/image-batch-size.js';
import { renameSync, rmSync } from 'node:fs';
import { temporaryOutputPath } from '../../src-worker/io/output-path.js';
import { availableParallelism } from 'node:os';
import { WorkerPool } from '../pool/worker-pool.js';
import { sharedGeometry } from '../pool/shared-geometry.js';
import { Hdf5Error } from '../../src-worker/io/hdf5/h5-errors.js';
import { checkProcessPaths } from './process-paths.js';
import type { H5File } from '../../src-worker/io/hdf5/h5-file.js';
import { openProcessInput, readImageRows, type ProcessTelescope } from '../../src-worker/io/dl1/process-input.js';
import { ProcessOutput } from '../../src-worker/io/dl1/process-output.js';
import type { ReconstructImagesResult, ReconstructImagesTask } from '../../src-worker/image/image-batch.js';
import type { ProcessChunksResult, ProcessChunksTask } from '../../src-worker/io/dl1/process-chunks.js';
import { directTable } from '../../src-worker/io/hdf5/read/direct-chunks.js';
import { IMAGE_STATUS } from '../../src-worker/image/image-processor.js';
import { N_PARAMETER_COLUMNS, packedParameterColumns } from '../../src-worker/image/parameter-columns.js';
import { computePixelNeighbors } from '../../src-worker/instrument/neighbors.js';
import type { CameraGeometry } from '../../src-worker/containers/camera-geometry.js';
import { cameraRadiusDeg, guessCameraRadiusFromNeighbors } from '../../src-worker/reco/camera-radius.js';
import { reconstructArrayEvents, type TelescopeRows } from '../../src-worker/reco/array-event-stereo.js';
import { LIGHTPOOL_NAME, LIGHTPOOL_VERSION } from '../version.js';
import { defaultProcessSettings, type ProcessSettings } from './process-config.js';
import { addQualityCounts, newQualityCounts, type QualityCounts } from '../../src-worker/selection/quality-query.js';
import type { CompressionKind } from '../../src-worker/io/hdf5/writer/output-filters.js';
import { IMAGE_STATISTICS, recordedQualityCriteria, TEL_EVENT_STATISTICS } from '../../src-worker/io/dl1/quality-statistics-table.js';

export interface ProcessProgress {
  phase: 'copy' | 'images' | 'stereo' | 'write';
  done: number;
  total: number;
  /** images per second so far (phase 'images') */
  rate?: number;
  /** image-table bytes read from the input per second so far (phase 'images'; as stored, or decoded where the rows are read through HDF5) */
  bytesPerSecond?: number;
  /** seconds left for the images at the rate so far (phase 'images') */
  etaSeconds?: number;
}

export interface ProcessOptions {
  input: string;
  output: string;
  settings?: ProcessSettings;
  overwrite?: boolean;
  /** worker threads (default: all cores) */
  threads?: number;
  /** the command line recorded in the output */
  command?: string;
  /** the output compressor's level (Blosc 1-9, gzip 0-9; 0: stored); default: each input table's */
  compressionLevel?: number;
  /** the output's compressor: 'input' (default: each table's as in the input, ctapipe's Blosc/zstd 5 + fletcher32), 'blosc', 'gzip' or 'none' */
  compression?: CompressionKind;
  onProgress?: (p: ProcessProgress) => void;
  signal?: AbortSignal;
}

export interface ProcessSummary {
  output: string;
  nEvents: number;
  nImages: number;
  /** images that passed the quality query and were parameterised */
  nParameterised: number;
  nStereoValid: number;
  seconds: number;
  imagesPerSecond: number;
  bytes: number;
  threads: number;
  notes: string[];
}

export class ProcessCancelled extends Error {
  constructor() {
    super('process cancelled: no output written');
  }
}

/** Per telescope, what the image batches gave back. */
interface TelescopeResults {
  tel: ProcessTelescope;
  obsId: Float64Array[];
  eventId: Float64Array[];
  packed: Float64Array[];
  n: number;
}

function concat(parts: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Uncompressed image-table bytes per chunk task (whole chunks: at least one). */
const CHUNK_TASK_BYTES = 1 << 20;

/**
 * The quality queries the input file records (ctapipe-process's
 * /dl1/service/image_statistics and /dl2/service/tel_event_statistics): like
 * ctapipe-process recomputing a file, this run applies its own settings (the
 * defaults or --config); where the file's record says other criteria were
 * applied to the parameters it holds, that is said, naming them, rather than
 * passed over.
 */
function recordedQualityNotes(file: H5File, settings: ProcessSettings): string[] {
  const notes: string[] = [];
  const text = (c: readonly (readonly [string, string])[]) => (c.length ? c.map(([n, e]) => `${n}: ${e}`).join(', ') : 'none');
  const pairs = (c: readonly { name: string; expression: string }[] | null) => (c ?? []).map((q): [string, string] => [q.name, q.expression]);
  for (const [path, applied, what] of [
    [IMAGE_STATISTICS, pairs(settings.imageQuality), 'ImageQualityQuery'],
    [TEL_EVENT_STATISTICS, pairs(settings.stereoQuality), 'StereoQualityQuery'],
  ] as const) {
    const recorded = recordedQualityCriteria(file, path);
    if (recorded && JSON.stringify(recorded) !== JSON.stringify(applied)) {
      notes.push(
        `the input records ${what} criteria ${text(recorded)} (${path}); this run applied ${text(applied)} (${settings.source}) — give the file's in a --config to apply them`,
      );
    }
  }
  return notes;
}

export async function runProcess(opts: ProcessOptions): Promise<ProcessSummary> {
  const t0 = performance.now();
  const { input, output } = checkProcessPaths(opts.input, opts.output, opts.overwrite);
  const settings = opts.settings ?? defaultProcessSettings();
  const signal = opts.signal;
  const checkCancel = () => {
    if (signal?.aborted) throw new ProcessCancelled();
  };
  const progress = opts.onProgress ?? (() => {});

  const inp = await openProcessInput(input, { focalLengthChoice: settings.focalLengthChoice });
  const temp = temporaryOutputPath(output);
  let out: ProcessOutput | null = null;
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  // a smaller young generation per worker: the peak RSS is one of the goals (issue 17)
  const pool = new WorkerPool(threads, { youngGenerationMb: 8 });
  try {
    const withImages = inp.telescopes.filter((t) => t.images && t.images.nRows > 0);
    const resolved = settings.resolve(inp.telescopes.map((t) => ({ telId: t.telId, type: t.type })));
    const qualityNotes = recordedQualityNotes(inp.file, settings);
    out = new ProcessOutput(
      inp,
      temp,
      { command: opts.command ?? 'lightpool process', software: { name: LIGHTPOOL_NAME, version: LIGHTPOOL_VERSION }, settings: resolved.describe() },
      {
        checkCancel,
        progress: (p) => progress({ phase: 'copy', done: p.done, total: p.total }),
        compression: { kind: opts.compression ?? 'input', level: opts.compressionLevel },
      },
    );
    const output_ = out;

    // image batches through the pool, results consumed in submission order
    const totalImages = withImages.reduce((a, t) => a + t.images!.nRows, 0);
    const results = new Map<number, TelescopeResults>();
    const columns = packedParameterColumns('TelescopeFrame');
    const maxInFlight = Math.max(2, 2 * threads);
    /** a batch's outcome: its rows' ids and parameters, and how to write its image rows */
    interface BatchDone {
      count: number;
      obsId: Float64Array;
      eventId: Float64Array;
      parameters: Float64Array;
      status: Uint8Array;
      qualityCounts: QualityCounts | null;
      write: () => void;
    }
    const inFlight: { tel: ProcessTelescope; last: boolean; done: Promise<BatchDone> }[] = [];
    let done = 0;
    let bytesRead = 0;
    let parameterised = 0;
    const imageCounts = settings.imageQuality ? newQualityCounts(settings.imageQuality.length) : null;
    const tImages = performance.now();
    const consume = async () => {
      const job = inFlight.shift()!;
      const r = await job.done;
      checkCancel();
      r.write();
      let tr = results.get(job.tel.telId);
      if (!tr) results.set(job.tel.telId, (tr = { tel: job.tel, obsId: [], eventId: [], packed: [], n: 0 }));
      tr.obsId.push(r.obsId);
      tr.eventId.push(r.eventId);
      tr.packed.push(r.parameters);
      tr.n += r.count;
      for (let i = 0; i < r.count; i++) if (r.status[i] === IMAGE_STATUS.ok) parameterised++;
      if (imageCounts && r.qualityCounts) addQualityCounts(imageCounts, r.qualityCounts);
      if (job.last) output_.finishImages(job.tel.telId);
      done += r.count;
      const s = (performance.now() - tImages) / 1000;
      const rate = s > 0 ? done / s : 0;
      progress({
        phase: 'images',
        done,
        total: totalImages,
        rate,
        bytesPerSecond: s > 0 ? bytesRead / s : 0,
        etaSeconds: rate > 0 ? (totalImages - done) / rate : undefined,
      });
    };
    const submit = async (tel: ProcessTelescope, last: boolean, batch: Promise<BatchDone>) => {
      batch.catch(() => {}); // awaited in order by consume()
      inFlight.push({ tel, last, done: batch });
      if (inFlight.length >= maxInFlight) await consume();
    };
    const shared = new Map<string, CameraGeometry>();
    for (const tel of withImages) {
      const table = tel.images!;
      const key = `${tel.cameraName}|${tel.geometry.nPixels}|TelescopeFrame|${tel.effectiveFocalLength}`;
      let geometry = shared.get(key);
      if (!geometry) shared.set(key, (geometry = sharedGeometry(tel.geometry)));
      const camera = { key, geometry, frame: 'TelescopeFrame' as const, focalLength: tel.effectiveFocalLength };
      const cleaning = resolved.cleaningFor(tel.telId);
      const imageField = table.field('image');
      if (imageField.count !== tel.geometry.nPixels) {
        throw new Hdf5Error(
          'unknown-layout',
          `${input}: ${table.path} holds images of ${imageField.count} pixels, camera ${tel.cameraName} has ${tel.geometry.nPixels}`,
          input,
        );
      }
      // whole stored chunks to the workers (decoded, processed and re-encoded there) where the chunk index can be read
      const direct = directTable(inp.file, table.path, table.rowSize, table.nRows, table.meta.chunks?.[0]);
      const format = direct?.complete ? output_.imageChunkFormat(tel.telId, table) : null;
      if (direct && format && format.chunkRows === direct.layout.chunkDims[0]) {
        const chunkRows = format.chunkRows;
        const nChunks = Math.ceil(table.nRows / chunkRows);
        const perTask = Math.max(1, Math.floor(CHUNK_TASK_BYTES / (chunkRows * table.rowSize)));
        const fields = {
          image: imageField,
          peakTime: table.hasField('peak_time') ? table.field('peak_time') : null,
          mask: format.mask,
          obsId: table.field('obs_id'),
          eventId: table.field('event_id'),
        };
        for (let b = 0; b < nChunks; b += perTask) {
          checkCancel();
          const stored: Uint8Array[] = [];
          const filterMasks: number[] = [];
          const rows: number[] = [];
          for (let c = b; c < Math.min(nChunks, b + perTask); c++) {
            const s = direct.stored(c);
            if (!s) throw new Hdf5Error('unknown-layout', `${input}: ${table.path}: chunk ${c} is missing from its index`, input);
            stored.push(s.bytes);
            bytesRead += s.bytes.byteLength;
            filterMasks.push(s.filterMask);
            rows.push(Math.min(chunkRows, table.nRows - c * chunkRows));
          }
          const task: ProcessChunksTask = {
            kind: 'process-chunks',
            what: `${input}: ${table.path}`,
            camera,
            cleaning,
            quality: settings.imageQuality,
            stored,
            filterMasks,
            rows,
            inputFilters: direct.layout.filters,
            chunkRows,
            rowSize: table.rowSize,
            fields,
            output: format.filters,
          };
          const batch = pool
            .run<ProcessChunksResult>(
              task,
              stored.map((x) => x.buffer as ArrayBuffer),
            )
            .then((r): BatchDone => ({
              count: r.nImages,
              obsId: r.obsId,
              eventId: r.eventId,
              parameters: r.parameters,
              status: r.status,
              qualityCounts: r.qualityCounts,
              write: () => output_.appendEncodedImages(tel.telId, table, r.stored, rows),
            }));
          await submit(tel, b + perTask >= nChunks, batch);
        }
        continue;
      }
      const b = imageBatchSize(tel.geometry.nPixels);
      for (let start = 0; start < table.nRows; start += b) {
        checkCancel();
        const count = Math.min(b, table.nRows - start);
        const rows = readImageRows(table, start, count);
        bytesRead += rows.raw.byteLength;
        const task: ReconstructImagesTask = {
          kind: 'reconstruct-images',
          camera,
          cleaning,
          quality: settings.imageQuality,
          parameters: 'all',
          nImages: count,
          images: rows.images,
          peakTimes: rows.peakTimes,
        };
        const transfer = [rows.images.buffer as ArrayBuffer, ...(rows.peakTimes ? [rows.peakTimes.buffer as ArrayBuffer] : [])];
        const batch = pool.run<ReconstructImagesResult>(task, transfer).then((r): BatchDone => ({
          count,
          obsId: rows.obsId,
          eventId: rows.eventId,
          parameters: r.parameters,
          status: r.status,
          qualityCounts: r.qualityCounts,
          write: () => output_.appendImages(tel.telId, table, rows, r.pixels, r.pixelOffsets),
        }));
        await submit(tel, start + count >= table.nRows, batch);
      }
    }
    while (inFlight.length) await consume();
    const imageSeconds = (performance.now() - tImages) / 1000;

    // stereo
    checkCancel();
    const radiusByCamera = new Map<string, number>();
    const reader = inp.reader;
    const col = (name: string) => columns.indexOf(name);
    const idx = {
      intensity: col('hillas_intensity'),
      lon: col('hillas_fov_lon'),
      lat: col('hillas_fov_lat'),
      length: col('hillas_length'),
      width: col('hillas_width'),
      psi: col('hillas_psi'),
      nPixels: col('morphology_n_pixels'),
      leak2: col('leakage_intensity_width_2'),
    };
    const telRows: TelescopeRows[] = [];
    const telResults = withImages.map((t) => results.get(t.telId)!).filter(Boolean);
    for (const tr of telResults) {
      const tel = tr.tel;
      let radius = radiusByCamera.get(tel.cameraName);
      if (radius === undefined) {
        const g = tel.geometry;
        radius = guessCameraRadiusFromNeighbors(g.pixX, g.pixY, computePixelNeighbors(g.pixX, g.pixY, g.pixType));
        radiusByCamera.set(tel.cameraName, radius);
      }
      const packed = concat(tr.packed, tr.n * N_PARAMETER_COLUMNS);
      const obsId = concat(tr.obsId, tr.n);
      const eventId = concat(tr.eventId, tr.n);
      tr.packed = [packed];
      tr.obsId = [obsId];
      tr.eventId = [eventId];
      const pick = (k: number) => {
        const a = new Float64Array(tr.n);
        for (let r = 0; r < tr.n; r++) a[r] = packed[r * N_PARAMETER_COLUMNS + k];
        return a;
      };
      // ctapipe keeps leakage intensities and the image statistics as float32 in its containers
      const leak2 = pick(idx.leak2).map((v) => Math.fround(v));
      const float32Column = (name: string) => name.startsWith('leakage_intensity_') || /^(intensity|peak_time)_/.test(name);
      const eventIndex = new Int32Array(tr.n);
      for (let r = 0; r < tr.n; r++) eventIndex[r] = reader.findEvent(obsId[r], eventId[r]);
      telRows.push({
        telId: tel.telId,
        position: tel.position,
        pointingAlt: tel.pointingAlt,
        pointingAz: tel.pointingAz,
        camRadiusDeg: cameraRadiusDeg(radius, tel.effectiveFocalLength),
        n: tr.n,
        eventIndex,
        intensity: pick(idx.intensity),
        fovLon: pick(idx.lon),
        fovLat: pick(idx.lat),
        length: pick(idx.length),
        width: pick(idx.width),
        psi: pick(idx.psi),
        nPixels: pick(idx.nPixels),
        leakageIntensityWidth2: leak2,
        column: (name, r) => {
          const k = columns.indexOf(name);
          if (k < 0) return NaN;
          const v = packed[r * N_PARAMETER_COLUMNS + k];
          return float32Column(name) ? Math.fround(v) : v;
        },
      });
    }
    const nEvents = reader.nEvents;
    const stereoCounts = newQualityCounts(settings.stereoQuality.length);
    const stereo = reconstructArrayEvents(
      {
        nEvents,
        telescopes: telRows,
        arrayPointingAlt: inp.arrayPointingAlt,
        arrayPointingAz: inp.arrayPointingAz,
        observationLevel: inp.observationLevel,
        qualityCriteria: settings.stereoQuality,
        qualityCounts: stereoCounts,
      },
      (e) => {
        if (e % 1000 === 0 || e === nEvents) progress({ phase: 'stereo', done: e, total: nEvents });
      },
    );

    // parameter, geometry and impact tables
    checkCancel();
    telResults.forEach((tr, i) => {
      progress({ phase: 'write', done: i, total: telResults.length });
      output_.writeParameters(tr.tel.telId, { obsId: tr.obsId[0], eventId: tr.eventId[0], packed: tr.packed[0], corePsi: stereo.corePsi[i], n: tr.n }, columns);
    });
    const subarrayTelIds = inp.reader.subarray.telescopes.map((t) => t.telId).sort((a, b) => a - b);
    const telIndex = new Map(subarrayTelIds.map((id, k) => [id, k]));
    const used = stereo.geometry.map((g) => {
      const m = new Uint8Array(subarrayTelIds.length);
      for (const id of g.telIds) m[telIndex.get(id)!] = 1;
      return m;
    });
    const geomValue = (e: number, c: string): number => {
      const g = stereo.geometry[e];
      switch (c) {
        case 'alt':
          return g.alt;
        case 'az':
          return g.az;
        case 'alt_uncert':
          return g.altUncert;
        case 'az_uncert':
          return g.azUncert;
        case 'core_x':
          return g.coreX;
        case 'core_y':
          return g.coreY;
        case 'core_tilted_x':
          return g.coreTiltedX;
        case 'core_tilted_y':
          return g.coreTiltedY;
        case 'h_max':
          return g.hMax;
        case 'is_valid':
          return g.isValid ? 1 : 0;
        case 'average_intensity':
          return g.averageIntensity;
        // ctapipe's HillasReconstructor leaves the other uncertainties and the goodness of fit unset
        default:
          return NaN;
      }
    };
    output_.writeGeometry(nEvents, reader.index.obsId, reader.index.eventId, geomValue, (e, k) => used[e][k] === 1, subarrayTelIds.length);
    telResults.forEach((tr, i) => output_.writeImpact(tr.tel.telId, tr.obsId[0], tr.eventId[0], stereo.impactDistance[i], tr.n));
    if (settings.imageQuality && imageCounts) output_.writeQualityStatistics(IMAGE_STATISTICS, settings.imageQuality, imageCounts);
    output_.writeQualityStatistics(TEL_EVENT_STATISTICS, settings.stereoQuality, stereoCounts);
    checkCancel();
    const bytes = output_.close();
    renameSync(temp, output);
    const seconds = (performance.now() - t0) / 1000;
    return {
      output,
      nEvents,
      nImages: totalImages,
      nParameterised: parameterised,
      nStereoValid: stereo.geometry.filter((g) => g.isValid).length,
      seconds,
      imagesPerSecond: imageSeconds > 0 ? totalImages / imageSeconds : 0,
      bytes,
      threads,
      notes: [
        ...settings.notes,
        ...settings.dl1InputNotes,
        ...resolved.notes,
        ...qualityNotes,
        ...inp.notes,
        ...output_.env.skipped.map((s) => `not written: ${s}`),
      ],
    };
  } catch (err) {
    out?.abort();
    throw err;
  } finally {
    rmSync(temp, { force: true });
    inp.file.close();
    await pool.close();
  }
}
