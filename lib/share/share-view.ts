import { z } from 'zod';
import { auditCursorSchema } from '../audit/filters';
import type { ChainedAuditEvent } from '../audit/types';

/** The views a link can show, and the query (filters, range) frozen into the link. */
export const SHAREABLE_PATHS = ['/audit', '/'] as const;

export const shareViewSchema = z.object({
  path: z.enum(SHAREABLE_PATHS),
  query: z.record(z.string().max(64), z.string().max(500)).default({}),
});
export type ShareView = z.infer<typeof shareViewSchema>;

export const createShareLinkSchema = z.object({
  title: z.string().trim().min(1, 'give the link a title').max(120),
  view: shareViewSchema,
  expiresInHours: z.number().int().min(1, 'at least 1 hour').max(24 * 30, 'at most 30 days').default(24),
  redactSources: z.boolean().default(false),
});
export type CreateShareLink = z.infer<typeof createShareLinkSchema>;

/** 203.0.113.9 → 203.0.113.x, 2001:db8::1 → 2001:db8:…: enough to tell sources apart, not to find them. */
export function redactAddress(address: string | null): string | null {
  if (!address) return address;
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(address);
  if (v4) return `${v4[1]}.x`;
  if (/^[0-9a-f:]+$/i.test(address) && address.split(':').length > 2) return `${address.split(':').slice(0, 2).join(':')}:…`;
  return 'redacted';
}

const IPV4 = /\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b/g;

/** Redacts IPv4 addresses wherever they appear in free text (actions, reasons, details). */
export function redactAddressesInText(text: string): string {
  return text.replace(IPV4, '$1.x');
}

/** Everything a shared audit view shows, with the addresses in it redacted. */
export function redactAuditEvent(event: ChainedAuditEvent): ChainedAuditEvent {
  return {
    ...event,
    source: redactAddress(event.source),
    actor: redactAddressesInText(event.actor),
    action: redactAddressesInText(event.action),
    resource: event.resource === null ? null : redactAddressesInText(event.resource),
    reason: event.reason === null ? null : redactAddressesInText(event.reason),
    details: JSON.parse(redactAddressesInText(JSON.stringify(event.details))) as ChainedAuditEvent['details'],
  };
}

/**
 * The share page's own query: which page of a shared audit view, as the same keyset
 * cursor the audit page uses. The filters stay frozen in the link and are not read here.
 */
export const sharedAuditPageSchema = z.object({
  cursor: z.string('give one cursor').pipe(auditCursorSchema).optional(),
});

/** What a shared audit view renders: a page of events, or why the address was refused. */
export type SharedAuditPage =
  | { ok: true; events: ChainedAuditEvent[]; cursor: number | null; nextCursor: number | null }
  | { ok: false; status: 422; message: string };
