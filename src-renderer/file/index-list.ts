/** Event lists typed by the user: "0-9, 15, 20" → [0 … 9, 15, 20] (0-based indices, sorted, unique). */

export function parseIndexList(text: string, count: number): number[] {
  const out = new Set<number>();
  const parts = text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new Error('type event indices, e.g. 0-9, 15, 20');
  for (const p of parts) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(p);
    if (!m) throw new Error(`"${p}" is not an event index or range (write e.g. 0-9, 15, 20)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`range "${p}" runs backwards`);
    if (b >= count) throw new Error(`index ${b} is past the end: the file has ${count} ${count === 1 ? 'event' : 'events'} (0…${count - 1})`);
    if (b - a > 10_000_000) throw new Error(`range "${p}" is too long`);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}
