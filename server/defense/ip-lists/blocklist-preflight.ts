import type { BlocklistSource } from '@/lib/defense/blocklist-config';
import { overlapsAny, type FamilyIntervals } from '@/lib/defense/ip-intervals';
import type { ParsedIpList } from '@/lib/defense/ip-list-format';
import type { SectionProblem } from '@/lib/settings/editable-sections';
import { ALWAYS_EXCLUDED, intervalsOfSources } from './ip-list-exclusions';
import { IpListSourceError, readIpList } from './ip-list-source';

export interface BlocklistPreflightInput {
  /** The lists as the admin is about to save them. */
  lists: readonly BlocklistSource[];
  /** The lists in force: one unchanged is not read again. */
  inForce: readonly BlocklistSource[];
  allowlist: readonly string[];
  trustedProxies: readonly string[];
  timeoutMs: number;
}

const sameSource = (a: BlocklistSource, b: BlocklistSource): boolean => a.name === b.name && a.url === b.url && a.path === b.path;

/** The first protected address or range the list shares an address with. */
function firstCovered(list: ParsedIpList, protectedSources: readonly string[]): string | null {
  for (const source of protectedSources) {
    const one: FamilyIntervals = intervalsOfSources([source]);
    const hit = one.v4.some((i) => overlapsAny(list.v4, i.start, i.end)) || one.v6.some((i) => overlapsAny(list.v6, i.start, i.end));
    if (hit) return source;
  }
  return null;
}

/**
 * Reads each new or changed list once before the console saves it, and refuses one that cannot be
 * read or that covers what Vigil never blocks (loopback, the allowlist, the trusted proxies). A
 * list from the file is only trimmed of those at each refresh; an admin typing one in the console
 * is told instead, while the mistake (a list that would lock out the proxy) is still on screen.
 */
export async function checkBlocklistsBeforeSave(input: BlocklistPreflightInput): Promise<SectionProblem[]> {
  const problems: SectionProblem[] = [];
  const protectedGroups = [
    { what: 'loopback', sources: ALWAYS_EXCLUDED },
    { what: 'the allowlist', sources: input.allowlist },
    { what: 'a trusted proxy', sources: input.trustedProxies },
  ];
  for (const [at, source] of input.lists.entries()) {
    if (input.inForce.some((kept) => sameSource(kept, source))) continue;
    const field = `defense.blocklists.${at}.${source.url !== undefined ? 'url' : 'path'}`;
    let list: ParsedIpList;
    try {
      list = await readIpList(source, { timeoutMs: input.timeoutMs });
    } catch (error) {
      if (!(error instanceof IpListSourceError)) throw error;
      problems.push({ field, message: `${source.name}: ${error.message}` });
      continue;
    }
    for (const group of protectedGroups) {
      const covered = firstCovered(list, group.sources);
      if (covered === null) continue;
      problems.push({
        field,
        message: `${source.name} covers ${covered} (${group.what}); Vigil never blocks loopback, the allowlist or its trusted proxies: take it out of the list`,
      });
      break;
    }
  }
  return problems;
}
