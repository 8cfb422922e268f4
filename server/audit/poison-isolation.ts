import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { PendingAuditEvent } from '../queries/audit';

/** An event the chain can never take, and why. */
export interface Poisoned {
  event: PendingAuditEvent;
  reason: string;
}

export interface IsolatedCommit {
  committed: ChainedAuditEvent[];
  poisoned: Poisoned[];
  /** Set when the database itself failed: these events (in order) must wait for it. */
  outage: { error: unknown; waiting: PendingAuditEvent[] } | null;
}

export interface IsolationDeps {
  commit: (events: PendingAuditEvent[]) => Promise<ChainedAuditEvent[]>;
  /** True when the failure is the database's (unreachable, busy, down), not the events'. */
  isOutage: (error: unknown) => Promise<boolean>;
  describe: (error: unknown) => string;
}

/**
 * Commits a batch; when the database refuses it for a reason that is not an outage, one
 * event must be at fault, so the events are committed one by one in order and those
 * refused on their own are set aside. Nothing but a real outage keeps events waiting,
 * so one poisoned event can never hold the events behind it back.
 */
export async function commitIsolatingPoison(events: PendingAuditEvent[], deps: IsolationDeps): Promise<IsolatedCommit> {
  if (events.length === 0) return { committed: [], poisoned: [], outage: null };
  try {
    return { committed: await deps.commit(events), poisoned: [], outage: null };
  } catch (error) {
    if (await deps.isOutage(error)) return { committed: [], poisoned: [], outage: { error, waiting: events } };
    if (events.length === 1) return { committed: [], poisoned: [{ event: events[0], reason: deps.describe(error) }], outage: null };
  }
  const result: IsolatedCommit = { committed: [], poisoned: [], outage: null };
  for (let i = 0; i < events.length; i++) {
    try {
      result.committed.push(...(await deps.commit([events[i]])));
    } catch (error) {
      if (await deps.isOutage(error)) {
        result.outage = { error, waiting: events.slice(i) };
        return result;
      }
      result.poisoned.push({ event: events[i], reason: deps.describe(error) });
    }
  }
  return result;
}
