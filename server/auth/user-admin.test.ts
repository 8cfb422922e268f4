import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, rejectionOf, type MigratedDatabase } from '../test-support';
import { seedUser } from '../test-support/users';
import type { Db } from '../db/client';
import { countAdmins, listUsers, recordLogin } from '../queries/users';
import { hashPassword, verifyPassword } from './passwords';
import { createSession, resolveSession } from './session-store';
import { addUser, changeUser, UserAdminError } from './user-admin';

const OLD_PASSWORD = 'the original password';
const NEW_PASSWORD = 'a brand new password';

const userAdminError = (promise: Promise<unknown>) => rejectionOf(promise, UserAdminError);

describe('user administration', () => {
  let db: MigratedDatabase;
  let prisma: Db;
  let oldHash: string;

  beforeAll(async () => {
    oldHash = await hashPassword(OLD_PASSWORD);
  });

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    prisma = db.database.prisma;
  });

  afterEach(async () => {
    await db.destroy();
  });

  describe('addUser', () => {
    it('creates a user with a hashed password and returns no hash', async () => {
      const user = await addUser(prisma, { username: 'carol', password: OLD_PASSWORD, role: 'operator' });
      expect(user).toEqual({ id: expect.any(String), username: 'carol', role: 'operator' });
      const row = (await prisma.user.findUnique({ where: { id: user.id } }))!;
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(OLD_PASSWORD);
      expect(await verifyPassword(row.passwordHash, OLD_PASSWORD)).toBe(true);
    });

    it('refuses a user name that is taken', async () => {
      await seedUser(prisma, { username: 'carol', role: 'viewer' });
      const error = await userAdminError(addUser(prisma, { username: 'carol', password: OLD_PASSWORD, role: 'admin' }));
      expect(error.code).toBe('exists');
      expect(error.message).toContain('carol');
      expect(await prisma.user.findMany({ select: { role: true } })).toEqual([{ role: 'viewer' }]);
    });
  });

  it('lists users oldest first, with their last sign-in and without password hashes', async () => {
    const first = await addUser(prisma, { username: 'first', password: OLD_PASSWORD, role: 'admin' });
    const second = await seedUser(prisma, { username: 'second', role: 'viewer', disabled: true });
    const signedIn = new Date('2026-03-01T12:00:00.000Z');
    await recordLogin(prisma, first.id, signedIn);
    const users = await listUsers(prisma);
    expect(users).toEqual([
      { id: first.id, username: 'first', role: 'admin', disabled: false, createdAt: expect.any(Date), lastLoginAt: signedIn },
      { id: second.id, username: 'second', role: 'viewer', disabled: true, createdAt: expect.any(Date), lastLoginAt: null },
    ]);
    expect(JSON.stringify(users)).not.toContain('argon2');
  });

  describe('changeUser', () => {
    it('says not_found for an unknown id', async () => {
      expect((await userAdminError(changeUser(prisma, 'no-such-id', { role: 'viewer' }))).code).toBe('not_found');
    });

    it('never demotes or disables the last active administrator', async () => {
      const admin = await seedUser(prisma, { username: 'root', role: 'admin' });
      await seedUser(prisma, { username: 'former', role: 'admin', disabled: true });
      await seedUser(prisma, { username: 'viewer', role: 'viewer' });
      for (const change of [{ role: 'operator' as const }, { role: 'viewer' as const }, { disabled: true }, { role: 'viewer' as const, disabled: true }]) {
        expect((await userAdminError(changeUser(prisma, admin.id, change))).code).toBe('last_admin');
      }
      expect(await prisma.user.findUnique({ where: { id: admin.id }, select: { role: true, disabled: true } })).toEqual({ role: 'admin', disabled: false });
      // Changes that keep them an active admin are fine.
      expect(await changeUser(prisma, admin.id, { role: 'admin', disabled: false })).toMatchObject({ role: 'admin', disabled: false });
    });

    it('lets only one of two simultaneous demotions of the last two administrators through', async () => {
      const a = await seedUser(prisma, { username: 'admin-a', role: 'admin' });
      const b = await seedUser(prisma, { username: 'admin-b', role: 'admin' });
      const results = await Promise.allSettled([changeUser(prisma, a.id, { role: 'viewer' }), changeUser(prisma, b.id, { disabled: true })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as UserAdminError).code).toBe('last_admin');
      expect(await countAdmins(prisma)).toBe(1);
    });

    it('demotes or disables an administrator while another active one remains', async () => {
      const first = await seedUser(prisma, { username: 'first', role: 'admin' });
      const second = await seedUser(prisma, { username: 'second', role: 'admin' });
      expect(await changeUser(prisma, first.id, { role: 'operator' })).toEqual({ id: first.id, username: 'first', role: 'operator', disabled: false });
      expect(await countAdmins(prisma)).toBe(1);
      expect((await userAdminError(changeUser(prisma, second.id, { disabled: true }))).code).toBe('last_admin');

      const third = await seedUser(prisma, { username: 'third', role: 'admin' });
      expect(await changeUser(prisma, second.id, { disabled: true })).toMatchObject({ role: 'admin', disabled: true });
      expect(await countAdmins(prisma)).toBe(1);
      expect((await userAdminError(changeUser(prisma, third.id, { role: 'viewer' }))).code).toBe('last_admin');
    });

    it('changes non-administrators freely, including re-enabling them', async () => {
      await seedUser(prisma, { username: 'root', role: 'admin' });
      const op = await seedUser(prisma, { username: 'op', role: 'operator', disabled: true });
      expect(await changeUser(prisma, op.id, { disabled: false, role: 'admin' })).toMatchObject({ role: 'admin', disabled: false });
      expect(await countAdmins(prisma)).toBe(2);
    });

    it("ends that user's sessions, and nobody else's", async () => {
      const admin = await seedUser(prisma, { username: 'root', role: 'admin' });
      const op = await seedUser(prisma, { username: 'op', role: 'operator' });
      const opSessions = await Promise.all([1, 2].map(() => createSession(prisma, { userId: op.id, ip: null, userAgent: null })));
      const adminSession = await createSession(prisma, { userId: admin.id, ip: null, userAgent: null });

      await changeUser(prisma, op.id, { role: 'viewer' });
      for (const s of opSessions) expect(await resolveSession(prisma, s.secret)).toBeNull();
      expect(await prisma.session.count({ where: { userId: op.id } })).toBe(0);
      expect(await resolveSession(prisma, adminSession.secret)).not.toBeNull();
    });

    it('re-keys a password: the old one stops working, the new one works', async () => {
      await seedUser(prisma, { username: 'root', role: 'admin' });
      const op = await seedUser(prisma, { username: 'op', role: 'operator', passwordHash: oldHash });
      expect(await changeUser(prisma, op.id, { password: NEW_PASSWORD })).toEqual({ id: op.id, username: 'op', role: 'operator', disabled: false });
      const { passwordHash } = (await prisma.user.findUnique({ where: { id: op.id } }))!;
      expect(passwordHash).not.toBe(oldHash);
      expect(await verifyPassword(passwordHash, OLD_PASSWORD)).toBe(false);
      expect(await verifyPassword(passwordHash, NEW_PASSWORD)).toBe(true);
    });

    it('leaves the password alone when none is given', async () => {
      const op = await seedUser(prisma, { username: 'op', role: 'operator', passwordHash: oldHash });
      await changeUser(prisma, op.id, { role: 'viewer' });
      expect((await prisma.user.findUnique({ where: { id: op.id } }))!.passwordHash).toBe(oldHash);
    });
  });
});
