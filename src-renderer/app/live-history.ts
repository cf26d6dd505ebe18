/**
 * Stepping back through the newest live events (the backend's ring buffer)
 * in the Event tab: ← older, → newer, Esc (or → past the newest) back to the
 * live stream. While the shifter looks back, the view holds still; events are
 * addressed by their sequence number in the stream, so the one on screen does
 * not change under the shifter as new events keep arriving.
 */
import type { ApiClient } from '../api/api-client.js';
import type { LiveView } from './live-view.js';
import { html, setHtml } from '../dom/html.js';

export class LiveHistory {
  private readonly banner = document.createElement('div');
  /** sequence number of the event shown, or undefined while following the live stream */
  private sequence: number | undefined;
  private seq = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly live: LiveView,
    private readonly notify: (message: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.banner.className = 'history-banner';
    setHtml(
      this.banner,
      html`<span class="history-label"></span>
      <span class="history-nav"><button data-step="-1" title="older (←)">◀ older</button><button data-step="1" title="newer (→)">newer ▶</button><button class="history-live" title="back to the live stream (Esc)">back to live</button></span>`,
    );
    for (const b of this.banner.querySelectorAll<HTMLButtonElement>('[data-step]')) b.addEventListener('click', () => void this.step(Number(b.dataset.step)));
    this.banner.querySelector('.history-live')!.addEventListener('click', () => this.resume());
  }

  get active(): boolean {
    return this.sequence !== undefined;
  }

  /** Keys of the Event tab while it shows the live stream; true when used. */
  onKey(e: KeyboardEvent): boolean {
    if (this.live.currentInput !== 'live') return false;
    if (this.active && !this.live.isHeld) this.sequence = undefined; // a file took over meanwhile and left
    switch (e.key) {
      case 'ArrowLeft':
        void this.step(-1);
        return true;
      case 'ArrowRight':
        if (!this.active) return false;
        void this.step(1);
        return true;
      case 'Escape':
        if (!this.active) return false;
        this.resume();
        return true;
      default:
        return false;
    }
  }

  /** One event older (-1) or newer (+1); newer than the newest returns to the live stream. */
  async step(delta: number): Promise<void> {
    const token = ++this.seq;
    const params = this.sequence === undefined ? { offset: delta < 0 ? 1 : 0 } : { sequence: Math.max(0, this.sequence + delta) };
    try {
      const r = await this.api.request('live.ring', params);
      if (token !== this.seq) return;
      if (!r.event) {
        this.notify('No live events kept yet: the ring of recent events is empty.', 'info');
        return;
      }
      if (this.sequence !== undefined && delta > 0 && this.sequence >= r.newestSequence) {
        this.resume();
        return;
      }
      this.sequence = r.sequence;
      this.live.setHeld(true);
      this.live.setBanner(this.banner);
      this.live.showFileEvent(r.event);
      const back = r.newestSequence - r.sequence;
      this.banner.querySelector('.history-label')!.textContent =
        `history: ${back} event${back === 1 ? '' : 's'} before the newest (ring of ${r.size}) · obs ${r.event.obsId} / event ${r.event.eventId}` +
        (r.overwritten ? ' · older events were already replaced by new ones' : '');
      this.banner.dataset.back = String(back);
    } catch (err) {
      if (token === this.seq) this.notify(`Could not step back through the live events: ${(err as Error).message}`);
    }
  }

  /** Back to the live stream. */
  resume(): void {
    this.seq++;
    this.sequence = undefined;
    this.live.setHeld(false);
    this.live.setBanner(null);
  }
}
