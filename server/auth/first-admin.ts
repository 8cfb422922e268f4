import { codedError } from '@/lib/errors';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { countAdmins, createUser, findUserByUsername } from '../queries/users';
import { deleteSetting, readSetting, writeSetting } from '../queries/settings';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { safeEqual, sha256Hex } from './keys';

const SETUP_KEY = 'setup.token';
const SETUP_LIFETIME_MS = 24 * 3_600_000;

export type FirstAdminState = { state: 'ready' } | { state: 'created'; username: string } | { state: 'setup'; token: string; expiresAt: string };

export type SetupErrorCode = 'invalid_token' | 'already_set_up' | 'weak_password' | 'invalid_username' | 'username_taken';

export const SETUP_ERROR_STATUS: Record<SetupErrorCode, number> = {
  invalid_token: 401,
  already_set_up: 409,
  username_taken: 409,
  weak_password: 422,
  invalid_username: 422,
};

export class SetupError extends codedError('SetupError', SETUP_ERROR_STATUS) {}

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.@-]{3,64}$/;

/**
 * Makes sure someone can become admin: nothing to do once an admin exists; with
 * VIGIL_ADMIN_PASSWORD the admin is created unattended; otherwise a one-time setup
 * token is issued (each start replaces the previous one).
 */
export async function ensureFirstAdmin(db: Db, fromEnv: { username: string; password: string } | null): Promise<FirstAdminState> {
  if ((await countAdmins(db)) > 0) {
    await deleteSetting(db, SETUP_KEY);
    return { state: 'ready' };
  }
  if (fromEnv) {
    await createAdmin(db, fromEnv.username, fromEnv.password);
    return { state: 'created', username: fromEnv.username };
  }
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SETUP_LIFETIME_MS).toISOString();
  await writeSetting(db, SETUP_KEY, { hash: sha256Hex(token), expiresAt });
  return { state: 'setup', token, expiresAt };
}

export async function isSetupTokenValid(db: Db, token: string): Promise<boolean> {
  const stored = await readSetting<{ hash: string; expiresAt: string }>(db, SETUP_KEY);
  return stored !== null && new Date(stored.expiresAt) > new Date() && safeEqual(stored.hash, sha256Hex(token));
}

export async function completeSetup(db: Db, token: string, username: string, password: string) {
  if ((await countAdmins(db)) > 0) throw new SetupError('already_set_up', 'an administrator already exists; sign in instead');
  if (!(await isSetupTokenValid(db, token)))
    throw new SetupError('invalid_token', 'this setup link is invalid or has expired; restart Vigil to print a new one');
  const user = await createAdmin(db, username, password);
  await deleteSetting(db, SETUP_KEY);
  return user;
}

async function createAdmin(db: Db, username: string, password: string) {
  if (!USERNAME_PATTERN.test(username)) throw new SetupError('invalid_username', 'user names are 3-64 letters, digits or _ . @ -');
  if (password.length < MIN_PASSWORD_LENGTH) throw new SetupError('weak_password', `passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  // Never hand an existing account to whoever holds the setup link (or the env password).
  if (await findUserByUsername(db, username))
    throw new SetupError('username_taken', `a user named ${username} already exists and is not an administrator; choose another name`);
  return createUser(db, { id: randomUUID(), username, passwordHash: await hashPassword(password), role: 'admin' });
}
