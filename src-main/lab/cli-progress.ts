/**
 * Progress on stderr and Ctrl-C for the lab commands: a refreshed line on a
 * terminal (at most 5 a second), a line a second in logs; SIGINT aborts the
 * job (which then leaves no output) instead of killing the process.
 */
import type { LabProgress } from './lab-job.js';

export function progressPrinter(quiet: boolean | undefined, unit: string): (p: LabProgress) => void {
  let last = 0;
  const tty = process.stderr.isTTY;
  return (p) => {
    if (quiet) return;
    const now = Date.now();
    const final = p.done >= p.total;
    if (now - last < (tty ? 200 : 1000) && !final) return;
    last = now;
    const pct = p.total > 0 ? ` (${((100 * p.done) / p.total).toFixed(0)}%)` : '';
    const rate = p.rate !== undefined ? `, ${p.rate >= 100 ? Math.round(p.rate) : p.rate.toFixed(1)} ${unit}/s` : '';
    const line = `${p.phase}: ${p.done}/${p.total}${pct}${rate}`;
    process.stderr.write(tty ? `\r${line.padEnd(79).slice(0, 79)}${final ? '\n' : ''}` : `${line}\n`);
  };
}

/** Runs `fn` with an AbortSignal that Ctrl-C (SIGINT) or SIGTERM raises. */
export async function withInterrupt<T>(quiet: boolean | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => {
    if (!quiet) process.stderr.write('\ninterrupted: stopping, the output will not be written\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** A positive whole number from an option, or a clear error naming it. */
export function wholeNumber(name: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= min)) throw new Error(`${name} ${v}: give a whole number ≥ ${min}`);
  return n;
}

export function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${name} ${v}: give a number > 0`);
  return n;
}

/** "a,b" → [a, b] with a < b. */
export function numberPair(name: string, v: string | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] < parts[1])) throw new Error(`${name} ${v}: give two numbers MIN,MAX with MIN < MAX`);
  return [parts[0], parts[1]];
}
