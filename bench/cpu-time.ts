/**
 * CPU time from /proc (Linux; 10 ms ticks): per thread of a process (its
 * main thread apart from the others: worker threads, GC and libuv helpers)
 * and of a whole process tree (e.g. Chromium and its renderer and GPU
 * processes). CPU time, unlike wall-clock rates, says what a piece of work
 * costs even when other programs share the cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 0.01;

/** utime + stime of one /proc stat line, s */
function statCpu(stat: string): { cpu: number; ppid: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpu: (Number(f[11]) + Number(f[12])) * TICK, ppid: Number(f[1]) };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process's main thread and of all its other threads */
export function threadCpu(pid = process.pid): { main: number; others: number } {
  let main = 0,
    others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const s = read(`/proc/${pid}/task/${tid}/stat`);
    if (!s) continue; // the thread ended meanwhile
    const { cpu } = statCpu(s);
    if (Number(tid) === pid) main = cpu;
    else others += cpu;
  }
  return { main, others };
}

/** CPU seconds of a process and all its descendants that are alive now */
export function processTreeCpu(rootPid: number): number {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = read(`/proc/${d}/stat`);
    if (!s) continue;
    const { cpu: c, ppid } = statCpu(s);
    cpu.set(Number(d), c);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(Number(d));
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop()!;
    total += cpu.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}
