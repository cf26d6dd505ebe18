/** The newest N array events, for stepping back through what just arrived. */
export class EventRing<T> {
  private items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`ring capacity must be >= 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** offset 0 = newest; undefined when out of range */
  at(offset: number): T | undefined {
    if (offset < 0 || offset >= this.count) return undefined;
    return this.items[(this.next - 1 - offset + this.capacity * 2) % this.capacity];
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = this.count = 0;
  }
}
