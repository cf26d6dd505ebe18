/**
 * Hover picking at most once per animation frame: mouse moves are coalesced
 * (the newest wins), nothing is picked while a button is held (the user is
 * orbiting), and leaving the canvas cancels a pending pick.
 */
export function hoverPerFrame(canvas: HTMLElement, pick: (e: MouseEvent) => void, hide: () => void): void {
  let pending: MouseEvent | undefined;
  canvas.addEventListener('mousemove', (e) => {
    if (e.buttons !== 0) {
      hide();
      return;
    } // orbiting: no picking
    const first = !pending;
    pending = e;
    if (!first) return;
    requestAnimationFrame(() => {
      const ev = pending;
      pending = undefined;
      if (ev) pick(ev);
    });
  });
  canvas.addEventListener('mouseleave', () => {
    pending = undefined;
    hide();
  });
}
