import type { ChainedAuditEvent } from '@/lib/audit/types';
import { AUDIT_SELECT_COLUMNS, rowToEvent, type RawAuditRow } from '../audit/stored-event-row';
import type { Database } from '../db/client';
import { toSqliteDate } from '../db/store';
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
export async function readRecentAuditEvents(database: Database, filter: RecentAuditFilter): Promise<ChainedAuditEvent[]> {
  // The driver's own statement maps a thousand rows several times faster than Prisma, and this
  // runs before the guard answers.
  if (database.sqlite) return readRecentOnSqlite(database.sqlite, filter);
  const rows = await database.prisma.auditEvent.findMany({
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

function readRecentOnSqlite(sqlite: NonNullable<Database['sqlite']>, filter: RecentAuditFilter): ChainedAuditEvent[] {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (filter.types) {
    conditions.push(`"type" IN (${filter.types.map(() => '?').join(', ')})`);
    params.push(...filter.types);
  }
  if (filter.typePrefix) {
    // substr, not LIKE: "_" in a type name is a LIKE wildcard.
    conditions.push('substr("type", 1, ?) = ?');
    params.push(filter.typePrefix.length, filter.typePrefix);
  }
  if (filter.module) {
    conditions.push('"module" = ?');
    params.push(filter.module);
  }
  if (filter.actor) {
    conditions.push('"actor" = ?');
    params.push(filter.actor);
  }
  if (filter.since) {
    // Compared as the stored text, in the form the writer stores it: what Prisma's adapter does too.
    conditions.push('"at" >= ?');
    params.push(toSqliteDate(filter.since));
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = sqlite
    .prepare(`SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" ${where} ORDER BY "seq" DESC LIMIT ?`)
    .all(...params, filter.take) as RawAuditRow[];
  return rows.map(rowToEvent).reverse();
}
