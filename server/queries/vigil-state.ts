import { fromSqliteDate, fromSqliteDateOrNull, prismaOf, sqliteOf, type Store } from '../db/store';
import type { DecisionRow } from './defense';

/** A stored isolation as Prisma returns it, so a snapshot's isolations.json reads the same from either path. */
export interface IsolationRecord extends DecisionRow {
  liftedAt: Date | null;
  liftedBy: string | null;
}

export interface VigilStateRows {
  settings: { key: string; value: string }[];
  modules: { name: string; definition: string; createdBy: string }[];
  allowlist: { source: string; reason: string; createdBy: string }[];
  /** In force at `now`: not lifted, not expired. */
  isolations: IsolationRecord[];
}

type RawIsolation = Omit<IsolationRecord, 'createdAt' | 'expiresAt' | 'liftedAt'> & {
  createdAt: string | number;
  expiresAt: string | number | null;
  liftedAt: string | number | null;
};

/**
 * What a snapshot keeps of Vigil's own tables. On SQLite through the driver's connection: a
 * `vigil snapshot create` then never loads Prisma's client and query compiler for four reads.
 */
export async function readVigilStateRows(store: Store, now: Date): Promise<VigilStateRows> {
  const sqlite = sqliteOf(store);
  if (sqlite) {
    const all = <T>(sql: string) => sqlite.prepare(sql).all() as T[];
    const isolations = all<RawIsolation>(
      'SELECT "id", "source", "origin", "scenario", "reason", "actor", "offence", "createdAt", "expiresAt", "liftedAt", "liftedBy" FROM "DefenseDecision" WHERE "liftedAt" IS NULL ORDER BY "id" ASC',
    )
      .map((row) => ({
        ...row,
        createdAt: fromSqliteDate(row.createdAt),
        expiresAt: fromSqliteDateOrNull(row.expiresAt),
        liftedAt: fromSqliteDateOrNull(row.liftedAt),
      }))
      // Expiry is compared here: the adapter's stored date text is not ours to compare in SQL.
      .filter((row) => row.expiresAt === null || row.expiresAt.getTime() > now.getTime());
    return {
      settings: all('SELECT "key", "value" FROM "Setting" ORDER BY "key" ASC'),
      modules: all('SELECT "name", "definition", "createdBy" FROM "HealingModule" ORDER BY "name" ASC'),
      allowlist: all('SELECT "source", "reason", "createdBy" FROM "DefenseAllowEntry" ORDER BY "source" ASC'),
      isolations,
    };
  }
  const db = prismaOf(store);
  return {
    settings: await db.setting.findMany({ orderBy: { key: 'asc' }, select: { key: true, value: true } }),
    modules: await db.healingModule.findMany({ orderBy: { name: 'asc' }, select: { name: true, definition: true, createdBy: true } }),
    allowlist: await db.defenseAllowEntry.findMany({ orderBy: { source: 'asc' }, select: { source: true, reason: true, createdBy: true } }),
    isolations: await db.defenseDecision.findMany({
      where: { liftedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { id: 'asc' },
    }),
  };
}
