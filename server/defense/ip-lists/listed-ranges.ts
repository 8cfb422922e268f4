import { IpListIndex } from './ip-list-index';
import type { EnforcedIntervals } from './ip-list-state';

/**
 * The imported blocklists as a guard consults them (the worker's IpListState, the guard process's
 * copy): one merged index, rebuilt without a timer when a list lapses.
 */
export class ListedRanges {
  private lists: EnforcedIntervals[] = [];
  private index = new IpListIndex();
  private nextExpiryMs = Infinity;

  replace(lists: EnforcedIntervals[]): void {
    this.lists = lists;
    this.reindex(Date.now());
  }

  matches(address: string, now: number): boolean {
    if (now >= this.nextExpiryMs) this.reindex(now);
    return this.index.has(address);
  }

  matchesIpv4(v4: number, now: number): boolean {
    if (now >= this.nextExpiryMs) this.reindex(now);
    return this.index.hasIpv4(v4);
  }

  private reindex(now: number): void {
    this.lists = this.lists.filter((list) => list.expiresAtMs > now);
    this.index = new IpListIndex(this.lists.map((list) => list.intervals));
    this.nextExpiryMs = Math.min(Infinity, ...this.lists.map((list) => list.expiresAtMs));
  }
}
