import { canView } from '@/lib/auth/roles';
import { auditSearchQuerySchema, resolveAuditFilters } from '@/lib/audit/filters';
import { searchAuditEvents } from '@/server/queries/audit-search';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  query: auditSearchQuerySchema,
  async handler({ web, query }) {
    return searchAuditEvents(web.database, resolveAuditFilters(query), { cursor: query.cursor, limit: query.limit });
  },
});
