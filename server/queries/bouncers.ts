import type BetterSqlite3 from 'better-sqlite3';
import type { Database, Db } from '../db/client';
import { fromSqliteDate, fromSqliteDateOrNull, prismaOf, serializeSqliteWrite, sqliteOf, type Store } from '../db/store';
import type { Role } from '@/lib/auth/roles';
import { encodeScopes, type Scope } from '@/lib/auth/scopes';
import { bouncerStatus, type BouncerView } from '@/lib/defense/bouncers';

/** What the registry keeps of a pull until its next flush. */
export interface BouncerPullState {
  address: string | null;
  version: string | null;
  lastPullAt: Date;
  lastStatus: number;
  delivered: number;
  intervalMs: number | null;
  stale: boolean;
}

const BOUNCER_ROW = {
  name: true,
  createdAt: true,
  address: true,
  version: true,
  lastPullAt: true,
  lastStatus: true,
  delivered: true,
  intervalMs: true,
  stale: true,
  tokenId: true,
  token: { select: { tokenHash: true, revokedAt: true } },
} as const;

export type BouncerRow = Awaited<ReturnType<typeof listBouncersThroughPrisma>>[number];

function listBouncersThroughPrisma(db: Db) {
  return db.bouncer.findMany({ orderBy: { name: 'asc' }, select: BOUNCER_ROW });
}

type Stored<T> = { [K in keyof T]: T[K] extends Date ? string | number : T[K] extends Date | null ? string | number | null : T[K] };
type SqliteBouncerRow = Stored<Omit<BouncerRow, 'token' | 'stale'>> & { stale: number; tokenHash: string; revokedAt: string | number | null };

/** Re-read every few seconds by each worker: on SQLite through the driver, without Prisma. */
export async function listBouncers(store: Store): Promise<BouncerRow[]> {
  const sqlite = sqliteOf(store);
  if (!sqlite) return listBouncersThroughPrisma(prismaOf(store) as Db);
  const rows = sqlite
    .prepare(
      `SELECT b."name", b."createdAt", b."address", b."version", b."lastPullAt", b."lastStatus", b."delivered", b."intervalMs", b."stale", b."tokenId",
              t."tokenHash", t."revokedAt"
       FROM "Bouncer" b JOIN "ApiToken" t ON t."id" = b."tokenId" ORDER BY b."name" ASC`,
    )
    .all() as SqliteBouncerRow[];
  return rows.map(({ tokenHash, revokedAt, ...row }) => ({
    ...row,
    createdAt: fromSqliteDate(row.createdAt),
    lastPullAt: fromSqliteDateOrNull(row.lastPullAt),
    stale: row.stale !== 0,
    token: { tokenHash, revokedAt: fromSqliteDateOrNull(revokedAt) },
  }));
}

export async function findBouncer(db: Db, name: string) {
  return db.bouncer.findUnique({ where: { name }, select: BOUNCER_ROW });
}

/** The bouncer and its token in one transaction, so neither exists without the other. */
export async function createBouncerWithToken(
  db: Db,
  input: { name: string; token: { id: string; name: string; prefix: string; tokenHash: string; role: Role; scopes: readonly Scope[] } },
) {
  const { token } = input;
  return db.$transaction(async (tx) => {
    await tx.apiToken.create({ data: { ...token, scopes: encodeScopes(token.scopes), createdById: null } });
    return tx.bouncer.create({ data: { name: input.name, tokenId: token.id }, select: BOUNCER_ROW });
  });
}

/** Forgets the bouncer and revokes its token (kept, as every revoked token is), which stops its pulls at the token cache's next recheck. */
export async function deleteBouncer(db: Db, name: string, at: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.bouncer.findUnique({ where: { name }, select: { tokenId: true } });
    if (!row) return false;
    await tx.bouncer.delete({ where: { name } });
    await tx.apiToken.updateMany({ where: { id: row.tokenId, revokedAt: null }, data: { revokedAt: at } });
    return true;
  });
}

const PULL_COLUMNS = ['address', 'version', 'lastPullAt', 'lastStatus', 'delivered', 'intervalMs', 'stale'] as const;
const POSTGRES_PULL_TYPES: Record<(typeof PULL_COLUMNS)[number], string> = {
  address: 'text',
  version: 'text',
  lastPullAt: 'timestamp(3)',
  lastStatus: 'integer',
  delivered: 'integer',
  intervalMs: 'integer',
  stale: 'boolean',
};
const SET_PULL = PULL_COLUMNS.map((c) => `"${c}" = x."${c}"`).join(', ');
const SQLITE_SAVE_PULLS = `UPDATE "Bouncer" SET ${PULL_COLUMNS.map((c) => `"${c}" = x.value ->> '$.${c}'`).join(', ')} FROM json_each(?) AS x WHERE "Bouncer"."name" = x.value ->> '$.name'`;
const POSTGRES_SAVE_PULLS = `UPDATE "Bouncer" SET ${SET_PULL} FROM jsonb_to_recordset($1::jsonb) AS x("name" text, ${PULL_COLUMNS.map((c) => `"${c}" ${POSTGRES_PULL_TYPES[c]}`).join(', ')}) WHERE "Bouncer"."name" = x."name"`;

const preparedSaves = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * Writes what the registry saw since its last flush, every bouncer that pulled in one statement:
 * the batch travels as one JSON parameter the database unpacks (as the audit chain's insert
 * does). One Prisma update per bouncer cost tens of milliseconds of CPU per flush at fifty.
 */
export async function saveBouncerPulls(database: Database, pulls: Map<string, BouncerPullState>): Promise<void> {
  if (pulls.size === 0) return;
  // Not destructured: reading `prisma` opens Prisma's client, which the SQLite path never needs.
  const { provider, sqlite } = database;
  const sqliteTime = provider === 'sqlite';
  const payload = JSON.stringify(
    [...pulls].map(([name, pull]) => ({
      name,
      ...pull,
      // Prisma's SQLite adapter stores times as ISO text with an explicit offset, booleans as 0/1.
      lastPullAt: sqliteTime ? pull.lastPullAt.toISOString().replace('Z', '+00:00') : pull.lastPullAt.toISOString(),
      stale: sqliteTime ? Number(pull.stale) : pull.stale,
    })),
  );
  if (sqlite) {
    let statement = preparedSaves.get(sqlite);
    if (!statement) preparedSaves.set(sqlite, (statement = sqlite.prepare(SQLITE_SAVE_PULLS)));
    const save = statement;
    await serializeSqliteWrite(sqlite, () => save.run(payload));
    return;
  }
  await database.prisma.$executeRawUnsafe(provider === 'sqlite' ? SQLITE_SAVE_PULLS : POSTGRES_SAVE_PULLS, payload);
}

export function toBouncerView(row: BouncerRow, now: number): BouncerView {
  const lastPullAt = row.lastPullAt?.getTime() ?? null;
  return {
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    address: row.address,
    version: row.version,
    lastPullAt: row.lastPullAt?.toISOString() ?? null,
    lastStatus: row.lastStatus,
    delivered: row.delivered,
    intervalMs: row.intervalMs,
    status: bouncerStatus({ lastPullAt, lastStatus: row.lastStatus, intervalMs: row.intervalMs }, now),
    revoked: row.token.revokedAt !== null,
  };
}

/** The bouncers as the console and `vigil bouncer list` show them: as last flushed by the worker. */
export async function listBouncerViews(db: Db, now = Date.now()): Promise<BouncerView[]> {
  return (await listBouncers(db)).map((row) => toBouncerView(row, now));
}
