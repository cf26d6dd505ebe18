/** The newest N array events, for stepping back through what just arrived. */
export class EventRing<T> {
  private items: (T | undefined)[];
  private next = 0;
  private count = 0;
  /** items pushed since the start (or the last clear): item k of the stream has sequence number k */
  private pushed = 0;

  /** `onEvict` hears of every item the ring lets go of (pushed out or cleared) */
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (item: T) => void,
  ) {
    if (!(capacity >= 1)) throw new Error(`ring capacity must be >= 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const old = this.items[this.next];
    if (old !== undefined && this.onEvict) this.onEvict(old);
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.pushed++;
  }

  /** sequence number of the newest item (-1 when empty) */
  get newestSequence(): number {
    return this.pushed - 1;
  }

  /** the offset (0 = newest) of the item with this sequence number; undefined when it is not (or no longer) held */
  offsetOf(sequence: number): number | undefined {
    const offset = this.pushed - 1 - sequence;
    return offset >= 0 && offset < this.count ? offset : undefined;
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
    if (this.onEvict) for (const it of this.items) if (it !== undefined) this.onEvict(it);
    this.items.fill(undefined);
    this.next = this.count = this.pushed = 0;
  }
}
