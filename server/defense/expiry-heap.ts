/**
 * A binary min-heap of (time, item): what ends next is found without scanning every entry,
 * so expiring one isolation among 100,000 does not stall the guard. Removal is lazy: the
 * caller ignores popped items that are no longer current.
 */
export class ExpiryHeap<T> {
  private readonly times: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.times.length;
  }

  push(at: number, item: T): void {
    let i = this.times.length;
    this.times.push(at);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent] <= at) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns every item due at or before `now`, soonest first. */
  popDue(now: number): T[] {
    const due: T[] = [];
    while (this.times.length > 0 && this.times[0] <= now) due.push(this.popTop());
    return due;
  }

  private popTop(): T {
    const top = this.items[0];
    const lastTime = this.times.pop()!;
    const lastItem = this.items.pop()!;
    if (this.times.length > 0) {
      this.times[0] = lastTime;
      this.items[0] = lastItem;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.times.length && this.times[left] < this.times[smallest]) smallest = left;
        if (right < this.times.length && this.times[right] < this.times[smallest]) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b], this.times[a]];
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
  }
}
