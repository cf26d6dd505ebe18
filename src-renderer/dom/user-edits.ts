/**
 * Fields a user has typed into (or chosen in) and not yet had applied: a
 * value that arrives from the backend meanwhile — the reply to an earlier
 * change, a status stream's tick — must not overwrite them, or the next
 * Enter or click sends the backend's old value instead of the typed one.
 * `watch` the fields, `put` the backend's values, `applied` once the user's
 * value was sent.
 */
export type EditableField = HTMLInputElement | HTMLSelectElement;

export class UserEdits {
  private readonly edited = new Set<EditableField>();

  watch(...fields: EditableField[]): void {
    for (const f of fields) f.addEventListener('input', () => this.edited.add(f));
  }

  /** the user's value of `field` was sent (or given up): the backend's values show there again */
  applied(...fields: EditableField[]): void {
    for (const f of fields) this.edited.delete(f);
  }

  /** shows the backend's `value` in `field`, unless the user is changing it */
  put(field: EditableField, value: string): void {
    if (!this.edited.has(field) && field.value !== value) field.value = value;
  }

  /** forgets every edit (e.g. the form now shows another object) */
  clear(): void {
    this.edited.clear();
  }
}
