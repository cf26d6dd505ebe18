/**
 * The free-space check of a recording: before it starts (refused when the
 * disk is nearly full) and every few seconds while it runs (stopped cleanly,
 * its files complete, with a message saying why). The margin leaves room for
 * what the recorder still holds and the file it closes.
 */
import { DEFAULT_MIN_FREE_BYTES, megabytes, statfsFreeBytes, type FreeBytes } from '../files/disk-space.js';
import { errorMessage } from '../util/errors.js';

export interface RecordSpaceOptions {
  /** how free space is measured (default fs.statfs) */
  freeBytes?: FreeBytes;
  /** below this many bytes free, recording does not start or stops (default 1 GB) */
  minFreeBytes?: number;
  /** how often a running recording checks, ms (default 2000) */
  periodMs?: number;
}

export class RecordSpaceWatch {
  private timer: NodeJS.Timeout | undefined;
  private readonly freeBytes: FreeBytes;
  readonly minFreeBytes: number;
  private readonly periodMs: number;

  constructor(options: RecordSpaceOptions = {}) {
    this.freeBytes = options.freeBytes ?? statfsFreeBytes;
    this.minFreeBytes = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    this.periodMs = options.periodMs ?? 2000;
  }

  /** why recording to `dir` must not start now, or undefined */
  async refusal(dir: string): Promise<string | undefined> {
    let free: number;
    try {
      free = await this.freeBytes(dir);
    } catch (err) {
      return `cannot tell the free space of its disk: ${errorMessage(err)}`;
    }
    if (free < this.minFreeBytes)
      return `only ${megabytes(free)} free on its disk (recording needs at least ${megabytes(this.minFreeBytes)}); free some space or choose another disk`;
    return undefined;
  }

  /** checks `dir` every period while recording; `low(message)` once when the disk is nearly full */
  watch(dir: string, low: (message: string) => void): void {
    this.stop();
    let checking = false;
    this.timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.freeBytes(dir).then(
        (free) => {
          checking = false;
          if (free >= this.minFreeBytes || !this.timer) return;
          this.stop();
          low(
            `recording stopped: only ${megabytes(free)} free on the disk of ${dir} (Lightpool stops below ${megabytes(this.minFreeBytes)} so that every file it wrote is complete); the files written so far are complete`,
          );
        },
        () => (checking = false), // a failed measurement is tried again next period
      );
    }, this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
