/**
 * Per-key counting state for the detectors, in typed arrays instead of one object per key.
 *
 * Every scenario that groups the same way (by address, by /24, by user, by token) shares one
 * `SlotIndex`: a key is looked up once per signal and gives a slot number, and each scenario
 * keeps its counters for that slot in a `WindowCounters` at `slot * CELLS`. With tens of
 * thousands of sources that is one Map lookup per guard request instead of one per scenario,
 * no allocation once a source has a slot, and a heap of a few arrays for the collector to walk
 * instead of an object per source and scenario.
 */

/** A key: an IPv4 address or /24 as a signed 32-bit number (a small integer to V8), else text. */
export type SlotKey = string | number;

/** Cells per slot in a counter array: the fixed window's start, its count, the previous one's, quiet-until. */
const CELLS = 4;
const WINDOW_START = 0;
const CURRENT = 1;
const PREVIOUS = 2;
const QUIET_UNTIL = 3;

const INITIAL_SLOTS = 1024;

/**
 * A sliding-window counter per slot: the current fixed window's count plus the previous one's,
 * weighted by how much of it still overlaps the sliding window. Accurate to a few percent, so
 * "100 requests/min" means 100 in any 60 s.
 */
export class WindowCounters {
  cells: Float64Array;
  /**
   * For scenarios counting distinct values only: what a slot has seen in its window. A slot that
   * saw a single value keeps it as the string itself, so a source repeating one path needs no Set.
   */
  private seen: (string | Set<string> | undefined)[] | null;

  constructor(
    readonly windowMs: number,
    slots: number,
    distinct: boolean,
  ) {
    this.cells = new Float64Array(slots * CELLS);
    this.seen = distinct ? [] : null;
  }

  grow(slots: number): void {
    const cells = new Float64Array(slots * CELLS);
    cells.set(this.cells);
    this.cells = cells;
  }

  /** Rolls the slot's fixed windows forward and returns its sliding count before a new signal. */
  count(slot: number, now: number): number {
    const base = slot * CELLS;
    const cells = this.cells;
    const windowStart = now - (now % this.windowMs);
    const start = cells[base + WINDOW_START];
    if (windowStart !== start) {
      cells[base + PREVIOUS] = windowStart - start === this.windowMs ? cells[base + CURRENT] : 0;
      cells[base + CURRENT] = 0;
      cells[base + WINDOW_START] = windowStart;
      if (this.seen !== null) this.seen[slot] = undefined;
    }
    return cells[base + PREVIOUS] * (1 - (now - windowStart) / this.windowMs) + cells[base + CURRENT];
  }

  /** Records `value` for a distinct-counting slot; false when the window already holds it. */
  firstSeen(slot: number, value: string): boolean {
    const seen = this.seen!;
    const held = seen[slot];
    if (held === undefined) {
      seen[slot] = value;
      return true;
    }
    if (typeof held === 'string') {
      if (held === value) return false;
      seen[slot] = new Set([held, value]);
      return true;
    }
    if (held.has(value)) return false;
    held.add(value);
    return true;
  }

  add(slot: number): void {
    this.cells[slot * CELLS + CURRENT] += 1;
  }

  quietUntil(slot: number): number {
    return this.cells[slot * CELLS + QUIET_UNTIL];
  }

  /** After a threat: quiet for a while, and counting starts over so the next one needs a full window again. */
  restartQuiet(slot: number, until: number): void {
    const base = slot * CELLS;
    this.cells[base + QUIET_UNTIL] = until;
    this.cells[base + CURRENT] = 0;
    this.cells[base + PREVIOUS] = 0;
    if (this.seen !== null) this.seen[slot] = undefined;
  }

  /** Nothing in the sliding window and out of quiet time. */
  idle(slot: number, now: number): boolean {
    return this.count(slot, now) === 0 && this.quietUntil(slot) <= now;
  }

  clear(slot: number): void {
    this.cells.fill(0, slot * CELLS, slot * CELLS + CELLS);
    if (this.seen !== null) this.seen[slot] = undefined;
  }
}

/** Slots are capped: past this, the idle ones are dropped before a new key gets one. */
export const MAX_SLOTS = 200_000;

/** The keys of one grouping and their slots, shared by the counters of every scenario grouping that way. */
export class SlotIndex {
  private readonly slotOf = new Map<SlotKey, number>();
  /** Slot → key, `undefined` for a free slot. */
  private readonly keys: (SlotKey | undefined)[] = [];
  private readonly free: number[] = [];
  private capacity = INITIAL_SLOTS;
  private counters: WindowCounters[] = [];
  /** Where the budgeted sweep carries on. */
  private cursor = 0;

  constructor(private readonly maxSlots = MAX_SLOTS) {}

  /** Counters for a scenario, sized to the index. */
  counter(windowMs: number, distinct: boolean): WindowCounters {
    return new WindowCounters(windowMs, this.capacity, distinct);
  }

  /** The counters that must be idle before a slot is freed: those of the scenarios in force. */
  attach(counters: WindowCounters[]): void {
    for (const counter of counters) if (counter.cells.length < this.capacity * CELLS) counter.grow(this.capacity);
    this.counters = counters;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** The key's slot, given one if it has none. */
  slot(key: SlotKey, now: number): number {
    const known = this.slotOf.get(key);
    if (known !== undefined) return known;
    if (this.slotOf.size >= this.maxSlots) {
      this.cursor = 0;
      this.sweep(now);
    }
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.keys.length;
      if (slot >= this.capacity) this.grow();
    }
    this.keys[slot] = key;
    this.slotOf.set(key, slot);
    return slot;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const counter of this.counters) counter.grow(this.capacity);
  }

  /**
   * Frees slots whose every counter is idle, visiting at most `budget` slots and carrying on from
   * there next time: a full pass over a few hundred thousand at once would stall the guard.
   */
  sweep(now: number, budget = Infinity): void {
    const end = this.keys.length;
    for (let visited = 0; visited < budget && this.cursor < end; visited++, this.cursor++) {
      const slot = this.cursor;
      const key = this.keys[slot];
      if (key === undefined || !this.idle(slot, now)) continue;
      for (const counter of this.counters) counter.clear(slot);
      this.keys[slot] = undefined;
      this.slotOf.delete(key);
      this.free.push(slot);
    }
    if (this.cursor >= end) this.cursor = 0;
  }

  private idle(slot: number, now: number): boolean {
    for (const counter of this.counters) if (!counter.idle(slot, now)) return false;
    return true;
  }
}
