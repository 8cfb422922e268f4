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
 * Commits a batch; when the database refuses it for a reason that is not an outage, some
 * event in it is at fault, so the batch is halved and each half committed in order, down to
 * the single events refused on their own, which are set aside. A poisoned event in a batch of
 * n costs about 2·log2(n) commits. Nothing but a real outage keeps events waiting, so one
 * poisoned event can never hold the events behind it back.
 */
export async function commitIsolatingPoison(events: PendingAuditEvent[], deps: IsolationDeps): Promise<IsolatedCommit> {
  const result: IsolatedCommit = { committed: [], poisoned: [], outage: null };
  if (events.length > 0) await commitOrSplit(events, deps, result);
  return result;
}

/** False once the database is out: `result.outage.waiting` then holds every event not yet committed, in order. */
async function commitOrSplit(events: PendingAuditEvent[], deps: IsolationDeps, result: IsolatedCommit): Promise<boolean> {
  try {
    result.committed.push(...(await deps.commit(events)));
    return true;
  } catch (error) {
    if (await deps.isOutage(error)) {
      result.outage = { error, waiting: [...events] };
      return false;
    }
    if (events.length === 1) {
      result.poisoned.push({ event: events[0], reason: deps.describe(error) });
      return true;
    }
  }
  const middle = Math.ceil(events.length / 2);
  if (!(await commitOrSplit(events.slice(0, middle), deps, result))) {
    result.outage!.waiting.push(...events.slice(middle));
    return false;
  }
  return commitOrSplit(events.slice(middle), deps, result);
}
