import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalOfSource, intervalsToCidrs, mergeIntervals, overlapsAny, subtractIntervals, type Interval } from './ip-intervals';
import { parseSource } from './ip-prefix';

/** Small address space: every address can be checked one by one against the sets. */
const SPACE = 512;
const interval = fc
  .tuple(fc.integer({ min: 0, max: SPACE - 1 }), fc.integer({ min: 0, max: SPACE - 1 }))
  .map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
const covers = (intervals: readonly Interval<number>[], value: number) => intervals.some((i) => i.start <= value && value <= i.end);

function expectMerged(intervals: readonly Interval<number>[]): void {
  for (let i = 1; i < intervals.length; i++) expect(intervals[i].start).toBeGreaterThan(intervals[i - 1].end + 1);
}

describe('interval merge', () => {
  it('holds exactly the union of the entries minus the exclusions, as sorted non-adjacent intervals', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), fc.array(interval, { maxLength: 10 }), (entries, exclusions) => {
        const merged = mergeIntervals(entries);
        const removed = mergeIntervals(exclusions);
        const result = subtractIntervals(merged, removed);
        expectMerged(merged);
        expectMerged(result);
        for (let address = 0; address < SPACE; address++) {
          expect(covers(merged, address)).toBe(covers(entries, address));
          expect(covers(result, address)).toBe(covers(entries, address) && !covers(exclusions, address));
          expect(overlapsAny(removed, address, address)).toBe(covers(exclusions, address));
        }
      }),
    );
  });

  it('tiles every interval with aligned CIDR blocks that cover exactly its addresses', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 20 }), (entries) => {
        const merged = mergeIntervals(entries);
        const blocks = intervalsToCidrs({ v4: merged, v6: [] }).map((text) => intervalOfSource(parseSource(text)!) as Interval<number>);
        const count = new Map<number, number>();
        for (const block of blocks) for (let a = block.start; a <= block.end; a++) count.set(a, (count.get(a) ?? 0) + 1);
        for (let address = 0; address < SPACE; address++) expect(count.get(address) ?? 0).toBe(covers(merged, address) ? 1 : 0);
      }),
    );
  });

  it('coalesces adjacent and overlapping ranges, IPv6 too', () => {
    const v6 = ['2001:db8::/33', '2001:db8:8000::/33', '2001:db8::5'].map((t) => intervalOfSource(parseSource(t)!) as Interval<bigint>);
    const merged = mergeIntervals(v6);
    expect(intervalsToCidrs({ v4: [], v6: merged })).toEqual(['2001:db8::/32']);
    expect(subtractIntervals(merged, [{ start: merged[0].start, end: merged[0].start }]).map((i) => i.start - merged[0].start)).toEqual([1n]);
    expect(intervalsToCidrs({ v4: [{ start: 0, end: 2 ** 32 - 1 }], v6: [] })).toEqual(['0.0.0.0/0']);
    expect(intervalsToCidrs({ v4: [{ start: 1, end: 2 }], v6: [{ start: 0n, end: 0n }] })).toEqual(['0.0.0.1', '0.0.0.2', '::']);
  });
});
