import type { Queryable } from '../db/client';
import type { Role } from '@/lib/auth/roles';

export async function findUserByUsername(db: Queryable, username: string) {
  return db.user.findUnique({ where: { username } });
}

export async function countAdmins(db: Queryable): Promise<number> {
  return db.user.count({ where: { role: 'admin', disabled: false } });
}

export async function createUser(db: Queryable, user: { id: string; username: string; passwordHash: string; role: Role }) {
  return db.user.create({ data: user });
}

export async function listUsers(db: Queryable) {
  return db.user.findMany({
    orderBy: { createdAt: 'asc' },
    select: { id: true, username: true, role: true, disabled: true, createdAt: true, lastLoginAt: true },
  });
}

export async function recordLogin(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { lastLoginAt: at } });
}

export async function updateUser(db: Queryable, id: string, data: { role?: Role; disabled?: boolean; passwordHash?: string }) {
  return db.user.update({ where: { id }, data, select: { id: true, username: true, role: true, disabled: true } });
}
