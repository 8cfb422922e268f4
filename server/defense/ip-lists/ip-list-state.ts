import type { FamilyIntervals } from '@/lib/defense/ip-intervals';
import { intervalsToCidrs } from '@/lib/defense/ip-intervals';
import { goDuration, type BouncerDecision } from '../decision-stream';
import { IpListIndex } from './ip-list-index';

/** Ids of listed ranges start here, far above any isolation's row id, so bouncers never see one id twice. */
const FIRST_LIST_DECISION_ID = 1_000_000_000_000;

/** Refreshes remembered for bouncers that poll; one further behind gets every list again. */
const MAX_BATCHES = 64;

interface ListedRange {
  id: number;
  value: string;
}

interface EnforcedList {
  intervals: FamilyIntervals;
  /** The merged intervals cut into CIDR blocks, as bouncers take them; id per value. */
  ranges: Map<string, number>;
  expiresAtMs: number;
}

/** One change of one list, as bouncers hear of it: every range again (new expiry) and those gone. */
interface ListBatch {
  seq: number;
  name: string;
  deleted: ListedRange[];
}

/**
 * The lists in force, in memory: what the guard consults (through one merged index) and what the
 * decision stream hands bouncers. Holds no timers and reads nothing; the list service fills it.
 */
export class IpListState {
  private readonly lists = new Map<string, EnforcedList>();
  private index = new IpListIndex();
  /** When the earliest list lapses: the guard rebuilds the index then, without a timer. */
  private nextExpiryMs = Infinity;
  private batches: ListBatch[] = [];
  private seq = 0;
  private nextId = FIRST_LIST_DECISION_ID;
  private readonly cursors = new Map<string, number>();

  /** Whether `address` is in an enforced list at `now`. */
  match(address: string, now: number): boolean {
    if (now >= this.nextExpiryMs) this.reindex(now);
    return this.index.has(address);
  }

  /** Replaces a list's entries (after a refresh); returns how many CIDR ranges came and went. */
  replace(name: string, intervals: FamilyIntervals, expiresAtMs: number): { ranges: number; added: number; removed: number } {
    const previous = this.lists.get(name)?.ranges ?? new Map<string, number>();
    const ranges = new Map<string, number>();
    let added = 0;
    for (const value of intervalsToCidrs(intervals)) {
      const id = previous.get(value);
      if (id === undefined) added++;
      ranges.set(value, id ?? this.nextId++);
    }
    const deleted: ListedRange[] = [];
    for (const [value, id] of previous) if (!ranges.has(value)) deleted.push({ id, value });
    this.lists.set(name, { intervals, ranges, expiresAtMs });
    this.record(name, deleted);
    this.reindex(Date.now());
    return { ranges: ranges.size, added, removed: deleted.length };
  }

  /** A list taken out of the configuration: bouncers hear that its ranges are gone. */
  remove(name: string): void {
    const list = this.lists.get(name);
    if (!list) return;
    this.lists.delete(name);
    this.record(name, Array.from(list.ranges, ([value, id]) => ({ id, value })));
    this.reindex(Date.now());
  }

  /** The list service's names, to drop lists no longer configured. */
  names(): string[] {
    return [...this.lists.keys()];
  }

  /**
   * Like the isolations' stream: a new bouncer, `startup`, or one that fell behind the batches
   * gets every live range; afterwards, what each refresh since its last poll changed. A refresh
   * announces every range again with its new expiry, since bouncers forget a range when its
   * duration runs out.
   */
  poll(bouncer: string, startup: boolean, now: number): { new: BouncerDecision[]; deleted: BouncerDecision[] } {
    const cursor = this.cursors.get(bouncer);
    this.cursors.set(bouncer, this.seq);
    const oldest = this.batches.length > 0 ? this.batches[0].seq : this.seq + 1;
    if (startup || cursor === undefined || cursor + 1 < oldest) return { new: this.decisionsOf([...this.lists.keys()], now), deleted: [] };
    const since = this.batches.filter((batch) => batch.seq > cursor);
    const deleted: BouncerDecision[] = [];
    for (const batch of since) {
      const current = this.lists.get(batch.name)?.ranges;
      // Gone in one refresh and back in a later one: the bouncer only needs the latest state.
      for (const range of batch.deleted) if (!current?.has(range.value)) deleted.push(toDecision(batch.name, range, now, now));
    }
    return { new: this.decisionsOf([...new Set(since.map((batch) => batch.name))], now), deleted };
  }

  private decisionsOf(names: string[], now: number): BouncerDecision[] {
    const out: BouncerDecision[] = [];
    for (const name of names) {
      const list = this.lists.get(name);
      if (!list || list.expiresAtMs <= now) continue;
      for (const [value, id] of list.ranges) out.push(toDecision(name, { id, value }, list.expiresAtMs, now));
    }
    return out;
  }

  private record(name: string, deleted: ListedRange[]): void {
    this.batches.push({ seq: ++this.seq, name, deleted });
    if (this.batches.length > MAX_BATCHES) this.batches = this.batches.slice(-MAX_BATCHES);
  }

  private reindex(now: number): void {
    const live = [...this.lists.values()].filter((list) => list.expiresAtMs > now);
    this.index = new IpListIndex(live.map((list) => list.intervals));
    this.nextExpiryMs = Math.min(Infinity, ...live.map((list) => list.expiresAtMs));
  }
}

function toDecision(name: string, range: ListedRange, expiresAtMs: number, now: number): BouncerDecision {
  const single = !range.value.includes('/');
  return { id: range.id, origin: `blocklist:${name}`, type: 'ban', scope: single ? 'Ip' : 'Range', value: range.value, duration: goDuration(expiresAtMs - now), scenario: `blocklist:${name}` };
}
