import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '@/lib/auth/roles';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import type { Database } from '../db/client';
import { issueLiveToken } from '../auth/live-token';
import { deriveKey } from '../auth/keys';
import { createSession, sessionIdOf } from '../auth/session-store';
import { createUser } from '../queries/users';

export interface MintLiveTokenOptions {
  secret: string;
  /** Where a signed-in user and session are made for the token; without it the token is bound to no session and the worker refuses it. */
  database?: Database;
  role?: Role;
  subject?: string;
  /** Negative for a token that has already expired. Defaults to what the web app issues. */
  expiresInSeconds?: number;
  audience?: string;
}

export interface LiveSession {
  token: string;
  userId: string;
  /** The session cookie's secret, to end the session as signing out does. */
  sessionSecret: string;
}

/** A user signed in with a session, and the live-socket token the web app would mint in it. */
export async function openLiveSession({ secret, database, role = 'viewer' }: { secret: string; database: Database; role?: Role }): Promise<LiveSession> {
  const userId = randomUUID();
  const username = `live-${userId.slice(0, 8)}`;
  await createUser(database.prisma, { id: userId, username, passwordHash: 'not used', role });
  const session = await createSession(database.prisma, { userId, ip: '127.0.0.1', userAgent: 'test' });
  const { token } = await issueLiveToken(secret, { id: userId, name: username, role, kind: 'user' }, sessionIdOf(session.secret));
  return { token, userId, sessionSecret: session.secret };
}

/** A live-socket token as the web app would mint it, or a deliberately bad one. */
export async function mintLiveToken({
  secret,
  database,
  role = 'viewer',
  subject = 'user-test',
  expiresInSeconds,
  audience,
}: MintLiveTokenOptions): Promise<string> {
  if (expiresInSeconds === undefined && audience === undefined) {
    if (database) return (await openLiveSession({ secret, database, role })).token;
    return (await issueLiveToken(secret, { id: subject, name: subject, role, kind: 'user' })).token;
  }
  const now = Math.floor(Date.now() / 1000);
  const lifetime = expiresInSeconds ?? 60;
  return new SignJWT({ role, name: subject })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setAudience(audience ?? LIVE_TOKEN_AUDIENCE)
    .setIssuedAt(Math.min(now, now + lifetime - 60))
    .setExpirationTime(now + lifetime)
    .sign(deriveKey(secret, 'live'));
}
