import { randomUUID } from 'node:crypto';
import { auditEventInputSchema, type AuditEventInput } from '@/lib/audit/types';
import { describeIssues, HttpError } from '@/lib/http-error';
import type { PendingAuditEvent } from '../queries/audit';

/**
 * Validates an event and gives it its identity and time, ready to be linked into the chain.
 * Whatever path an event takes, this is the check it passes: a caller that let something
 * through its own schema gets a 422 naming the field, never an event the chain cannot hash.
 */
export function toPendingEvent(input: AuditEventInput): PendingAuditEvent {
  const result = auditEventInputSchema.safeParse(input);
  if (!result.success) throw new HttpError(422, 'invalid_event', describeIssues(result.error.issues));
  const parsed = result.data;
  return pendingEventOf(parsed, randomUUID(), (parsed.at ?? new Date()).toISOString());
}

/** The chain's form of a validated event: absent optional fields become null, the details an object. */
export function pendingEventOf(parsed: Omit<AuditEventInput, 'at'>, eventId: string, at: string): PendingAuditEvent {
  return {
    eventId,
    at,
    type: parsed.type,
    severity: parsed.severity,
    actor: parsed.actor,
    action: parsed.action,
    module: parsed.module ?? null,
    resource: parsed.resource ?? null,
    reason: parsed.reason ?? null,
    method: parsed.method ?? null,
    source: parsed.source ?? null,
    details: parsed.details ?? {},
  };
}

/** Why a pending event (say, one read back from a spool file) can never enter the chain, or null. */
export function unchainableReason(event: PendingAuditEvent): string | null {
  const at = new Date(event.at);
  if (Number.isNaN(at.getTime())) return 'at: not a valid time';
  const result = auditEventInputSchema.safeParse({ ...event, at });
  return result.success ? null : describeIssues(result.error.issues);
}
