import { randomBytes } from 'node:crypto';
import { roleSchema, type Principal } from '@/lib/auth/roles';
import type { Db } from '../db/client';
import { deleteSession, findSessionWithUser, insertSession, touchSession } from '../queries/sessions';
import { sha256Hex } from './keys';

export interface SessionPolicy {
  /** Absolute lifetime of a session. */
  absoluteMs: number;
  /** A session unused for this long ends. */
  idleMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { absoluteMs: 7 * 86_400_000, idleMs: 12 * 3_600_000 };
const TOUCH_EVERY_MS = 60_000;

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Server-side sessions: the cookie carries a random secret, the database only its
 * SHA-256, so a leaked database cannot be replayed as cookies and a session can be
 * ended from the server at any time.
 */
/** The stored id of a session: the SHA-256 of its secret, never the secret itself. */
export const sessionIdOf = (secret: string): string => sha256Hex(secret);

export async function createSession(db: Db, input: { userId: string; ip: string | null; userAgent: string | null }, policy = DEFAULT_SESSION_POLICY) {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + policy.absoluteMs);
  await insertSession(db, {
    id: sessionIdOf(secret),
    userId: input.userId,
    csrfToken,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { secret, csrfToken, expiresAt };
}

export async function resolveSession(db: Db, secret: string, policy = DEFAULT_SESSION_POLICY, now = new Date()): Promise<ActiveSession | null> {
  const id = sessionIdOf(secret);
  const row = await findSessionWithUser(db, id);
  if (!row) return null;
  const idleFor = now.getTime() - row.lastSeenAt.getTime();
  const role = roleSchema.safeParse(row.user.role);
  if (row.expiresAt <= now || idleFor > policy.idleMs || row.user.disabled || !role.success) {
    await deleteSession(db, id);
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) await touchSession(db, id, now);
  return {
    principal: { id: row.user.id, name: row.user.username, role: role.data, kind: 'user' },
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
  };
}

export async function endSession(db: Db, secret: string): Promise<void> {
  await deleteSession(db, sessionIdOf(secret));
}
