/**
 * One channel's backlog: delivered one at a time, in order, capped. A dead receiver costs
 * at most `capacity` waiting items, and the newest news wins over the oldest when it is full.
 */
export class ChannelQueue<T> {
  private readonly items: T[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: {
      /** Read at each push, so a reloaded config takes effect without a new queue. */
      capacity: () => number;
      /** Must not throw; a rejection is swallowed so the queue keeps going. */
      deliver: (item: T) => Promise<void>;
      onDrop: (item: T) => void;
    },
  ) {}

  get size(): number {
    return this.items.length;
  }

  get busy(): boolean {
    return this.running || this.items.length > 0;
  }

  push(item: T): void {
    const capacity = Math.max(1, this.options.capacity());
    while (this.items.length >= capacity) this.options.onDrop(this.items.shift() as T);
    this.items.push(item);
    if (!this.running) void this.pump();
  }

  /** Removes everything still waiting (not the one being delivered) and returns it. */
  clear(): T[] {
    return this.items.splice(0);
  }

  /** Resolves once nothing is waiting or being delivered. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.items.shift(); item !== undefined; item = this.items.shift()) {
        await this.options.deliver(item).catch(() => undefined);
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
