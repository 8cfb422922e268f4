import { auditFilterQuerySchema, resolveAuditFilters } from '@/lib/audit/filters';
import { redactAuditEvent, sharedAuditPageSchema, type SharedAuditPage } from '@/lib/share/share-view';
import type { Database } from '../db/client';
import { searchAuditEvents } from '../queries/audit-search';

export const SHARED_AUDIT_LIMIT = 200;

export interface SharedAuditRequest {
  /** The filters frozen into the link. */
  frozenQuery: Record<string, string>;
  /** The share page's own search parameters (the cursor), straight from the address. */
  pageQuery: Record<string, string | string[] | undefined>;
  redact: boolean;
  limit?: number;
  now?: Date;
}

/**
 * One page of a shared audit view: the frozen filters, newest first, keyset-paged by the
 * cursor in the share address. Redaction applies to every page, since each is read here.
 */
export async function readSharedAuditPage(
  database: Database,
  { frozenQuery, pageQuery, redact, limit = SHARED_AUDIT_LIMIT, now }: SharedAuditRequest,
): Promise<SharedAuditPage> {
  const page = sharedAuditPageSchema.safeParse({ cursor: pageQuery.cursor });
  if (!page.success) return { ok: false, status: 422, message: `The cursor in this address is not valid (${page.error.issues[0].message}).` };
  const filters = auditFilterQuerySchema.safeParse(frozenQuery);
  const cursor = page.data.cursor ?? null;
  if (!filters.success) return { ok: true, events: [], cursor, nextCursor: null };
  const found = await searchAuditEvents(database, resolveAuditFilters(filters.data, now), { cursor: cursor ?? undefined, limit });
  return { ok: true, events: redact ? found.events.map(redactAuditEvent) : found.events, cursor, nextCursor: found.nextCursor };
}
