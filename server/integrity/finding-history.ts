import type { ChainedAuditEvent } from '@/lib/audit/types';
import { integrityFindingSchema, type IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { Database } from '../db/client';
import { readRecentAuditEvents } from '../queries/audit-recent';

const FINDING_TYPE_PREFIX = 'integrity.file_';

/** A finding read back from its audit event (what `findingEvent` wrote); null for anything else. */
export function findingFromAuditEvent(event: ChainedAuditEvent): IntegrityFinding | null {
  if (!event.type.startsWith(FINDING_TYPE_PREFIX)) return null;
  const { critical, before, after, changed } = event.details;
  const parsed = integrityFindingSchema.safeParse({
    path: event.resource,
    kind: event.type.slice(FINDING_TYPE_PREFIX.length),
    critical,
    severity: event.severity,
    before,
    after,
    changed,
    at: event.at,
    via: event.method,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * The newest `take` findings, oldest first, from the audit trail: for a baseline file written
 * before the list was kept with it (the trail is written first, so it has every finding since).
 */
export async function readRecentFindings(database: Database, take: number): Promise<IntegrityFinding[]> {
  const events = await readRecentAuditEvents(database, { module: 'integrity', typePrefix: FINDING_TYPE_PREFIX, actor: 'system', take });
  return events.map(findingFromAuditEvent).filter((finding): finding is IntegrityFinding => finding !== null);
}
