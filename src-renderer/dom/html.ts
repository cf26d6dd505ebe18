/**
 * The renderer's only way to put markup into the DOM. Everything from a DAQ,
 * a file or the network is hostile: `html` escapes every value interpolated
 * into its template (strings, numbers), so a telescope type such as
 * `<img src=x onerror=...>` shows as text; only fragments made by `html`
 * itself (and arrays of them) are inserted as markup. `setHtml` takes nothing
 * else. test/unit/renderer/dom/html-sinks.test.ts checks that no other file
 * writes innerHTML, outerHTML or insertAdjacentHTML.
 */

/** Markup built by `html` (never from a plain string). */
export class SafeHtml {
  private constructor(readonly markup: string) {}
  /** @internal for `html` only */
  static of(markup: string): SafeHtml {
    return new SafeHtml(markup);
  }
  toString(): string {
    return this.markup;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v instanceof SafeHtml) return v.markup;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** A template whose interpolated values are escaped (fragments made by `html` are kept as markup). */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return SafeHtml.of(out);
}

/** Replaces the element's content with the markup. */
export function setHtml(element: Element, fragment: SafeHtml): void {
  element.innerHTML = fragment.markup;
}
