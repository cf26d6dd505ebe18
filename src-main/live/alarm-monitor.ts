/**
 * Alarms for the shifter: array rate below a threshold, a telescope silent
 * for N seconds, too many hot or dead pixels in a camera, a DAQ source
 * disconnected. evaluate() is called about once a second with what the
 * backend knows; an alarm stays active (same id) while its condition holds
 * and is cleared when it no longer does; every change goes to the log.
 */
import type { AlarmKind, AlarmLogEntry, AlarmThresholds, LiveAlarm, LiveAlarms, LivePixelMap } from '../api/live-contract.js';

export const defaultAlarmThresholds: AlarmThresholds = {
  minRateHz: 1,
  rateWindowSeconds: 10,
  telescopeSilentSeconds: 10,
  maxHotPixels: 10,
  maxDeadPixels: 10,
  hotPixelFactor: 5,
  disconnectedSeconds: 0,
};

const LOG_LIMIT = 500;

export interface AlarmInputs {
  now: number;
  /** events are expected (running, or reconnecting to a DAQ) */
  running: boolean;
  /** array rate over the threshold window, Hz */
  rateHz: number;
  /** seconds the source has been running (rate alarms wait for one full window) */
  runningForSeconds: number;
  /** telescope id -> newest image time, s since epoch */
  lastSeen: Map<number, number>;
  pixelMaps: LivePixelMap[];
  /** DAQ: since when the connection is down (undefined: connected or not a DAQ) */
  disconnectedSince?: number;
  url?: string;
}

interface Condition {
  id: string;
  kind: AlarmKind;
  severity: 'warning' | 'error';
  message: string;
  telId?: number;
}

export class AlarmMonitor {
  thresholds: AlarmThresholds = { ...defaultAlarmThresholds };
  private active = new Map<string, LiveAlarm>();
  private log: AlarmLogEntry[] = [];

  configure(t: Partial<AlarmThresholds>): void {
    this.thresholds = { ...this.thresholds, ...t };
  }

  /** returns true when the set of active alarms changed */
  evaluate(x: AlarmInputs): boolean {
    const t = this.thresholds;
    const found: Condition[] = [];
    if (x.running && x.runningForSeconds >= t.rateWindowSeconds && x.rateHz < t.minRateHz) {
      found.push({
        id: 'rate-low',
        kind: 'rate-low',
        severity: 'warning',
        message: `Array rate ${x.rateHz.toFixed(1)} Hz over ${t.rateWindowSeconds} s is below ${t.minRateHz} Hz`,
      });
    }
    if (x.running) {
      for (const [tel, last] of x.lastSeen) {
        const silent = x.now - last;
        if (silent >= t.telescopeSilentSeconds) {
          found.push({
            id: `telescope-silent:${tel}`,
            kind: 'telescope-silent',
            severity: 'warning',
            telId: tel,
            message: `Telescope ${tel} silent for ${Math.round(silent)} s (threshold ${t.telescopeSilentSeconds} s)`,
          });
        }
      }
    }
    for (const m of x.pixelMaps) {
      if (m.hotPixels.length > t.maxHotPixels) {
        found.push({
          id: `hot-pixels:${m.telId}`,
          kind: 'hot-pixels',
          severity: 'warning',
          telId: m.telId,
          message: `Telescope ${m.telId} (${m.camera}): ${m.hotPixels.length} hot pixels (more than ${t.maxHotPixels})`,
        });
      }
      if (m.deadPixels.length > t.maxDeadPixels) {
        found.push({
          id: `dead-pixels:${m.telId}`,
          kind: 'dead-pixels',
          severity: 'warning',
          telId: m.telId,
          message: `Telescope ${m.telId} (${m.camera}): ${m.deadPixels.length} dead pixels (more than ${t.maxDeadPixels})`,
        });
      }
    }
    if (x.disconnectedSince !== undefined && x.now - x.disconnectedSince >= t.disconnectedSeconds) {
      found.push({
        id: 'source-disconnected',
        kind: 'source-disconnected',
        severity: 'error',
        message: `DAQ ${x.url ?? ''} disconnected for ${Math.round(x.now - x.disconnectedSince)} s; retrying`,
      });
    }
    let changed = false;
    const ids = new Set(found.map((c) => c.id));
    for (const [id, a] of this.active) {
      if (!ids.has(id)) {
        this.active.delete(id);
        this.record(x.now, a, 'cleared', `cleared: ${a.message}`);
        changed = true;
      }
    }
    for (const c of found) {
      const a = this.active.get(c.id);
      if (a) {
        a.message = c.message; // keeps counting seconds
      } else {
        const alarm: LiveAlarm = { ...c, since: x.now, acknowledged: false };
        this.active.set(c.id, alarm);
        this.record(x.now, alarm, 'raised', c.message);
        changed = true;
      }
    }
    return changed;
  }

  acknowledge(id: string, now = Date.now() / 1000): boolean {
    const a = this.active.get(id);
    if (!a) return false;
    if (!a.acknowledged) {
      a.acknowledged = true;
      this.record(now, a, 'acknowledged', `acknowledged: ${a.message}`);
    }
    return true;
  }

  clear(): void {
    this.active.clear();
  }

  private record(time: number, a: { id: string; kind: AlarmKind }, change: AlarmLogEntry['change'], message: string): void {
    this.log.push({ time, id: a.id, kind: a.kind, change, message });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  get activeCount(): number {
    return this.active.size;
  }

  snapshot(): LiveAlarms {
    return { active: [...this.active.values()].map((a) => ({ ...a })), thresholds: { ...this.thresholds }, log: this.log.slice() };
  }
}
