/**
 * Which telescopes the event view shows: by default those with an image in
 * the event (the triggered ones), all of them on demand; the count the view
 * writes ("7 of 43 triggered"); and the step between tiles when one is
 * focused. No DOM: unit-tested.
 */

/**
 * The telescopes to show, in the subarray's order: all of them when `showAll`
 * or before any event (`triggered` undefined), else those in `triggered`
 * (telescopes of the event that are not in the subarray are ignored).
 */
export function shownTelescopes(telIds: readonly number[], triggered: ReadonlySet<number> | undefined, showAll: boolean): number[] {
  if (showAll || !triggered) return [...telIds];
  return telIds.filter((id) => triggered.has(id));
}

/** "7 of 43 triggered" (only telescopes of the subarray are counted), or "43 telescopes" before any event. */
export function triggeredCountText(telIds: readonly number[], triggered: ReadonlySet<number> | undefined): string {
  if (!triggered) return `${telIds.length} telescope${telIds.length === 1 ? '' : 's'}`;
  const n = telIds.filter((id) => triggered.has(id)).length;
  return `${n} of ${telIds.length} triggered`;
}

/**
 * The telescope `delta` tiles after `current` among the shown ones, wrapping
 * around; from none (or one no longer shown) +1 goes to the first, -1 to the
 * last. Undefined when nothing is shown.
 */
export function stepTelescope(shown: readonly number[], current: number | undefined, delta: number): number | undefined {
  if (shown.length === 0) return undefined;
  const i = current === undefined ? -1 : shown.indexOf(current);
  if (i < 0) return delta >= 0 ? shown[0] : shown[shown.length - 1];
  const n = shown.length;
  return shown[(((i + delta) % n) + n) % n];
}
