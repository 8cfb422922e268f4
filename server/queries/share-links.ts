import type { Db } from '../db/client';

export async function insertShareLink(
  db: Db,
  link: { id: string; tokenHash: string; title: string; view: string; redactSources: boolean; createdBy: string; expiresAt: Date },
) {
  return db.shareLink.create({ data: link });
}

export async function findShareLink(db: Db, id: string) {
  return db.shareLink.findUnique({ where: { id } });
}

export async function recordShareLinkUse(db: Db, id: string, at: Date): Promise<void> {
  await db.shareLink.update({ where: { id }, data: { uses: { increment: 1 }, lastUsedAt: at } });
}

export async function listShareLinks(db: Db) {
  return db.shareLink.findMany({
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      title: true,
      view: true,
      redactSources: true,
      createdBy: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      uses: true,
    },
  });
}

export async function revokeShareLink(db: Db, id: string, at: Date): Promise<boolean> {
  return (await db.shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } })).count === 1;
}
