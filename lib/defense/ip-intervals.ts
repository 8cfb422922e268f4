import { formatIpv4, formatIpv6, type ParsedSource } from './ip-prefix';

/**
 * Address ranges as inclusive [start, end] pairs: IPv4 as numbers (exact up to 2^32), IPv6 as
 * bigints. Lists of a million entries are merged here, so IPv4 stays on plain numbers.
 */
export interface Interval<T extends number | bigint> {
  start: T;
  end: T;
}

export interface FamilyIntervals {
  v4: Interval<number>[];
  v6: Interval<bigint>[];
}

const byStart = <T extends number | bigint>(a: Interval<T>, b: Interval<T>): number => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

/** True when `next` starts inside `current` or right after it (adjacent ranges coalesce too). */
function touches<T extends number | bigint>(current: Interval<T>, next: Interval<T>): boolean {
  return typeof current.end === 'number' ? (next.start as number) <= current.end + 1 : (next.start as bigint) <= (current.end as bigint) + 1n;
}

/** Sorted, disjoint and non-adjacent: the fewest intervals covering exactly the same addresses. */
export function mergeIntervals<T extends number | bigint>(intervals: readonly Interval<T>[]): Interval<T>[] {
  const sorted = [...intervals].sort(byStart);
  const merged: Interval<T>[] = [];
  for (const next of sorted) {
    const current = merged[merged.length - 1];
    if (current && touches(current, next)) {
      if (next.end > current.end) current.end = next.end;
    } else {
      merged.push({ start: next.start, end: next.end });
    }
  }
  return merged;
}

const before = <T extends number | bigint>(value: T): T => (typeof value === 'number' ? value - 1 : (value as bigint) - 1n) as T;
const after = <T extends number | bigint>(value: T): T => (typeof value === 'number' ? value + 1 : (value as bigint) + 1n) as T;

/** `kept` minus `removed`, both merged (sorted and disjoint); the result is merged too. */
export function subtractIntervals<T extends number | bigint>(kept: readonly Interval<T>[], removed: readonly Interval<T>[]): Interval<T>[] {
  const result: Interval<T>[] = [];
  let r = 0;
  for (const interval of kept) {
    let start = interval.start;
    while (r < removed.length && removed[r].end < start) r++;
    let i = r;
    while (i < removed.length && removed[i].start <= interval.end) {
      if (removed[i].start > start) result.push({ start, end: before(removed[i].start) });
      if (removed[i].end >= interval.end) {
        start = after(interval.end);
        break;
      }
      start = after(removed[i].end);
      i++;
    }
    if (start <= interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** Whether any of `intervals` (merged) shares an address with [start, end]; a binary search. */
export function overlapsAny<T extends number | bigint>(intervals: readonly Interval<T>[], start: T, end: T): boolean {
  let low = 0;
  let high = intervals.length;
  // The first interval that ends at or after `start`.
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (intervals[mid].end < start) low = mid + 1;
    else high = mid;
  }
  return low < intervals.length && intervals[low].start <= end;
}

const V6_BITS = 128n;

/** A CIDR range as the interval of addresses it covers. */
export function intervalOfSource(source: ParsedSource): Interval<number> | Interval<bigint> {
  if (source.family === 4) {
    const start = source.network as number;
    return { start, end: start + 2 ** (32 - source.prefix) - 1 };
  }
  const start = source.network as bigint;
  return { start, end: start + (1n << (V6_BITS - BigInt(source.prefix))) - 1n };
}

/** CIDR blocks by family, ascending and disjoint: starts with their prefix lengths, kept as numbers. */
export interface CidrBlocks {
  v4: { starts: number[]; prefixes: number[] };
  v6: { starts: bigint[]; prefixes: number[] };
}

/** The blocks bouncers are told about: the fewest aligned CIDR blocks that tile each interval. */
export function cidrBlocks(intervals: FamilyIntervals): CidrBlocks {
  const blocks: CidrBlocks = { v4: { starts: [], prefixes: [] }, v6: { starts: [], prefixes: [] } };
  for (const { start, end } of intervals.v4) {
    let at = start;
    while (at <= end) {
      // The largest block aligned at `at` (its lowest set bit), shrunk until it fits.
      let size = at === 0 ? 2 ** 32 : (at & -at) >>> 0;
      while (at + size - 1 > end) size /= 2;
      blocks.v4.starts.push(at);
      blocks.v4.prefixes.push(32 - Math.log2(size));
      at += size;
    }
  }
  for (const { start, end } of intervals.v6) {
    let at = start;
    while (at <= end) {
      let bits = 0n;
      while (bits < V6_BITS && ((at >> bits) & 1n) === 0n) bits++;
      while (at + (1n << bits) - 1n > end) bits--;
      blocks.v6.starts.push(at);
      blocks.v6.prefixes.push(128 - Number(bits));
      at += 1n << bits;
    }
  }
  return blocks;
}

/** A block as text: a plain address for a /32 or /128, CIDR notation otherwise. */
export function formatBlock(start: number | bigint, prefix: number): string {
  if (typeof start === 'number') return prefix === 32 ? formatIpv4(start) : `${formatIpv4(start)}/${prefix}`;
  return prefix === 128 ? formatIpv6(start) : `${formatIpv6(start)}/${prefix}`;
}

export function intervalsToCidrs(intervals: FamilyIntervals): string[] {
  const blocks = cidrBlocks(intervals);
  return [
    ...blocks.v4.starts.map((start, i) => formatBlock(start, blocks.v4.prefixes[i])),
    ...blocks.v6.starts.map((start, i) => formatBlock(start, blocks.v6.prefixes[i])),
  ];
}
