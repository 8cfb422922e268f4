import type { Db, Queryable } from '../db/client';
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

export async function findActiveTokenByHash(db: Db, tokenHash: string) {
  return db.apiToken.findFirst({ where: { tokenHash, revokedAt: null }, select: TOKEN_WITH_OWNER });
}

/** The unrevoked tokens among these hashes, as `findActiveTokenByHash` reads each. */
export async function findActiveTokensByHashes(db: Db, tokenHashes: string[]) {
  return db.apiToken.findMany({ where: { tokenHash: { in: tokenHashes }, revokedAt: null }, select: TOKEN_WITH_OWNER });
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
