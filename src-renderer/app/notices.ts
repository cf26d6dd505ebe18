/** A banner for messages to the user: errors stay until dismissed, info fades. */
export class Notices {
  readonly element: HTMLElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'notices';
    this.element.setAttribute('role', 'status');
  }

  show(level: 'info' | 'warning' | 'error', message: string): void {
    const item = document.createElement('div');
    item.className = `notice ${level}`;
    item.textContent = message;
    const close = document.createElement('button');
    close.textContent = '×';
    close.title = 'Dismiss';
    close.onclick = () => item.remove();
    item.append(close);
    this.element.append(item);
    if (level === 'info') setTimeout(() => item.remove(), 6000);
    while (this.element.children.length > 5) this.element.firstElementChild?.remove();
  }
}
