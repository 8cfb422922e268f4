import { codedError } from '@/lib/errors';
import { randomUUID } from 'node:crypto';
import type { Role } from '@/lib/auth/roles';
import type { Db } from '../db/client';
import { countAdmins, createUser, findUserByUsername, updateUser } from '../queries/users';
import { deleteUserSessions } from '../queries/sessions';
import { revokeTokensOf } from '../queries/api-tokens';
import { hashPassword } from './passwords';

export type UserAdminErrorCode = 'exists' | 'last_admin' | 'not_found';

export const USER_ADMIN_ERROR_STATUS: Record<UserAdminErrorCode, number> = { exists: 409, last_admin: 409, not_found: 404 };

export class UserAdminError extends codedError('UserAdminError', USER_ADMIN_ERROR_STATUS) {}

export async function addUser(db: Db, input: { username: string; password: string; role: Role }) {
  if (await findUserByUsername(db, input.username)) throw new UserAdminError('exists', `a user named ${input.username} already exists`);
  const user = await createUser(db, { id: randomUUID(), username: input.username, passwordHash: await hashPassword(input.password), role: input.role });
  return { id: user.id, username: user.username, role: user.role };
}

/**
 * Changes role or access; never leaves the console without an active administrator.
 * The check and the change share one serializable transaction, so two admins demoting
 * each other at the same moment cannot both succeed.
 */
export async function changeUser(db: Db, id: string, change: { role?: Role; disabled?: boolean; password?: string }) {
  const passwordHash = change.password ? await hashPassword(change.password) : undefined;
  return db.$transaction(
    async (tx) => {
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) throw new UserAdminError('not_found', 'no such user');
      const losesAdmin = user.role === 'admin' && !user.disabled && ((change.role && change.role !== 'admin') || change.disabled === true);
      if (losesAdmin && (await countAdmins(tx)) <= 1)
        throw new UserAdminError('last_admin', 'this is the last active administrator; make someone else admin first');
      const updated = await updateUser(tx, id, { role: change.role, disabled: change.disabled, passwordHash });
      // A demoted, disabled or re-keyed account must sign in again under its new terms.
      await deleteUserSessions(tx, id);
      // Its tokens die with a disabled account (a demoted one's are capped when they are used).
      if (change.disabled === true) await revokeTokensOf(tx, id, new Date());
      return updated;
    },
    { isolationLevel: 'Serializable' },
  );
}
