/** Rate-plot time ticks: one line, the full time at the first tick and at each minute, seconds between. */
import { describe, expect, it } from 'vitest';
import { utcTickLabels } from '../../../../src-renderer/live-monitor/time-ticks.js';

describe('rate-plot time ticks', () => {
  it('labels in UTC', () => {
    const t0 = Date.UTC(2026, 10, 21, 14, 26, 50) / 1000;
    expect(utcTickLabels([t0, t0 + 5, t0 + 10, t0 + 15])).toEqual(['14:26:50', ':55', '14:27:00', ':05']);
  });
});
