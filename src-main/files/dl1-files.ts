/**
 * What the event views need from open DL1 files, through the HDF5 worker:
 * the subarray, camera geometries, pointing and event index (read once per
 * file and kept), and events as ArrayEvents.
 */
import type { ResolvedImageExtractorConfig } from '../../src-worker/calib/image-extractor.js';
import type { CameraGeometry, SubarrayDescription } from '../api/instrument-types.js';
import type { ArrayEvent } from '../api/event-types.js';
import type { Dl1EventIndex, Dl1Subarray } from '../../src-worker/io/dl1/dl1-types.js';
import type { FileSummary } from '../../src-worker/io/service/hdf5-protocol.js';
import type { Hdf5Client } from './hdf5-client.js';
import { dl1ToArrayEvent } from './dl1-array-event.js';
import { geometryWire, pointingFromObservationBlock, pointingFromTelescopeTable, subarrayDescription } from './dl1-instrument.js';
import { ApiError } from '../util/errors.js';
import { basename } from 'node:path';
import { DL1_PATHS, telTablePath } from '../../src-worker/io/dl1/dl1-layout.js';

export interface Dl1FileRef {
  fileId: string;
  path: string;
  summary: FileSummary;
  info: { eventCount: number };
}

interface Dl1Instrument {
  subarray: Dl1Subarray;
  pointing?: { alt: number; az: number };
  description: SubarrayDescription;
}

export class Dl1Files {
  private readonly instruments = new Map<string, Promise<Dl1Instrument>>();
  private readonly indices = new Map<string, Promise<Dl1EventIndex>>();

  constructor(private readonly hdf5: () => Hdf5Client) {}

  forget(fileId: string): void {
    this.instruments.delete(fileId);
    this.indices.delete(fileId);
  }

  private instrument(f: Dl1FileRef): Promise<Dl1Instrument> {
    let p = this.instruments.get(f.fileId);
    if (!p) {
      p = this.loadInstrument(f);
      p.catch(() => this.instruments.delete(f.fileId));
      this.instruments.set(f.fileId, p);
    }
    return p;
  }

  private async loadInstrument(f: Dl1FileRef): Promise<Dl1Instrument> {
    const subarray = await this.hdf5().request({ type: 'dl1Subarray', fileId: f.fileId });
    const pointing = subarray.pointing ?? (await this.pointing(f, subarray).catch(() => undefined));
    return { subarray, pointing, description: subarrayDescription(subarray, pointing, basename(f.path)) };
  }

  /** The array pointing: the first telescope's configured pointing, else the observation block's (ALTAZ). */
  private async pointing(f: Dl1FileRef, s: Dl1Subarray): Promise<{ alt: number; az: number } | undefined> {
    const have = new Set(f.summary.datasets.map((d) => d.path));
    for (const t of s.telescopes) {
      const path = telTablePath(DL1_PATHS.telescopePointing, t.telId);
      if (!have.has(path)) continue;
      const r = await this.hdf5().request({
        type: 'readTableRows',
        fileId: f.fileId,
        path,
        start: 0,
        count: 1,
        columns: ['telescope_pointing_altitude', 'telescope_pointing_azimuth'],
      });
      const p = pointingFromTelescopeTable(r);
      if (p) return p;
    }
    if (have.has(DL1_PATHS.observationBlock)) {
      const r = await this.hdf5().request({
        type: 'readTableRows',
        fileId: f.fileId,
        path: DL1_PATHS.observationBlock,
        start: 0,
        count: 1,
        columns: ['subarray_pointing_lat', 'subarray_pointing_lon', 'subarray_pointing_frame'],
      });
      return pointingFromObservationBlock(r);
    }
    return undefined;
  }

  async subarray(f: Dl1FileRef): Promise<SubarrayDescription> {
    return (await this.instrument(f)).description;
  }

  async geometry(f: Dl1FileRef, camera: string): Promise<CameraGeometry> {
    const { subarray } = await this.instrument(f);
    const g = subarray.cameras[camera];
    if (!g) {
      const names = Object.keys(subarray.cameras).join(', ') || 'none';
      throw new ApiError('not-found', `${f.path} has no geometry for camera "${camera}" (cameras in the file: ${names})`);
    }
    return geometryWire(g);
  }

  async findEvent(f: Dl1FileRef, obsId: number, eventId: number): Promise<number> {
    let p = this.indices.get(f.fileId);
    if (!p) {
      p = this.hdf5().request({ type: 'dl1EventIndex', fileId: f.fileId });
      p.catch(() => this.indices.delete(f.fileId));
      this.indices.set(f.fileId, p);
    }
    const idx = await p;
    for (let i = 0; i < idx.nEvents; i++) if (idx.obsId[i] === obsId && idx.eventId[i] === eventId) return i;
    throw new ApiError('not-found', `${f.path} has no event with obs_id ${obsId} and event_id ${eventId}`);
  }

  /** Event `index`; `extractor`: the image extractor a sim_telarray file's images are computed with (default ctapipe's). */
  async event(f: Dl1FileRef, index: number, extractor?: ResolvedImageExtractorConfig): Promise<ArrayEvent> {
    const inst = await this.instrument(f);
    const options = extractor ? { simulation: true, dl2: true, extractor } : { simulation: true, dl2: true };
    const ev = await this.hdf5().request({ type: 'dl1Event', fileId: f.fileId, index, options });
    return dl1ToArrayEvent(ev, { fileId: f.fileId, count: f.info.eventCount, subarray: inst.subarray, pointing: inst.pointing });
  }
}
