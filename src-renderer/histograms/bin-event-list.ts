/**
 * The events of one histogram bin of a file column (obs_id, event_id,
 * tel_id, value), listed by the backend; clicking one finds the event in the
 * file (file.findEvent), reads it (file.event) and shows that telescope's
 * image in a camera view, with the file's own camera geometry.
 */
import type { ApiClient } from '../api/api-client.js';
import type { BinEventsResult } from '../../src-main/api/histogram-contract.js';
import type { CameraGeometry } from '../../src-main/api/instrument-types.js';
import { CameraView } from '../camera/camera-view.js';
import { html, setHtml } from '../dom/html.js';

export interface BinQuery {
  fileId: string;
  column: string;
  bins: number;
  range: [number, number];
  log: boolean;
  where?: string;
  telIds?: number[];
  bin: number;
}

const LIMIT = 500;

export class BinEventList {
  readonly element: HTMLElement;
  private camera: CameraView | undefined;
  private readonly geometries = new Map<string, Promise<CameraGeometry>>();
  private generation = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly notify: (msg: string, level?: 'info' | 'warning' | 'error') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'hist-bin-events';
    this.clear();
  }

  clear(): void {
    this.generation++;
    this.camera?.dispose();
    this.camera = undefined;
    setHtml(this.element, html`<div class="hist-hint">Click a bin to list its events (files).</div>`);
  }

  async show(q: BinQuery): Promise<void> {
    const gen = ++this.generation;
    setHtml(this.element, html`<div class="hist-hint">listing bin ${q.bin}…</div>`);
    let r: BinEventsResult;
    try {
      r = await this.api.request('hist.binEvents', { ...q, limit: LIMIT });
    } catch (err) {
      if (gen === this.generation) this.element.replaceChildren();
      this.notify(`Could not list the events of bin ${q.bin}: ${(err as Error).message}`);
      return;
    }
    if (gen !== this.generation) return;
    const head = document.createElement('div');
    head.className = 'hist-bin-head';
    head.textContent = `bin ${r.bin}: [${num(r.binRange[0])}, ${num(r.binRange[1])}) · ${r.total.toLocaleString('en-US')} image${r.total === 1 ? '' : 's'}${r.truncated ? ` (first ${r.events.length})` : ''}`;
    const table = document.createElement('table');
    table.className = 'hist-bin-table';
    setHtml(table, html`<thead><tr><th>obs_id</th><th>event_id</th><th>tel_id</th><th>${q.column}</th></tr></thead>`);
    const body = document.createElement('tbody');
    for (const e of r.events) {
      const tr = document.createElement('tr');
      tr.tabIndex = 0;
      tr.title = 'open this event';
      tr.dataset.obsId = String(e.obsId);
      tr.dataset.eventId = String(e.eventId);
      tr.dataset.telId = String(e.telId);
      for (const v of [e.obsId, e.eventId, e.telId]) tr.append(Object.assign(document.createElement('td'), { textContent: String(v) }));
      tr.append(Object.assign(document.createElement('td'), { textContent: num(e.value) }));
      const open = () => {
        for (const s of body.querySelectorAll('tr.selected')) s.classList.remove('selected');
        tr.classList.add('selected');
        void this.open(q.fileId, e.obsId, e.eventId, e.telId);
      };
      tr.onclick = open;
      tr.onkeydown = (ev) => {
        if (ev.key === 'Enter') open();
      };
      body.append(tr);
    }
    table.append(body);
    const list = document.createElement('div');
    list.className = 'hist-bin-scroll';
    list.append(table);
    const preview = document.createElement('div');
    preview.className = 'hist-event-preview';
    this.element.replaceChildren(head, list, preview);
    this.element.dataset.total = String(r.total);
  }

  private geometry(fileId: string, camera: string): Promise<CameraGeometry> {
    const key = `${fileId}:${camera}`;
    let g = this.geometries.get(key);
    if (!g) {
      g = this.api.request('file.geometry', { fileId, camera });
      g.catch(() => this.geometries.delete(key));
      this.geometries.set(key, g);
    }
    return g;
  }

  private async open(fileId: string, obsId: number, eventId: number, telId: number): Promise<void> {
    const preview = this.element.querySelector<HTMLElement>('.hist-event-preview');
    if (!preview) return;
    const gen = this.generation;
    preview.textContent = `opening obs ${obsId} event ${eventId}…`;
    try {
      const { index } = await this.api.request('file.findEvent', { fileId, obsId, eventId });
      const ev = await this.api.request('file.event', { fileId, index });
      if (gen !== this.generation) return;
      if (ev.kind !== 'dl1') throw new Error('not a DL1 event');
      const t = ev.event.telescopes.find((x) => x.telId === telId);
      if (!t) {
        preview.textContent = `event ${eventId} (index ${index}) has no image of telescope ${telId} in the file`;
        return;
      }
      const geometry = await this.geometry(fileId, t.camera);
      if (gen !== this.generation) return;
      this.camera?.dispose();
      this.camera = new CameraView(geometry, `obs ${obsId} · event ${eventId} · tel ${telId} · ${t.camera}`);
      this.camera.setImage({
        image: t.image,
        peakTime: t.peakTime,
        mask: t.mask,
        hillas: t.hillas,
        timing: t.timingSlope !== undefined ? { slope: t.timingSlope } : undefined,
      });
      this.camera.setSubtitle(`index ${index} of ${ev.count}${t.hillas ? ` · ${Math.round(t.hillas.intensity)} p.e.` : ''}`);
      preview.replaceChildren(this.camera.element);
      preview.dataset.eventId = String(eventId);
    } catch (err) {
      preview.textContent = `Could not open obs ${obsId} event ${eventId}: ${(err as Error).message}`;
    }
  }
}

function num(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}
