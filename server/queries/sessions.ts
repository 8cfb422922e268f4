import type { Queryable } from '../db/client';
import { prismaOf, sqliteOf, toSqliteDate, type Store, serializeSqliteWrite } from '../db/store';

export async function insertSession(
  db: Queryable,
  session: { id: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null },
) {
  return db.session.create({ data: session });
}

export async function findSessionWithUser(db: Queryable, id: string) {
  return db.session.findUnique({ where: { id }, include: { user: { select: { id: true, username: true, role: true, disabled: true } } } });
}

export async function touchSession(db: Queryable, id: string, at: Date): Promise<void> {
  await db.session.update({ where: { id }, data: { lastSeenAt: at } });
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.session.deleteMany({ where: { id } });
}

export async function deleteUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}

export async function deleteExpiredSessions(store: Store, now: Date): Promise<number> {
  const sqlite = sqliteOf(store);
  if (sqlite) return serializeSqliteWrite(sqlite, () => sqlite.prepare('DELETE FROM "Session" WHERE "expiresAt" < ?').run(toSqliteDate(now)).changes);
  return (await prismaOf(store).session.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}

/** Which of these sessions are still in force: not ended, not expired, their account not disabled. */
export async function findLiveSessionIds(db: Queryable, ids: string[], now: Date): Promise<string[]> {
  const rows = await db.session.findMany({ where: { id: { in: ids }, expiresAt: { gt: now }, user: { disabled: false } }, select: { id: true } });
  return rows.map((row) => row.id);
}

/** The addresses operators are signed in from now (distinct, known ones only). */
export async function liveSessionAddresses(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.session.findMany({
    where: { expiresAt: { gt: now }, ip: { not: null }, user: { disabled: false } },
    select: { ip: true },
    distinct: ['ip'],
  });
  return rows.flatMap((row) => (row.ip === null ? [] : [row.ip]));
}
