import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { Db } from '../db/client';
import { fromRow } from './audit';

/**
 * Which events to read back. Each filter is served by one of the chain's indexes
 * ((type, seq), (module, seq), (at, seq)), read newest first, so the cost follows `take`
 * and the window, not the length of the trail.
 */
export interface RecentAuditFilter {
  types?: readonly string[];
  module?: string;
  typePrefix?: string;
  /** Only what Vigil wrote itself: application events never pass for the engine's own. */
  actor?: string;
  since?: Date;
  take: number;
}

/** The newest events matching `filter`, oldest first: what state rebuilt at start replays. */
export async function readRecentAuditEvents(db: Db, filter: RecentAuditFilter): Promise<ChainedAuditEvent[]> {
  const rows = await db.auditEvent.findMany({
    where: {
      ...(filter.types && { type: filter.types.length === 1 ? filter.types[0] : { in: [...filter.types] } }),
      ...(filter.typePrefix && { AND: [{ type: { startsWith: filter.typePrefix } }] }),
      ...(filter.module && { module: filter.module }),
      ...(filter.actor && { actor: filter.actor }),
      ...(filter.since && { at: { gte: filter.since } }),
    },
    orderBy: { seq: 'desc' },
    take: filter.take,
  });
  return rows.map(fromRow).reverse();
}
