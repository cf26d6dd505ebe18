/**
 * The top-level views as tabs (Event, Browser, Histograms, 3D …): one visible
 * at a time, switched by click or by Alt+digit. A view is told when it is
 * shown or hidden so it can size itself and pause drawing while hidden.
 */
export interface TabView {
  /** the view's root element, placed in the content area */
  readonly element: HTMLElement;
  /** called each time the tab becomes visible (after layout) */
  shown?(): void;
  /** called when another tab is chosen */
  hidden?(): void;
  /** keyboard handling while this tab is visible; return true when the key was used */
  onKey?(e: KeyboardEvent): boolean;
}

interface Tab {
  id: string;
  label: string;
  view: TabView;
  button: HTMLButtonElement;
}

export class Tabs {
  readonly bar = document.createElement('nav');
  private readonly tabs: Tab[] = [];
  private current: Tab | undefined;
  private readonly listeners = new Set<(id: string) => void>();

  constructor(private readonly content: HTMLElement) {
    this.bar.className = 'tabs';
    this.bar.setAttribute('role', 'tablist');
  }

  /** Adds a view; the first one added is shown. */
  add(id: string, label: string, view: TabView): void {
    const button = document.createElement('button');
    button.className = 'tab';
    button.dataset.tab = id;
    button.setAttribute('role', 'tab');
    const n = this.tabs.length + 1;
    button.textContent = label;
    button.title = `${label} (Alt+${n})`;
    button.addEventListener('click', () => this.show(id));
    view.element.dataset.tabView = id;
    view.element.hidden = true;
    this.bar.append(button);
    this.content.append(view.element);
    const tab = { id, label, view, button };
    this.tabs.push(tab);
    if (!this.current) this.show(id);
  }

  get currentId(): string | undefined {
    return this.current?.id;
  }

  has(id: string): boolean {
    return this.tabs.some((t) => t.id === id);
  }

  show(id: string): void {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab || tab === this.current) return;
    const previous = this.current;
    if (previous) {
      previous.view.element.hidden = true;
      previous.button.classList.remove('active');
      previous.button.setAttribute('aria-selected', 'false');
      previous.view.hidden?.();
    }
    this.current = tab;
    tab.view.element.hidden = false;
    tab.button.classList.add('active');
    tab.button.setAttribute('aria-selected', 'true');
    requestAnimationFrame(() => tab.view.shown?.());
    for (const l of this.listeners) l(id);
  }

  onChange(listener: (id: string) => void): void {
    this.listeners.add(listener);
  }

  /** Alt+1…9 switches tabs; other keys go to the visible view. Returns true when used. */
  handleKey(e: KeyboardEvent): boolean {
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
      const tab = this.tabs[Number(e.code.slice(5)) - 1];
      if (tab) {
        this.show(tab.id);
        return true;
      }
    }
    return this.current?.view.onKey?.(e) ?? false;
  }
}
