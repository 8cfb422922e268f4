import type { Database } from '../db/client';
import { readRecentAuditEvents } from './audit-recent';

/** Far more restarts than a day of any sane restart policy: the read stays bounded whatever happened. */
const MAX_RESTART_EVENTS = 10_000;

/**
 * When each module was restarted since `since`, oldest first, from the audit trail. A restart
 * within an incident is its `healing.action` step (automatic, approved or by hand); one asked for
 * outside an incident is only its `module.restart_requested` event, which names no incident.
 */
export async function readRecentRestarts(database: Database, since: Date): Promise<Map<string, number[]>> {
  const events = await readRecentAuditEvents(database, { types: ['healing.action', 'module.restart_requested'], since, take: MAX_RESTART_EVENTS });
  const restarts = new Map<string, number[]>();
  for (const event of events) {
    if (event.module === null) continue;
    const isRestart = event.type === 'healing.action' ? event.details.action === 'restart' : typeof event.details.incidentId !== 'string';
    if (!isRestart) continue;
    const times = restarts.get(event.module) ?? [];
    times.push(Date.parse(event.at));
    restarts.set(event.module, times);
  }
  return restarts;
}
