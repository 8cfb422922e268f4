import { randomUUID } from 'node:crypto';
import { auditEventInputSchema, type AuditEventInput } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';
import type { PendingAuditEvent } from '../queries/audit';

/** Validates an event and gives it its identity and time, ready to be linked into the chain. */
export function toPendingEvent(input: AuditEventInput): PendingAuditEvent {
  const parsed = auditEventInputSchema.parse(input);
  return {
    eventId: randomUUID(),
    at: (parsed.at ?? new Date()).toISOString(),
    type: parsed.type,
    severity: parsed.severity,
    actor: parsed.actor,
    action: parsed.action,
    module: parsed.module ?? null,
    resource: parsed.resource ?? null,
    reason: parsed.reason ?? null,
    method: parsed.method ?? null,
    source: parsed.source ?? null,
    details: (parsed.details ?? {}) as JsonObject,
  };
}
