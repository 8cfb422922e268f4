import type { Database, Queryable } from '../db/client';
import { fromSqliteDate, prismaOf, sqliteOf, type Store } from '../db/store';

export interface DecisionRow {
  id: number;
  source: string;
  origin: string;
  scenario: string | null;
  reason: string;
  actor: string;
  offence: number;
  createdAt: Date;
  expiresAt: Date | null;
}

const DECISION_FIELDS = {
  id: true,
  source: true,
  origin: true,
  scenario: true,
  reason: true,
  actor: true,
  offence: true,
  createdAt: true,
  expiresAt: true,
} as const;

/** A decision in force as the loader hands it over: dates as ISO text, ready for memory. */
export interface StoredDecision extends Omit<DecisionRow, 'createdAt' | 'expiresAt'> {
  createdAt: string;
  expiresAt: string | null;
}

interface RawDecision extends Omit<DecisionRow, 'createdAt' | 'expiresAt'> {
  createdAt: number | string;
  expiresAt: number | string | null;
}

/** The adapter stores UTC text ending in +00:00; anything else goes through Date. */
function isoText(value: number | string): string {
  return typeof value === 'string' && value.endsWith('+00:00') ? `${value.slice(0, -6)}Z` : new Date(value).toISOString();
}

/**
 * Every decision still in force. On SQLite the driver's prepared statement reads 100,000
 * rows several times faster than Prisma's per-row mapping, and this runs before the guard
 * may answer.
 */
export async function loadActiveDecisions(database: Database, now: Date): Promise<StoredDecision[]> {
  const nowMs = now.getTime();
  if (database.sqlite) {
    const rows = database.sqlite
      .prepare('SELECT id, source, origin, scenario, reason, actor, offence, createdAt, expiresAt FROM DefenseDecision WHERE liftedAt IS NULL ORDER BY id')
      .all() as RawDecision[];
    // Expiry is compared here: the adapter's stored date text is not ours to compare in SQL.
    const decisions: StoredDecision[] = [];
    for (const r of rows) {
      const expiresAt = r.expiresAt === null ? null : isoText(r.expiresAt);
      if (expiresAt !== null && Date.parse(expiresAt) <= nowMs) continue;
      // Field by field rather than a spread of the row: this runs 100,000 times before the guard answers.
      const { id, source, origin, scenario, reason, actor, offence } = r;
      decisions.push({ id, source, origin, scenario, reason, actor, offence, createdAt: isoText(r.createdAt), expiresAt });
    }
    return decisions;
  }
  const rows = await database.prisma.defenseDecision.findMany({
    where: { liftedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: DECISION_FIELDS,
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt?.toISOString() ?? null }));
}

export function insertDecision(db: Queryable, input: Omit<DecisionRow, 'id'>): Promise<DecisionRow> {
  return db.defenseDecision.create({ data: input, select: DECISION_FIELDS });
}

/** Ends decisions early (restore); expired ones are left as they are, their expiresAt says it. */
export async function liftDecisions(db: Queryable, ids: number[], by: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.defenseDecision.updateMany({ where: { id: { in: ids }, liftedAt: null }, data: { liftedAt: at, liftedBy: by } });
}

/** How many times a source was isolated before: repeat offenders get longer isolations. */
export async function previousOffences(db: Queryable, source: string): Promise<number> {
  const last = await db.defenseDecision.findFirst({ where: { source }, orderBy: { id: 'desc' }, select: { offence: true } });
  return last?.offence ?? 0;
}

export interface AllowEntryRow {
  source: string;
  reason: string;
  createdBy: string;
  createdAt: Date;
}

export async function listAllowEntries(store: Store): Promise<AllowEntryRow[]> {
  const sqlite = sqliteOf(store);
  if (!sqlite) return prismaOf(store).defenseAllowEntry.findMany({ orderBy: { createdAt: 'asc' } });
  const rows = sqlite.prepare('SELECT "source", "reason", "createdBy", "createdAt" FROM "DefenseAllowEntry" ORDER BY "createdAt" ASC').all() as (Omit<
    AllowEntryRow,
    'createdAt'
  > & { createdAt: string | number })[];
  return rows.map((row) => ({ ...row, createdAt: fromSqliteDate(row.createdAt) }));
}

export async function upsertAllowEntry(db: Queryable, input: { source: string; reason: string; createdBy: string }): Promise<void> {
  await db.defenseAllowEntry.upsert({ where: { source: input.source }, create: input, update: { reason: input.reason, createdBy: input.createdBy } });
}

export async function deleteAllowEntry(db: Queryable, source: string): Promise<boolean> {
  const { count } = await db.defenseAllowEntry.deleteMany({ where: { source } });
  return count > 0;
}
