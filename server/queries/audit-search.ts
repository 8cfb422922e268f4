import type { Db } from '../db/client';
import type { AuditSearchFilters } from '@/lib/audit/filters';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { fromRow } from './audit';

export interface AuditSearchPage {
  events: ChainedAuditEvent[];
  /** The seq to pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

type AuditWhere = NonNullable<NonNullable<Parameters<Db['auditEvent']['findMany']>[0]>['where']>;

/**
 * Exact matches on type/severity/module use their (column, seq) indexes; source and
 * actor have no index on purpose (they are rarely the only filter), so they ride on
 * whichever index the planner picks for the rest, or on the seq scan.
 */
export function auditWhere(filters: AuditSearchFilters, beforeSeq?: number, seqBounds?: SeqBounds): AuditWhere {
  const and: AuditWhere[] = [];
  if (beforeSeq !== undefined) and.push({ seq: { lt: beforeSeq } });
  if (seqBounds) and.push({ seq: { gte: seqBounds.min, lte: seqBounds.max } });
  if (filters.types?.length) and.push(filters.types.length === 1 ? { type: filters.types[0] } : { type: { in: filters.types } });
  if (filters.severities?.length) and.push(filters.severities.length === 1 ? { severity: filters.severities[0] } : { severity: { in: filters.severities } });
  if (filters.module) and.push({ module: filters.module });
  if (filters.source) and.push({ source: filters.source });
  if (filters.actor) and.push({ actor: filters.actor });
  if (filters.from) and.push({ at: { gte: filters.from } });
  if (filters.to) and.push({ at: { lte: filters.to } });
  if (filters.q) and.push({ OR: [{ action: { contains: filters.q } }, { reason: { contains: filters.q } }, { details: { contains: filters.q } }] });
  return and.length ? { AND: and } : {};
}

interface SeqBounds {
  min: number;
  max: number;
}

/**
 * For a window that ends in the past, newest-first by seq would walk the primary key
 * from the head down to the window (500k rows for a day two weeks back in a 1M trail:
 * ~80 ms). The seq range of the window, read from the (at) index, lets it start there.
 * The bounds come from the same predicate, so they never exclude a matching row.
 * Returns null when nothing is in the window.
 */
async function windowSeqBounds(db: Db, filters: AuditSearchFilters): Promise<SeqBounds | null | undefined> {
  if (!filters.to) return undefined;
  const found = await db.auditEvent.aggregate({ where: { at: { gte: filters.from, lte: filters.to } }, _min: { seq: true }, _max: { seq: true } });
  return found._min.seq === null || found._max.seq === null ? null : { min: found._min.seq, max: found._max.seq };
}

/** Newest first, keyset by seq: a page never shifts when events are appended meanwhile. */
export async function searchAuditEvents(db: Db, filters: AuditSearchFilters, page: { cursor?: number; limit: number }): Promise<AuditSearchPage> {
  const bounds = await windowSeqBounds(db, filters);
  if (bounds === null) return { events: [], nextCursor: null };
  const rows = await db.auditEvent.findMany({ where: auditWhere(filters, page.cursor, bounds), orderBy: { seq: 'desc' }, take: page.limit + 1 });
  const events = rows.slice(0, page.limit).map(fromRow);
  return { events, nextCursor: rows.length > page.limit ? events[events.length - 1].seq : null };
}

/** Every matching event, newest first, fetched a chunk at a time so memory stays flat for any size. */
export async function* streamAuditEvents(db: Db, filters: AuditSearchFilters, chunk = 5000): AsyncGenerator<ChainedAuditEvent> {
  // Pin the upper end to the head at the start, so an export is one consistent snapshot of the past.
  const head = await db.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
  const bounds = await windowSeqBounds(db, filters);
  if (!head || bounds === null) return;
  let cursor = head.seq + 1;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: auditWhere(filters, cursor, bounds), orderBy: { seq: 'desc' }, take: chunk });
    for (const row of rows) yield fromRow(row);
    if (rows.length < chunk) return;
    cursor = rows[rows.length - 1].seq;
  }
}
