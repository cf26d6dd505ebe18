/**
 * Time ticks on one line: HH:MM:SS at the first tick and at each full
 * minute, :SS between (uPlot's default adds a date line whose labels
 * collided when a minute began near the left edge).
 */
export function utcTickLabels(splits: number[]): string[] {
  return splits.map((t, i) => {
    const hms = new Date(t * 1000).toISOString().slice(11, 19);
    return i === 0 || hms.endsWith(':00') ? hms : `:${hms.slice(6)}`;
  });
}
