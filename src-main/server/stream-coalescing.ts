/**
 * Which stream messages a slow client may miss because a newer one replaces
 * them (newest wins): the state streams (status, histograms, rates, pixel
 * maps, alarms) by stream, progress by job (its last message, `done`, is the
 * newest). Notices and file announcements are events: each is kept.
 */
import type { StreamMessage } from '../api/contract.js';

/** the key under which a newer message replaces this one, or undefined when none does */
export function coalesceKey(m: StreamMessage): string | undefined {
  switch (m.stream) {
    case 'notice':
    case 'file-opened':
      return undefined;
    case 'export-progress':
    case 'histogram-progress':
      return `${m.stream}:${(m.data as { jobId?: string }).jobId ?? ''}`;
    default:
      return m.stream;
  }
}
