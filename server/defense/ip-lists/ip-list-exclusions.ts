import { intervalOfSource, mergeIntervals, overlapsAny, subtractIntervals, type FamilyIntervals, type Interval } from '@/lib/defense/ip-intervals';
import type { ParsedIpList } from '@/lib/defense/ip-list-format';
import { parseSource } from '@/lib/defense/ip-prefix';

/** Never enforced from a list, whatever it says: this host's own loopback (v4, v6 and v4-mapped). */
export const ALWAYS_EXCLUDED = ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104'];

/** The addresses no list may block: the allowlist, loopback and the trusted proxies, merged. */
export function exclusionIntervals(sources: readonly string[]): FamilyIntervals {
  return intervalsOfSources([...ALWAYS_EXCLUDED, ...sources]);
}

/** Addresses and ranges as merged intervals per family; text that is neither is skipped. */
export function intervalsOfSources(sources: readonly string[]): FamilyIntervals {
  const v4: Interval<number>[] = [];
  const v6: Interval<bigint>[] = [];
  for (const text of sources) {
    const source = parseSource(text);
    if (!source) continue;
    if (source.family === 4) v4.push(intervalOfSource(source) as Interval<number>);
    else v6.push(intervalOfSource(source) as Interval<bigint>);
  }
  return { v4: mergeIntervals(v4), v6: mergeIntervals(v6) };
}

/**
 * The list minus the exclusions. `excluded` counts the merged intervals of the list that an
 * exclusion cut into (an entry for 10.0.0.0/8 with 10.0.0.1 allowlisted is one), so an operator
 * sees that the list wanted something Vigil will not do.
 */
export function carveExclusions(list: ParsedIpList, excludedSources: readonly string[]): { intervals: FamilyIntervals; excluded: number } {
  const exclusions = exclusionIntervals(excludedSources);
  const excluded =
    list.v4.filter((i) => overlapsAny(exclusions.v4, i.start, i.end)).length + list.v6.filter((i) => overlapsAny(exclusions.v6, i.start, i.end)).length;
  return { intervals: { v4: subtractIntervals(list.v4, exclusions.v4), v6: subtractIntervals(list.v6, exclusions.v6) }, excluded };
}
