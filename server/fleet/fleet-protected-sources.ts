import { canonicalIp, parseSource, rangesOverlap } from '@/lib/defense/ip-prefix';
import type { Database } from '../db/client';
import { liveSessionAddresses } from '../queries/sessions';

export interface FleetProtectionDeps {
  database: Database;
  /** Where each connected agent's socket comes from, as this console sees it. */
  hostAddresses: () => string[];
}

/**
 * Beyond the isolation policy (loopback, trusted proxies, allowlist), what a decision made by or
 * from agents may never cut off fleet-wide: an address an operator is signed in to this console
 * from, and an address one of the fleet's own agents connects from. An operator isolating by
 * hand is not asked this: they may mean it.
 */
export async function fleetProtectionOf(target: string, deps: FleetProtectionDeps, now = new Date()): Promise<string | null> {
  const parsed = parseSource(target);
  if (parsed === null) return null;
  const overlapping = (addresses: string[]) =>
    addresses.find((address) => {
      const other = parseSource(canonicalIp(address) ?? address);
      return other !== null && rangesOverlap(parsed, other);
    });
  const host = overlapping(deps.hostAddresses());
  if (host) return `${target} covers ${host}, the address a host of this fleet connects from`;
  const operator = overlapping(await liveSessionAddresses(deps.database.prisma, now));
  if (operator) return `${target} covers ${operator}, an address an operator is signed in from`;
  return null;
}
