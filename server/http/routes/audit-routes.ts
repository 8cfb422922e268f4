import { resolveAuditFilters } from '@/lib/audit/filters';
import { machineContracts } from '../../contracts';
import type { Database } from '../../db/client';
import { searchAuditEvents } from '../../queries/audit-search';
import type { Router } from '../router';

/** The machine side of the audit trail: the same filters and keyset cursor as the audit page. */
export function registerAuditRoutes(router: Router, deps: { database: Database }): void {
  router.add({
    ...machineContracts.auditSearch,
    handler: ({ query }) => searchAuditEvents(deps.database, resolveAuditFilters(query), { cursor: query.cursor, limit: query.limit }),
  });
}
