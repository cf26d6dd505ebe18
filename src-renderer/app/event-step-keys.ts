/** The keys that step through a file's events in any view: ← / → one event, Home / End the first / last. */
export interface EventStepper {
  step(delta: number): void;
  goTo(index: number): void;
  /** events in the file, or undefined when no file is shown */
  readonly eventCount: number | undefined;
}

/** Handles ←, →, Home and End (without modifiers); true when the key was used. */
export function handleEventStepKey(e: KeyboardEvent, nav: EventStepper): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  switch (e.key) {
    case 'ArrowRight':
      nav.step(1);
      return true;
    case 'ArrowLeft':
      nav.step(-1);
      return true;
    case 'Home':
      nav.goTo(0);
      return true;
    case 'End':
      if (nav.eventCount !== undefined) nav.goTo(nav.eventCount - 1);
      return true;
    default:
      return false;
  }
}
