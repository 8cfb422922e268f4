import { randomUUID } from 'node:crypto';
import type { Role } from '@/lib/auth/roles';
import type { Db } from '../db/client';
import { createUser, updateUser } from '../queries/users';

/** Stands in for an argon2 hash where a test never signs in: hashing costs ~50 ms each. */
export const UNUSABLE_PASSWORD_HASH = '$argon2id$unusable-in-tests';

/** A user row straight through the query layer, without hashing a password. */
export async function seedUser(
  db: Db,
  { username, role, disabled = false, passwordHash = UNUSABLE_PASSWORD_HASH }: { username: string; role: Role; disabled?: boolean; passwordHash?: string },
) {
  const user = await createUser(db, { id: randomUUID(), username, passwordHash, role });
  if (disabled) await updateUser(db, user.id, { disabled: true });
  return { ...user, disabled };
}
