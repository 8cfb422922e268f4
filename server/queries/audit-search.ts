import type { Database, Db } from '../db/client';
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
 * Exact matches on type/severity/module/host use their (column, seq) indexes; source and
 * actor have no index on purpose (they are rarely the only filter), so they ride on
 * whichever index the planner picks for the rest, or on the seq scan.
 */
export function auditWhere(provider: Database['provider'], filters: AuditSearchFilters, beforeSeq?: number, seqBounds?: SeqBounds): AuditWhere {
  const and: AuditWhere[] = [];
  if (beforeSeq !== undefined) and.push({ seq: { lt: beforeSeq } });
  if (seqBounds) and.push({ seq: { gte: seqBounds.min, lte: seqBounds.max } });
  if (filters.types?.length) and.push(filters.types.length === 1 ? { type: filters.types[0] } : { type: { in: filters.types } });
  if (filters.severities?.length) and.push(filters.severities.length === 1 ? { severity: filters.severities[0] } : { severity: { in: filters.severities } });
  if (filters.module) and.push({ module: filters.module });
  if (filters.source) and.push({ source: filters.source });
  if (filters.actor) and.push({ actor: filters.actor });
  if (filters.hostId !== undefined) and.push({ hostId: filters.hostId });
  if (filters.from) and.push({ at: { gte: filters.from } });
  if (filters.to) and.push({ at: { lte: filters.to } });
  if (filters.q) {
    const contains = textContains(provider, filters.q);
    and.push({ OR: [{ action: contains }, { reason: contains }, { details: contains }] });
  }
  return and.length ? { AND: and } : {};
}

/**
 * Free text matches case-insensitively on both databases. SQLite's LIKE already ignores
 * ASCII case; PostgreSQL's needs ILIKE (Prisma's insensitive mode), where a backslash
 * escapes, so % and _ in the text are taken literally instead of as wildcards.
 */
function textContains(provider: Database['provider'], q: string): { contains: string } {
  if (provider === 'sqlite') return { contains: q };
  // The client is typed by the SQLite schema, which lacks `mode`; the PostgreSQL client takes it.
  return { contains: q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' } as { contains: string };
}

type TextColumns = { action: string; reason: string | null; details: string };

/**
 * SQLite's LIKE has no escape character unless the statement names one, and Prisma's does
 * not, so there a % or _ in the text matches any characters: a superset of the rows that
 * contain it literally, narrowed here. Null when the database already matched exactly.
 */
function literalTextFilter(provider: Database['provider'], q: string | undefined): ((row: TextColumns) => boolean) | null {
  if (provider !== 'sqlite' || !q || !/[%_]/.test(q)) return null;
  const needle = q.toLowerCase();
  return (row) =>
    row.action.toLowerCase().includes(needle) || (row.reason?.toLowerCase().includes(needle) ?? false) || row.details.toLowerCase().includes(needle);
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
export async function searchAuditEvents(
  { prisma: db, provider }: Database,
  filters: AuditSearchFilters,
  page: { cursor?: number; limit: number },
): Promise<AuditSearchPage> {
  const bounds = await windowSeqBounds(db, filters);
  if (bounds === null) return { events: [], nextCursor: null };
  const keep = literalTextFilter(provider, filters.q);
  const rows: Awaited<ReturnType<Db['auditEvent']['findMany']>> = [];
  for (let cursor = page.cursor; ;) {
    const batch = await db.auditEvent.findMany({ where: auditWhere(provider, filters, cursor, bounds), orderBy: { seq: 'desc' }, take: page.limit + 1 });
    rows.push(...(keep ? batch.filter(keep) : batch));
    if (!keep || rows.length > page.limit || batch.length <= page.limit) break;
    cursor = batch[batch.length - 1].seq;
  }
  const events = rows.slice(0, page.limit).map(fromRow);
  return { events, nextCursor: rows.length > page.limit ? events[events.length - 1].seq : null };
}

/** Every matching event, newest first, fetched a chunk at a time so memory stays flat for any size. */
export async function* streamAuditEvents({ prisma: db, provider }: Database, filters: AuditSearchFilters, chunk = 5000): AsyncGenerator<ChainedAuditEvent> {
  // Pin the upper end to the head at the start, so an export is one consistent snapshot of the past.
  const head = await db.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
  const bounds = await windowSeqBounds(db, filters);
  if (!head || bounds === null) return;
  const keep = literalTextFilter(provider, filters.q);
  let cursor = head.seq + 1;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: auditWhere(provider, filters, cursor, bounds), orderBy: { seq: 'desc' }, take: chunk });
    for (const row of rows) if (!keep || keep(row)) yield fromRow(row);
    if (rows.length < chunk) return;
    cursor = rows[rows.length - 1].seq;
  }
}
