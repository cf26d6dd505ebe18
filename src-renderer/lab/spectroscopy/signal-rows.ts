/**
 * Signal numbers as the user types them ("12", "3, 7, 12", "4-7"): whole
 * numbers inside the dataset, at most `max` of them, in the order given
 * (duplicates dropped), or an error text saying what is wrong. Pure.
 */
export function parseRows(text: string, nSignals: number, max: number): number[] | string {
  const out: number[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    const [a, b] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= a)) return `"${part}" is not a signal number (write e.g. 12, or 3, 7, 12, or 4-7)`;
    for (let r = a; r <= b; r++) {
      if (r >= nSignals) return `signal ${r} does not exist: the dataset has signals 0…${nSignals - 1}`;
      if (!out.includes(r)) out.push(r);
      if (out.length > max) return `at most ${max} signals at a time`;
    }
  }
  if (!out.length) return 'give at least one signal number';
  return out;
}
