import { describe, expect, it } from 'vitest';
import { droppedText, retryCountdown, stateLine } from '../../../../src-renderer/live-monitor/live-status-text.js';
import { formatRate } from '../../../../src-renderer/format/numbers.js';
import type { LiveStatus } from '../../../../src-main/api/live-contract.js';

function status(over: Partial<LiveStatus>): LiveStatus {
  return {
    source: 'daq',
    state: 'running',
    url: 'tcp://127.0.0.1:5555',
    rateHz: 2000,
    counters: {
      received: 10,
      processed: 8,
      displayed: 3,
      dropped: 2,
      droppedByReason: { 'queue-full': 2 },
      imagesReceived: 40,
      imagesProcessed: 32,
      bytes: 1000,
      queued: 0,
      queueCapacity: 256,
    },
    recording: {
      active: false,
      filesCompleted: [],
      filesCompletedCount: 0,
      eventsWritten: 0,
      imagesWritten: 0,
      bytesWritten: 0,
      rotateMB: 500,
      rotateSeconds: 600,
      flushSeconds: 1,
    },
    ringSize: 0,
    ringCapacity: 100,
    activeAlarms: 0,
    displayHz: 30,
    displayBusy: false,
    time: 0,
    ...over,
  };
}

describe('live status text', () => {
  it('says reconnecting with the attempt and a countdown', () => {
    const s = status({ state: 'reconnecting', reconnectAttempt: 3, reconnectDelaySeconds: 2 });
    const c = retryCountdown(s, 1000, 1500);
    expect(c).toBeCloseTo(1.5, 10);
    expect(stateLine(s, c)).toBe('DAQ tcp://127.0.0.1:5555: reconnecting (attempt 3, next try in 1.5 s)');
    expect(retryCountdown(s, 1000, 9000)).toBe(0);
    expect(retryCountdown(status({}), 0, 0)).toBeUndefined();
    expect(stateLine(status({ source: 'simulation', url: undefined, state: 'paused' }))).toBe('simulation: paused');
  });
  it('gives the dropped count with its reasons, and rates in Hz or kHz', () => {
    expect(droppedText(status({}))).toBe('2 (processing queue full 2)');
    expect(formatRate(1987.4)).toBe('1.99 kHz');
    expect(formatRate(12.34)).toBe('12.3 Hz');
  });
});
