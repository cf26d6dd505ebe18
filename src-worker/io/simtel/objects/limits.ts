/**
 * Sanity limits for dimensions read from a file before arrays are allocated
 * for them (where the object's byte count does not bound them already, e.g.
 * zero-suppressed data): far above any real camera (the largest has ~40,000
 * pixels), far below what would exhaust the memory.
 */
import { ObjectParseError } from '../../eventio/eventio-errors.js';

export const MAX_PIXELS = 1 << 22;
export const MAX_ELEMENTS = 1 << 28;

export function checkPixels(nPixels: number, what: string): void {
  if (!Number.isInteger(nPixels) || nPixels < 0 || nPixels > MAX_PIXELS) {
    throw new ObjectParseError(`${what}: ${nPixels} pixels is not a plausible camera (0..${MAX_PIXELS})`, nPixels > MAX_PIXELS ? 'too-large' : 'corrupt');
  }
}

export function checkElements(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) {
    throw new ObjectParseError(`${what}: ${n} values is more than this reader allocates (${MAX_ELEMENTS})`, 'too-large');
  }
}
