import { z } from 'zod';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { fileStateSchema, type IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { Database } from '../db/client';
import { readRecentAuditEvents } from '../queries/audit-recent';

const FINDING_TYPE_PREFIX = 'integrity.file_';

/** What `findingEvent` writes into the chain, checked as it is read back. */
const findingEventSchema = z.object({
  kind: z.enum(['added', 'removed', 'changed', 'restored']),
  severity: z.enum(['info', 'high', 'critical']),
  via: z.enum(['watch', 'scan']),
  path: z.string().min(1),
  details: z.object({ critical: z.boolean(), before: fileStateSchema.nullable(), after: fileStateSchema.nullable(), changed: z.array(z.string()) }),
});

/** A finding read back from its audit event; null for anything the integrity monitor did not write as one. */
export function findingFromAuditEvent(event: ChainedAuditEvent): IntegrityFinding | null {
  if (!event.type.startsWith(FINDING_TYPE_PREFIX)) return null;
  const parsed = findingEventSchema.safeParse({ kind: event.type.slice(FINDING_TYPE_PREFIX.length), severity: event.severity, via: event.method, path: event.resource, details: event.details });
  if (!parsed.success) return null;
  const { kind, severity, via, path, details } = parsed.data;
  return { path, kind, critical: details.critical, severity, before: details.before, after: details.after, changed: details.changed, at: event.at, via };
}

/**
 * The newest `take` findings, oldest first, from the audit trail: the trail is written before
 * the baseline file, so every path the baseline counts as differing has its finding there.
 */
export async function readRecentFindings(database: Database, take: number): Promise<IntegrityFinding[]> {
  const events = await readRecentAuditEvents(database.prisma, { module: 'integrity', typePrefix: FINDING_TYPE_PREFIX, actor: 'system', take });
  return events.map(findingFromAuditEvent).filter((finding): finding is IntegrityFinding => finding !== null);
}
