import { auditSearchQuerySchema, resolveAuditFilters } from '@/lib/audit/filters';
import { describeIssues, HttpError } from '@/lib/http-error';
import type { Database } from '../../db/client';
import { searchAuditEvents } from '../../queries/audit-search';
import { sendJson, type Router } from '../router';

/** The machine side of the audit trail: the same filters and keyset cursor as the audit page. */
export function registerAuditRoutes(router: Router, deps: { database: Database }): void {
  router.add({ method: 'GET', path: '/api/v1/audit', auth: 'audit:read', handler: async ({ res, url }) => {
    const query = auditSearchQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw new HttpError(422, 'invalid_query', describeIssues(query.error.issues));
    sendJson(res, 200, await searchAuditEvents(deps.database, resolveAuditFilters(query.data), { cursor: query.data.cursor, limit: query.data.limit }));
  } });
}
