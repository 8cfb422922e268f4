import { cidrBlocks, formatBlock, type CidrBlocks, type FamilyIntervals } from '@/lib/defense/ip-intervals';
import { goDuration, type BouncerDecision } from '../decision-stream';
import { ListedRanges } from './listed-ranges';

/** Ids of listed ranges start here, far above any isolation's row id, so bouncers never see one id twice. */
const FIRST_LIST_DECISION_ID = 1_000_000_000_000;

/** Refreshes remembered for bouncers that poll; one further behind gets every list again. */
const MAX_BATCHES = 64;

/** One CIDR block of a list, with the decision id bouncers know it by. */
interface ListedBlock {
  start: number | bigint;
  prefix: number;
  id: number;
}

/** A list's blocks, ascending by family; ids run parallel to the blocks. */
interface ListedBlocks {
  blocks: CidrBlocks;
  ids: { v4: number[]; v6: number[] };
}

/** A list as the guard consults it. */
export interface EnforcedIntervals {
  intervals: FamilyIntervals;
  expiresAtMs: number;
}

interface EnforcedList extends ListedBlocks {
  intervals: FamilyIntervals;
  expiresAtMs: number;
}

/** One change of one list, as bouncers hear of it: every range again (new expiry) and those gone. */
interface ListBatch {
  seq: number;
  name: string;
  deleted: ListedBlock[];
}

const EMPTY: ListedBlocks = { blocks: { v4: { starts: [], prefixes: [] }, v6: { starts: [], prefixes: [] } }, ids: { v4: [], v6: [] } };

/**
 * The lists in force, in memory: what the guard consults (through one merged index) and what the
 * decision stream hands bouncers. Holds no timers and reads nothing; the list service fills it.
 * Blocks stay numbers (text only when a bouncer polls), so a refresh of a million entries
 * compares the old and new lists by a merge of two sorted arrays, without hashing strings.
 */
export class IpListState {
  private readonly lists = new Map<string, EnforcedList>();
  private readonly listed = new ListedRanges();
  private batches: ListBatch[] = [];
  private seq = 0;
  private nextId = FIRST_LIST_DECISION_ID;
  private readonly cursors = new Map<string, number>();
  /** Told of every list replaced or removed, with every list now enforced (a lapsed one ends by its own expiry). */
  watcher: ((lists: EnforcedIntervals[]) => void) | null = null;

  /** Whether `address` is in an enforced list at `now`. */
  match(address: string, now: number): boolean {
    return this.listed.matches(address, now);
  }

  /** The same for an IPv4 address already parsed by the guard. */
  matchIpv4(v4: number, now: number): boolean {
    return this.listed.matchesIpv4(v4, now);
  }

  /** Replaces a list's entries (after a refresh); returns how many CIDR ranges came and went. */
  replace(name: string, intervals: FamilyIntervals, expiresAtMs: number): { ranges: number; added: number; removed: number } {
    const previous = this.lists.get(name) ?? EMPTY;
    const blocks = cidrBlocks(intervals);
    const deleted: ListedBlock[] = [];
    const v4 = this.diff(previous.blocks.v4, previous.ids.v4, blocks.v4, deleted);
    const v6 = this.diff(previous.blocks.v6, previous.ids.v6, blocks.v6, deleted);
    this.lists.set(name, { intervals, blocks, ids: { v4: v4.ids, v6: v6.ids }, expiresAtMs });
    this.record(name, deleted);
    this.reindexed();
    return { ranges: v4.ids.length + v6.ids.length, added: v4.added + v6.added, removed: deleted.length };
  }

  /** A list taken out of the configuration: bouncers hear that its ranges are gone. */
  remove(name: string): void {
    const list = this.lists.get(name);
    if (!list) return;
    this.lists.delete(name);
    this.record(name, [...blocksOf(list.blocks.v4, list.ids.v4), ...blocksOf(list.blocks.v6, list.ids.v6)]);
    this.reindexed();
  }

  /** Every list with its intervals and expiry, for a copy of the state elsewhere. */
  enforcedLists(): EnforcedIntervals[] {
    return Array.from(this.lists.values(), ({ intervals, expiresAtMs }) => ({ intervals, expiresAtMs }));
  }

