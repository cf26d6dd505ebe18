/**
 * What the run control says about the live source, as text: the state (with
 * the retry countdown while reconnecting) and the counters. Pure functions,
 * tested without a DOM.
 */
import type { DropReason, LiveStatus } from '../../src-main/api/live-contract.js';

export const DROP_REASON_TEXT: Record<DropReason, string> = {
  'queue-full': 'processing queue full',
  paused: 'received while paused',
  'bad-frame': 'undecodable frame',
  'unknown-telescope': 'unknown telescope',
  'processing-error': 'processing error',
  'simulation-busy': 'simulation could not keep up',
  'connection-lost': 'cut off by a lost connection',
};

/** Seconds until the next reconnection attempt, given when this attempt's status first arrived (ms). */
export function retryCountdown(s: Pick<LiveStatus, 'state' | 'reconnectDelaySeconds'>, firstSeenMs: number, nowMs: number): number | undefined {
  if (s.state !== 'reconnecting' || s.reconnectDelaySeconds === undefined) return undefined;
  return Math.max(0, s.reconnectDelaySeconds - (nowMs - firstSeenMs) / 1000);
}

/** One line for the state pill, e.g. "DAQ tcp://127.0.0.1:5555: reconnecting (attempt 3, next try in 1.2 s)". */
export function stateLine(s: LiveStatus, countdown?: number): string {
  const src = s.source === 'daq' ? `DAQ${s.url ? ` ${s.url}` : ''}` : s.source === 'replay' ? `replay of ${s.url ?? 'a file'}` : 'simulation';
  let text = `${src}: ${s.state}`;
  if (s.state === 'reconnecting') {
    const parts: string[] = [];
    if (s.reconnectAttempt !== undefined) parts.push(`attempt ${s.reconnectAttempt}`);
    if (countdown !== undefined) parts.push(`next try in ${countdown.toFixed(1)} s`);
    if (parts.length) text += ` (${parts.join(', ')})`;
  }
  return text;
}

/** "1,234 (queue full 1,200 · paused 34)" */
export function droppedText(s: LiveStatus): string {
  const c = s.counters;
  const parts = Object.entries(c.droppedByReason)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([r, n]) => `${DROP_REASON_TEXT[r as DropReason] ?? r} ${(n ?? 0).toLocaleString('en-US')}`);
  return parts.length ? `${c.dropped.toLocaleString('en-US')} (${parts.join(' · ')})` : c.dropped.toLocaleString('en-US');
}
