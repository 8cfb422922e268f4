import type { Db } from '../db/client';
import type { Role } from '@/lib/auth/roles';

export async function findActiveTokenByHash(db: Db, tokenHash: string) {
  return db.apiToken.findFirst({ where: { tokenHash, revokedAt: null } });
}

export async function touchTokens(db: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.apiToken.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: at } });
}

export async function createApiToken(db: Db, token: { id: string; name: string; prefix: string; tokenHash: string; role: Role; createdById: string | null }) {
  return db.apiToken.create({ data: token });
}

export async function upsertProvisionedToken(db: Db, token: { id: string; name: string; prefix: string; tokenHash: string; role: Role }) {
  const existing = await db.apiToken.findUnique({ where: { id: token.id } });
  if (!existing) return db.apiToken.create({ data: token });
  if (existing.tokenHash === token.tokenHash) return existing;
  return db.apiToken.update({ where: { id: token.id }, data: { tokenHash: token.tokenHash, prefix: token.prefix, role: token.role, revokedAt: null } });
}

export async function listApiTokens(db: Db) {
  return db.apiToken.findMany({
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { username: true } } },
  });
}

export async function revokeApiToken(db: Db, id: string): Promise<boolean> {
  const result = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count === 1;
}
