import type { Scenario } from '@/lib/defense/defense-config';

/**
 * What one host may weigh in fleet-wide decisions. Every enrolled agent is trusted to be who it
 * is, not to tell the truth: a compromised one could report counts it never saw, or claim it
 * isolated an address, to have the whole fleet cut that address off. These bounds keep a single
 * host from deciding for the fleet alone.
 */

/** Decisions one host may have adopted fleet-wide within a minute; beyond, they stay its own. */
export const FLEET_DECISIONS_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

/**
 * How much of one scenario's bucket one host may fill for one source within the scenario's
 * window: two thirds of the capacity, and always less than all of it. A fleet detection therefore
 * needs at least two hosts, and a host that lies can at most make the rest of the fleet's own
 * evidence count three times. A capacity of 1 is never reached across hosts: one host's own
 * detector decides that by itself (and shares its decision).
 */
export function hostShare(capacity: number): number {
  return Math.min(capacity - 1, Math.ceil((2 * capacity) / 3));
}

/** Per scenario name: how much one host poured for one source since `since`. */
export type PouredShares = Map<string, { count: number; since: number }>;

/**
 * How many of `count` signals one host may still pour into `scenario`'s bucket for one source
 * (`capacity` as the console's mode has it now); counts them as poured.
 */
export function grantShare(
  poured: PouredShares,
  { scenario, capacity, count, now }: { scenario: Scenario; capacity: number; count: number; now: number },
): number {
  let share = poured.get(scenario.name);
  if (!share || now - share.since > scenario.windowSeconds * 1000) poured.set(scenario.name, (share = { count: 0, since: now }));
  const granted = Math.max(0, Math.min(count, hostShare(capacity) - share.count));
  share.count += granted;
  return granted;
}

/** Per host, the times of its adopted decisions within the last minute: a sliding window, so pacing does not help. */
export class DecisionBudget {
  private readonly adopted = new Map<number, number[]>();
  /** Hosts over their budget since their last adopted decision: each run of refusals is recorded once. */
  private readonly limited = new Set<number>();

  /** `adopt` when `hostId` may have one more decision adopted now (counted); `limited` the first time it may not, then `limited-again`. */
  take(hostId: number, now: number): 'adopt' | 'limited' | 'limited-again' {
    const recent = (this.adopted.get(hostId) ?? []).filter((at) => now - at < MINUTE_MS);
    this.adopted.set(hostId, recent);
    if (recent.length < FLEET_DECISIONS_PER_MINUTE) {
      recent.push(now);
      this.limited.delete(hostId);
      return 'adopt';
    }
    if (this.limited.has(hostId)) return 'limited-again';
    this.limited.add(hostId);
    return 'limited';
  }
}
