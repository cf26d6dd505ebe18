/**
 * Recording to a sequence of DL1 files (dl1-recording-file.ts). Lightpool's
 * HDF5 writer makes a file valid only when it closes it (the superblock and
 * object headers are written last), so durability comes from closing files
 * often: a file is closed and renamed from *.h5.partial to *.h5 after
 * min(rotateSeconds, flushSeconds) seconds or rotateBytes bytes of image
 * data, whichever comes first. A crash loses at most the open file: the last flushSeconds
 * (default 1 s) of events. Every *.h5 file is complete and readable by
 * PyTables at any time; the list of files is the recording.
 *
 * With `file` set, everything goes to that one file (no rotation, closed by
 * stop(): `lightpool record --out FILE`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dl1RecordingFile } from './dl1-recording-file.js';
import type { RawArrayEvent } from '../../live/live-types.js';
import type { SubarrayDescription } from '../../containers/subarray.js';
import type { RotatingRecorderStatus } from './recording-status.js';

export interface RotatingRecorderOptions {
  dir: string;
  prefix: string;
  rotateBytes: number;
  rotateSeconds: number;
  flushSeconds: number;
  subarray: SubarrayDescription;
  /** one file at this path instead of rotating files in `dir` */
  file?: string;
  /** the events are simulated (written in each file's reference metadata) */
  simulated?: boolean;
}

/** completed files listed in a status, at most (the newest) */
export const FILES_LISTED = 100;

/** what differs between two subarrays, for a message: the telescopes, else the pointing, else the name */
function subarrayChange(from: SubarrayDescription, to: SubarrayDescription): string {
  const ids = (x: SubarrayDescription) => x.telescopes.map((t) => t.telId).join(',');
  if (ids(from) !== ids(to)) return `telescopes ${ids(to)} instead of ${ids(from)}`;
  if (JSON.stringify(from.telescopes) !== JSON.stringify(to.telescopes)) return `telescopes ${ids(to)} with another type, camera, focal length or position`;
  const p = (x: SubarrayDescription) => `alt ${x.pointing.alt}°, az ${x.pointing.az}°`;
  if (p(from) !== p(to)) return `pointing ${p(to)} instead of ${p(from)}`;
  return `name "${to.name}" instead of "${from.name}"`;
}

function stamp(t: Date): string {
  return t
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export class RotatingRecorder {
  private file: Dl1RecordingFile | undefined;
  private fileOpenedAt = 0;
  private seq = 0;
  private readonly base: string;
  /** events in closed files only (what a crash cannot take away) */
  private committedEvents = 0;
  private committedImages = 0;
  private committedBytes = 0;
  readonly status: RotatingRecorderStatus = { filesCompleted: [], filesCompletedCount: 0, eventsWritten: 0, imagesWritten: 0, bytesWritten: 0 };

  private subarray: SubarrayDescription;

  constructor(
    private readonly opts: RotatingRecorderOptions,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    mkdirSync(opts.dir, { recursive: true });
    this.base = join(opts.dir, `${opts.prefix}_${stamp(new Date(now() * 1000))}`);
    this.subarray = opts.subarray;
  }

  /**
   * Set when a single `file` cannot take what follows (a DAQ announced
   * another subarray after events were written): events are refused from
   * then on, and the recording should stop with this as its error. The file
   * keeps the events before, complete once stopped.
   */
  refused: string | undefined;

  /**
   * the subarray of the events that follow (a DAQ announces it when it
   * connects): a file holds one subarray, so the open file is closed first;
   * a single `file` cannot, so it refuses the events that follow (`refused`)
   */
  setSubarray(s: SubarrayDescription): void {
    if (JSON.stringify(s) === JSON.stringify(this.subarray)) return;
    if (this.file && this.file.events > 0) {
      if (this.opts.file) {
        this.refused ??=
          `the DAQ announced another subarray (${subarrayChange(this.subarray, s)}) after ${this.file.events} events; ` +
          `${this.opts.file} holds those, complete; record with --split S to follow subarray changes`;
        return;
      }
      this.closeFile();
    }
    if (this.file) {
      // opened without events: drop it, the next events open a file with the new subarray
      this.file.abort();
      this.file = undefined;
      this.status.currentFile = undefined;
      this.seq--;
    }
    this.subarray = s;
  }

  private open(): Dl1RecordingFile {
    if (this.opts.file && this.seq > 0) throw new Error(`recording: ${this.opts.file} is closed already`);
    this.seq++;
    const path = this.opts.file ?? `${this.base}_${String(this.seq).padStart(5, '0')}.h5`;
    this.file = new Dl1RecordingFile(path, this.subarray, { simulated: this.opts.simulated });
    this.fileOpenedAt = this.now();
    this.status.currentFile = path;
    return this.file;
  }

  append(events: RawArrayEvent[]): void {
    if (this.refused) return;
    for (const e of events) {
      const f = this.file ?? this.open();
      f.append(e);
      // image data appended (the file's size lags behind: rows are written a chunk at a time)
      if (!this.opts.file && f.imageBytes >= this.opts.rotateBytes) this.closeFile();
    }
    this.updateCounts();
  }

  /** closes the open file when it is old enough; call often (e.g. every 100 ms) */
  tick(): void {
    if (this.file && !this.opts.file && this.now() - this.fileOpenedAt >= Math.min(this.opts.rotateSeconds, this.opts.flushSeconds)) this.closeFile();
  }

  private closeFile(): void {
    const f = this.file;
    if (!f) return;
    this.file = undefined;
    this.status.currentFile = undefined;
    f.close();
    for (const m of f.missingGeometries) if (!(this.status.camerasWithoutGeometry ??= []).includes(m)) this.status.camerasWithoutGeometry.push(m);
    this.committedEvents += f.events;
    this.committedImages += f.images;
    this.committedBytes += f.bytes;
    this.status.filesCompleted.push(f.path);
    if (this.status.filesCompleted.length > FILES_LISTED) this.status.filesCompleted.shift();
    this.status.filesCompletedCount++;
    this.status.firstFileCompleted ??= f.path;
    this.status.lastFlushTime = this.now();
    this.updateCounts();
  }

  private updateCounts(): void {
    this.status.eventsWritten = this.committedEvents + (this.file?.events ?? 0);
    this.status.imagesWritten = this.committedImages + (this.file?.images ?? 0);
    this.status.bytesWritten = this.committedBytes + (this.file?.bytes ?? 0);
  }

  /** closes the last file (a recording without events leaves no file) */
  stop(): void {
    this.closeFile();
  }

  /** after an error: drops the open file */
  abort(): void {
    this.file?.abort();
    this.file = undefined;
    this.status.currentFile = undefined;
    this.updateCounts();
  }
}
