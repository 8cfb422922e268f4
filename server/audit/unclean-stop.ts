import { WORKER_RESTARTED_UNEXPECTEDLY } from '@/lib/alerts/default-rules';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import { readRecentAuditEvents } from '../queries/audit-recent';

/**
 * The event for a restart after a crash, a kill or a power cut: the previous run of this node
 * wrote `worker.started` and never its `worker.stopped`. Null after a clean stop or a first run.
 * In a cluster only this node's own events count (a node's id is stable there).
 */
export async function uncleanStopEvent(database: Database, input: { node: string | null }): Promise<AuditEventInput | null> {
  const recent = await readRecentAuditEvents(database, { types: ['worker.started', 'worker.stopped'], actor: 'system', take: 50 });
  const own = recent.filter((event) => (input.node === null ? event.details.node === undefined : event.details.node === input.node));
  const last = own.at(-1);
  if (!last || last.type !== 'worker.started') return null;
  return {
    type: WORKER_RESTARTED_UNEXPECTEDLY,
    severity: 'high',
    actor: 'system',
    action: 'worker restarted after an unclean stop',
    module: 'worker',
    reason: `the run started at ${last.at} (pid ${String(last.details.pid ?? '?')}) ended without recording its stop`,
    method: 'process',
    details: { previousStartSeq: last.seq, previousStartAt: last.at, previousPid: typeof last.details.pid === 'number' ? last.details.pid : null },
  };
}
