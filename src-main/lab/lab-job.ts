/**
 * What the lab jobs (spectrum, MLEM, image stack) share: progress reports,
 * cancellation by an AbortSignal, and the error a cancelled job ends with.
 */
export interface LabProgress {
  phase: string;
  done: number;
  total: number;
  /** items per second so far */
  rate?: number;
}

export class LabJobCancelled extends Error {
  override readonly name = 'LabJobCancelled';
  constructor(what: string) {
    super(`${what} cancelled: no output written`);
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new LabJobCancelled(what);
}
