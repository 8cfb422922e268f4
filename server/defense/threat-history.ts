import { z } from 'zod';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';
import { THREAT_ACTIONS, type DefenseThreat } from '@/lib/defense/defense-types';
import type { Database } from '../db/client';
import { readRecentAuditEvents } from '../queries/audit-recent';

export const THREAT_EVENT = 'defense.threat';

/** What a threat's audit event carries in `details`; scenario, count and at were added later, so they may be missing. */
const threatDetailsSchema = z.object({
  threatId: z.string().min(1),
  level: z.enum(['medium', 'high', 'critical']),
  groupBy: z.enum(['ip', 'cidr24', 'user', 'token']),
  action: z.enum(THREAT_ACTIONS),
  mode: z.enum(['NORMAL', 'ELEVATED', 'LOCKDOWN']),
  scenario: z.string().min(1).optional(),
  count: z.number().int().nonnegative().optional(),
  at: z.iso.datetime().optional(),
});

/** The audit event for a threat, as the defense writes it: the trail is where the feed is rebuilt from. */
export function threatAuditDetails(threat: DefenseThreat): JsonObject {
  return {
    threatId: threat.id,
    level: threat.level,
    groupBy: threat.groupBy,
    action: threat.action,
    mode: threat.modeAtDetection,
    scenario: threat.scenario,
    count: threat.count,
    at: threat.at,
  };
}

/** A threat read back from its audit event; null for an event that is not one the defense wrote. */
export function threatFromAuditEvent(event: ChainedAuditEvent): DefenseThreat | null {
  if (event.type !== THREAT_EVENT || event.resource === null) return null;
  const details = threatDetailsSchema.safeParse(event.details);
  if (!details.success) return null;
  const d = details.data;
  return {
    id: d.threatId,
    at: d.at ?? event.at,
    // Events written before details held them: "<scenario> detected" and "<count> events within …".
    scenario: d.scenario ?? event.action.replace(/ detected$/, ''),
    level: d.level,
    groupBy: d.groupBy,
    key: event.resource,
    source: event.source,
    count: d.count ?? leadingCount(event.reason),
    action: d.action,
    origin: event.method ?? 'unknown',
    modeAtDetection: d.mode,
  };
}

function leadingCount(reason: string | null): number {
  const count = Number.parseInt(reason ?? '', 10);
  return Number.isFinite(count) ? count : 0;
}

/** The newest `take` threats from the audit trail, oldest first: the feed as it stood before a restart. */
export async function readRecentThreats(database: Database, take: number): Promise<DefenseThreat[]> {
  const events = await readRecentAuditEvents(database, { types: [THREAT_EVENT], actor: 'system', take });
  // In the order they were detected, as the live feed has them: two threats found together may
  // be written to the trail in the other order.
  return events
    .map(threatFromAuditEvent)
    .filter((threat): threat is DefenseThreat => threat !== null)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