  /** A list's enforced intervals and expiry, to carve new exclusions out of them. */
  enforced(name: string): { intervals: FamilyIntervals; expiresAtMs: number } | undefined {
    const list = this.lists.get(name);
    return list && { intervals: list.intervals, expiresAtMs: list.expiresAtMs };
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
      const current = this.lists.get(batch.name);
      // Gone in one refresh and back in a later one: the bouncer only needs the latest state.
      for (const block of batch.deleted) if (!current || !holds(current.blocks, block)) deleted.push(toDecision(batch.name, block, now, now));
    }
    return { new: this.decisionsOf([...new Set(since.map((batch) => batch.name))], now), deleted };
  }

  /** Ids for `next` from `previous` where a block is unchanged, fresh ones for new blocks; gone ones into `deleted`. */
  private diff<T extends number | bigint>(
    previous: { starts: T[]; prefixes: number[] },
    previousIds: number[],
    next: { starts: T[]; prefixes: number[] },
    deleted: ListedBlock[],
  ): { ids: number[]; added: number } {
    const ids: number[] = [];
    let added = 0;
    let p = 0;
    for (let n = 0; n < next.starts.length; n++) {
      while (
        p < previous.starts.length &&
        (previous.starts[p] < next.starts[n] || (previous.starts[p] === next.starts[n] && previous.prefixes[p] !== next.prefixes[n]))
      ) {
        deleted.push({ start: previous.starts[p], prefix: previous.prefixes[p], id: previousIds[p] });
        p++;
      }
      if (p < previous.starts.length && previous.starts[p] === next.starts[n]) {
        ids.push(previousIds[p++]);
      } else {
        ids.push(this.nextId++);
        added++;
      }
    }
    for (; p < previous.starts.length; p++) deleted.push({ start: previous.starts[p], prefix: previous.prefixes[p], id: previousIds[p] });
    return { ids, added };
  }

  private decisionsOf(names: string[], now: number): BouncerDecision[] {
    const out: BouncerDecision[] = [];
    for (const name of names) {
      const list = this.lists.get(name);
      if (!list || list.expiresAtMs <= now) continue;
      for (const block of blocksOf(list.blocks.v4, list.ids.v4)) out.push(toDecision(name, block, list.expiresAtMs, now));
      for (const block of blocksOf(list.blocks.v6, list.ids.v6)) out.push(toDecision(name, block, list.expiresAtMs, now));
    }
    return out;
  }

  private record(name: string, deleted: ListedBlock[]): void {
    this.batches.push({ seq: ++this.seq, name, deleted });
    if (this.batches.length > MAX_BATCHES) this.batches = this.batches.slice(-MAX_BATCHES);
  }

  private reindexed(): void {
    const lists = this.enforcedLists();
    this.listed.replace(lists);
    this.watcher?.(lists);
  }
}

function* blocksOf<T extends number | bigint>(family: { starts: T[]; prefixes: number[] }, ids: number[]): Generator<ListedBlock> {
  for (let i = 0; i < family.starts.length; i++) yield { start: family.starts[i], prefix: family.prefixes[i], id: ids[i] };
}

/** Whether the list still has exactly this block; a binary search, blocks being ascending and disjoint. */
function holds(blocks: CidrBlocks, block: ListedBlock): boolean {
  const family = (typeof block.start === 'number' ? blocks.v4 : blocks.v6) as { starts: Array<number | bigint>; prefixes: number[] };
  let low = 0;
  let high = family.starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (family.starts[mid] < block.start) low = mid + 1;
    else high = mid;
  }
  return low < family.starts.length && family.starts[low] === block.start && family.prefixes[low] === block.prefix;
}

function toDecision(name: string, block: ListedBlock, expiresAtMs: number, now: number): BouncerDecision {
  const single = block.prefix === (typeof block.start === 'number' ? 32 : 128);
  return {
    id: block.id,
    origin: `blocklist:${name}`,
    type: 'ban',
    scope: single ? 'Ip' : 'Range',
    value: formatBlock(block.start, block.prefix),
    duration: goDuration(expiresAtMs - now),
    scenario: `blocklist:${name}`,
  };
}
