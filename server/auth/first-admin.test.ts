import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, rejectionOf, type MigratedDatabase } from '../test-support';
import { seedUser } from '../test-support/users';
import type { Db } from '../db/client';
import { readSetting, writeSetting } from '../queries/settings';
import { completeSetup, ensureFirstAdmin, isSetupTokenValid, SetupError, type FirstAdminState } from './first-admin';
import { sha256Hex } from './keys';
import { verifyPassword } from './passwords';

const SETUP_KEY = 'setup.token';
const PASSWORD = 'a long enough password';

const setupError = (promise: Promise<unknown>) => rejectionOf(promise, SetupError);

function setupToken(state: FirstAdminState): string {
  if (state.state !== 'setup') throw new Error(`expected a setup token, got state ${state.state}`);
  return state.token;
}

describe('first administrator', () => {
  let db: MigratedDatabase;
  let prisma: Db;

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    prisma = db.database.prisma;
  });

  afterEach(async () => {
    await db.destroy();
  });

  describe('without an administrator or VIGIL_ADMIN_PASSWORD', () => {
    it('issues a one-day setup token and stores only its hash', async () => {
      const before = Date.now();
      const state = await ensureFirstAdmin(prisma, null);
      const token = setupToken(state);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      if (state.state !== 'setup') throw new Error('unreachable');
      expect(new Date(state.expiresAt).getTime() - before).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(new Date(state.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
      expect(await readSetting(prisma, SETUP_KEY)).toEqual({ hash: sha256Hex(token), expiresAt: state.expiresAt });

      expect(await isSetupTokenValid(prisma, token)).toBe(true);
      expect(await isSetupTokenValid(prisma, `${token}x`)).toBe(false);
      expect(await isSetupTokenValid(prisma, '')).toBe(false);
      expect(await isSetupTokenValid(prisma, sha256Hex(token))).toBe(false);
    });

    it('replaces the token on every start', async () => {
      const first = setupToken(await ensureFirstAdmin(prisma, null));
      const second = setupToken(await ensureFirstAdmin(prisma, null));
      expect(second).not.toBe(first);
      expect(await isSetupTokenValid(prisma, first)).toBe(false);
      expect(await isSetupTokenValid(prisma, second)).toBe(true);
      expect(await prisma.setting.count()).toBe(1);
    });

    it('refuses an expired token, also for setup', async () => {
      const token = 'an-expired-setup-token';
      await writeSetting(prisma, SETUP_KEY, { hash: sha256Hex(token), expiresAt: new Date(Date.now() - 1000).toISOString() });
      expect(await isSetupTokenValid(prisma, token)).toBe(false);
      expect((await setupError(completeSetup(prisma, token, 'admin', PASSWORD))).code).toBe('invalid_token');
      expect(await prisma.user.count()).toBe(0);
    });

    it('says no token is valid before one was issued', async () => {
      expect(await isSetupTokenValid(prisma, 'anything')).toBe(false);
      expect((await setupError(completeSetup(prisma, 'anything', 'admin', PASSWORD))).code).toBe('invalid_token');
    });

    it('refuses a bad user name or a short password and keeps the token usable', async () => {
      const token = setupToken(await ensureFirstAdmin(prisma, null));
      for (const username of ['ab', 'has space', 'a'.repeat(65), 'semi;colon']) {
        const error = await setupError(completeSetup(prisma, token, username, PASSWORD));
        expect(error.code).toBe('invalid_username');
      }
      const weak = await setupError(completeSetup(prisma, token, 'admin', 'elevenchars'));
      expect(weak.code).toBe('weak_password');
      expect(weak.message).toContain('12');
      expect(await prisma.user.count()).toBe(0);
      expect(await isSetupTokenValid(prisma, token)).toBe(true);
    });

    it('creates the administrator once, consuming the token', async () => {
      const token = setupToken(await ensureFirstAdmin(prisma, null));
      const user = await completeSetup(prisma, token, 'root.admin@example', PASSWORD);
      expect(user).toMatchObject({ username: 'root.admin@example', role: 'admin', disabled: false });
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
      expect(await readSetting(prisma, SETUP_KEY)).toBeNull();
      expect(await isSetupTokenValid(prisma, token)).toBe(false);

      const again = await setupError(completeSetup(prisma, token, 'second', PASSWORD));
      expect(again.code).toBe('already_set_up');
      expect(await prisma.user.count()).toBe(1);

      expect(await ensureFirstAdmin(prisma, null)).toEqual({ state: 'ready' });
    });
  });

  describe('with VIGIL_ADMIN_USER / VIGIL_ADMIN_PASSWORD', () => {
    it('creates the administrator on the first start only', async () => {
      expect(await ensureFirstAdmin(prisma, { username: 'ops', password: PASSWORD })).toEqual({ state: 'created', username: 'ops' });
      expect(await ensureFirstAdmin(prisma, { username: 'ops', password: PASSWORD })).toEqual({ state: 'ready' });
      expect(await ensureFirstAdmin(prisma, { username: 'someone-else', password: PASSWORD })).toEqual({ state: 'ready' });
      const users = await prisma.user.findMany();
      expect(users).toEqual([expect.objectContaining({ username: 'ops', role: 'admin', disabled: false })]);
      expect(await prisma.setting.count()).toBe(0);
    });

    it('stops the start on a short password, creating nobody', async () => {
      expect((await setupError(ensureFirstAdmin(prisma, { username: 'ops', password: 'short' }))).code).toBe('weak_password');
      expect((await setupError(ensureFirstAdmin(prisma, { username: 'o p s', password: PASSWORD }))).code).toBe('invalid_username');
      expect(await prisma.user.count()).toBe(0);
    });
  });

  describe('once an administrator exists', () => {
    it('reports ready and removes a setup token left from before', async () => {
      const stale = setupToken(await ensureFirstAdmin(prisma, null));
      await seedUser(prisma, { username: 'boss', role: 'admin' });
      expect(await ensureFirstAdmin(prisma, null)).toEqual({ state: 'ready' });
      expect(await readSetting(prisma, SETUP_KEY)).toBeNull();
      expect(await isSetupTokenValid(prisma, stale)).toBe(false);
    });

    it('refuses setup even with a valid token', async () => {
      const token = setupToken(await ensureFirstAdmin(prisma, null));
      await seedUser(prisma, { username: 'boss', role: 'admin' });
      expect((await setupError(completeSetup(prisma, token, 'intruder', PASSWORD))).code).toBe('already_set_up');
      expect(await prisma.user.count()).toBe(1);
    });

    it('does not count a disabled administrator', async () => {
      await seedUser(prisma, { username: 'former', role: 'admin', disabled: true });
      expect((await ensureFirstAdmin(prisma, null)).state).toBe('setup');
    });
  });

  describe('an existing account with the chosen name', () => {
    it('is never handed over by the setup link', async () => {
      await seedUser(prisma, { username: 'alice', role: 'viewer' });
      const token = setupToken(await ensureFirstAdmin(prisma, null));
      const error = await setupError(completeSetup(prisma, token, 'alice', PASSWORD));
      expect(error.code).toBe('username_taken');
      const alice = await prisma.user.findUniqueOrThrow({ where: { username: 'alice' } });
      expect(alice.role).toBe('viewer');
      // The link still works for a fresh name.
      expect(await isSetupTokenValid(prisma, token)).toBe(true);
      const admin = await completeSetup(prisma, token, 'root-admin', PASSWORD);
      expect(admin.role).toBe('admin');
    });

    it('is not promoted by VIGIL_ADMIN_PASSWORD either', async () => {
      await seedUser(prisma, { username: 'alice', role: 'viewer' });
      const error = await setupError(ensureFirstAdmin(prisma, { username: 'alice', password: PASSWORD }));
      expect(error.code).toBe('username_taken');
      expect(await prisma.user.count({ where: { role: 'admin' } })).toBe(0);
    });
  });
});
