import type BetterSqlite3 from 'better-sqlite3';
import type { Database, Db, Queryable } from '../db/client';
import { prismaOf, sqliteOf, type Store } from '../db/store';
import type { Role } from '@/lib/auth/roles';
import { decodeScopes, encodeScopes, type Scope } from '@/lib/auth/scopes';

/** What deciding on a token needs: the token and its owner's current role and state. */
const TOKEN_WITH_OWNER = {
  id: true,
  name: true,
  role: true,
  scopes: true,
  tokenHash: true,
  createdBy: { select: { id: true, role: true, disabled: true } },
} as const;

/** An unrevoked token with its owner's current role and state, as deciding on it needs. */
export interface ActiveTokenRow {
  id: string;
  name: string;
  role: string;
  scopes: string;
  tokenHash: string;
  createdBy: { id: string; role: string; disabled: boolean } | null;
}

const SQLITE_ACTIVE_TOKENS = `SELECT t."id", t."name", t."role", t."scopes", t."tokenHash", u."id" AS "ownerId", u."role" AS "ownerRole", u."disabled" AS "ownerDisabled"
  FROM "ApiToken" t LEFT JOIN "User" u ON u."id" = t."createdById"
  WHERE t."revokedAt" IS NULL AND t."tokenHash" IN (SELECT value FROM json_each(?))`;

interface SqliteTokenRow {
  id: string;
  name: string;
  role: string;
  scopes: string;
  tokenHash: string;
  ownerId: string | null;
  ownerRole: string | null;
  ownerDisabled: number | null;
}

const preparedLookups = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement<[string], SqliteTokenRow>>();

/**
 * The unrevoked tokens among these hashes. The API-token cache reads its cached tokens again
 * every second: on SQLite a prepared statement on the driver, since going through Prisma cost
 * a few milliseconds of CPU per read with fifty bouncers' tokens cached.
 */
export async function findActiveTokensByHashes(database: Database, tokenHashes: string[]): Promise<ActiveTokenRow[]> {
  // Not destructured: reading `prisma` opens Prisma's client, which the SQLite path never needs.
  const { sqlite } = database;
  if (!sqlite) return database.prisma.apiToken.findMany({ where: { tokenHash: { in: tokenHashes }, revokedAt: null }, select: TOKEN_WITH_OWNER });
  let statement = preparedLookups.get(sqlite);
  if (!statement) preparedLookups.set(sqlite, (statement = sqlite.prepare<[string], SqliteTokenRow>(SQLITE_ACTIVE_TOKENS)));
  return statement.all(JSON.stringify(tokenHashes)).map(({ ownerId, ownerRole, ownerDisabled, ...token }) => ({
    ...token,
    createdBy: ownerId === null ? null : { id: ownerId, role: ownerRole ?? '', disabled: ownerDisabled !== 0 },
  }));
}

/** A disabled account's tokens die with it; enabling it again does not bring them back. */
export async function revokeTokensOf(db: Queryable, ownerId: string, at: Date): Promise<number> {
  const result = await db.apiToken.updateMany({ where: { createdById: ownerId, revokedAt: null }, data: { revokedAt: at } });
  return result.count;
}

export async function touchTokens(db: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.apiToken.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: at } });
}

/** No scopes (the default) leaves the token the full access of its role. */
export async function createApiToken(
  db: Db,
  token: { id: string; name: string; prefix: string; tokenHash: string; role: Role; scopes?: readonly Scope[]; createdById: string | null },
) {
  const created = await db.apiToken.create({ data: { ...token, scopes: encodeScopes(token.scopes ?? []) } });
  return { ...created, scopes: decodeScopes(created.scopes) };
}

/** The hash stored under a token id, or null: read at every start for VIGIL_API_TOKEN, on the driver on SQLite. */
export async function storedTokenHash(store: Store, id: string): Promise<string | null> {
  const sqlite = sqliteOf(store);
  const row = sqlite
    ? (sqlite.prepare('SELECT "tokenHash" FROM "ApiToken" WHERE "id" = ?').get(id) as { tokenHash: string } | undefined)
    : await prismaOf(store).apiToken.findUnique({ where: { id }, select: { tokenHash: true } });
  return row?.tokenHash ?? null;
}

export async function upsertProvisionedToken(db: Db, token: { id: string; name: string; prefix: string; tokenHash: string; role: Role }) {
  const existing = await db.apiToken.findUnique({ where: { id: token.id } });
  if (!existing) return db.apiToken.create({ data: token });
  if (existing.tokenHash === token.tokenHash) return existing;
  return db.apiToken.update({ where: { id: token.id }, data: { tokenHash: token.tokenHash, prefix: token.prefix, role: token.role, revokedAt: null } });
}

/** Every token without its hash; `scopes` is null where the stored list is unreadable (the authenticator refuses such a token). */
export async function listApiTokens(db: Db) {
  const rows = await db.apiToken.findMany({
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { username: true } },
    },
  });
  return rows.map((row) => ({ ...row, scopes: decodeScopes(row.scopes) }));
}

export async function revokeApiToken(db: Db, id: string): Promise<boolean> {
  const result = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count === 1;
}

/** Which of these tokens still work: not revoked, and their owner (if any) not disabled. */
export async function findUsableTokenIds(db: Db, ids: string[]): Promise<string[]> {
  const rows = await db.apiToken.findMany({
    where: { id: { in: ids }, revokedAt: null, OR: [{ createdById: null }, { createdBy: { disabled: false } }] },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
