import { randomUUID } from 'node:crypto';
import { ROLES, roleAtLeast, type Principal, type Role } from '@/lib/auth/roles';
import { SCOPE_DEFINITIONS, SCOPES, scopeAllows, type Scope } from '@/lib/auth/scopes';
import { generateApiToken } from '../auth/api-tokens';
import { internalToken } from '../auth/keys';
import { createSession } from '../auth/session-store';
import type { RouteAuth } from '../http/auth';
import { createApiToken, revokeApiToken } from '../queries/api-tokens';
import { updateUser } from '../queries/users';
import { createShareLink } from '../share/share-links';
import type { TestWorker } from './test-worker';
import { seedUser } from './users';
import { TEST_SECRET } from './worker-env';

/**
 * One way of calling an API, and what it should be admitted as. `principal` is null for every
 * credential that must be refused outright (none, revoked, a disabled owner's, a share link's).
 */
export interface Caller {
  label: string;
  /** Sent as `Authorization: Bearer …`. */
  bearer?: string;
  /** A signed-in browser (the web app only): the session's secret and its CSRF token. */
  session?: { secret: string; csrfToken: string };
  /** The web app's own key for the worker's internal routes. */
  internal?: boolean;
  principal: Principal | null;
}

/** Refused only once tokens die with their owner; kept apart so its failure names exactly that. */
export const DISABLED_OWNER_TOKEN = "disabled user's admin token";

async function issueToken(
  t: TestWorker,
  options: { name: string; role: Role; scopes?: readonly Scope[]; ownerId?: string },
): Promise<{ id: string; token: string }> {
  const generated = generateApiToken();
  const id = randomUUID();
  await createApiToken(t.worker.database.prisma, {
    id,
    name: options.name,
    prefix: generated.prefix,
    tokenHash: generated.tokenHash,
    role: options.role,
    scopes: options.scopes ?? [],
    createdById: options.ownerId ?? null,
  });
  return { id, token: generated.token };
}

/**
 * Everyone who may knock on a door: no credentials, a token of each role, a token limited to
 * each scope (at the least role that scope needs), a revoked token, the token of a user who was
 * disabled since, a share link's token, a made-up token, the web app's internal key and, when
 * `sessions` is set, a signed-in user of each role and a disabled user's session.
 */
export async function castOfCallers(t: TestWorker, { sessions = false }: { sessions?: boolean } = {}): Promise<Caller[]> {
  const prisma = t.worker.database.prisma;
  const unique = randomUUID().slice(0, 8);
  const callers: Caller[] = [{ label: 'no credentials', principal: null }];
  for (const role of ROLES) {
    const { id, token } = await issueToken(t, { name: `${role} token`, role });
    callers.push({ label: `${role} token`, bearer: token, principal: { id, name: `${role} token`, role, kind: 'token' } });
  }
  for (const scope of SCOPES) {
    const role = SCOPE_DEFINITIONS[scope].role;
    const { id, token } = await issueToken(t, { name: scope, role, scopes: [scope] });
    callers.push({ label: `token limited to ${scope}`, bearer: token, principal: { id, name: scope, role, kind: 'token', scopes: [scope] } });
  }
  // Revoked before its first use, so no cached lookup lets it through for a few seconds.
  const revoked = await issueToken(t, { name: 'revoked', role: 'admin' });
  await revokeApiToken(prisma, revoked.id);
  callers.push({ label: 'revoked admin token', bearer: revoked.token, principal: null });
  const owner = await seedUser(prisma, { username: `leaver-${unique}`, role: 'admin' });
  const orphan = await issueToken(t, { name: 'disabled owner', role: 'admin', ownerId: owner.id });
  const ownerSession = sessions ? await createSession(prisma, { userId: owner.id, ip: null, userAgent: null }) : null;
  await updateUser(prisma, owner.id, { disabled: true });
  callers.push({ label: DISABLED_OWNER_TOKEN, bearer: orphan.token, principal: null });
  if (ownerSession) callers.push({ label: "disabled user's admin session", session: ownerSession, principal: null });
  const share = await createShareLink(prisma, TEST_SECRET, {
    title: 'shared audit',
    view: { path: '/audit', query: {} },
    expiresInHours: 1,
    redactSources: true,
    createdBy: 'admin',
  });
  callers.push({ label: 'share link token', bearer: share.token, principal: null });
  callers.push({ label: 'made-up token', bearer: `vgl_${'x'.repeat(43)}`, principal: null });
  callers.push({ label: "the web app's internal key", bearer: internalToken(TEST_SECRET), internal: true, principal: null });
  if (sessions) {
    for (const role of ROLES) {
      const user = await seedUser(prisma, { username: `${role}-${unique}`, role });
      const session = await createSession(prisma, { userId: user.id, ip: null, userAgent: null });
      callers.push({ label: `${role} session`, session, principal: { id: user.id, name: user.username, role, kind: 'user' } });
    }
  }
  return callers;
}

/** What the worker must answer `caller` on a route declared with `auth`: refused (401/403) or let through. */
export function expectedWorkerAnswer(auth: RouteAuth, caller: Caller): 401 | 403 | 'admitted' {
  if (auth === 'public' || auth === 'push-token') return 'admitted';
  if (auth === 'internal') return caller.internal ? 'admitted' : 401;
  const principal = caller.principal;
  if (!principal || principal.kind !== 'token') return 401;
  if (!roleAtLeast(principal.role, SCOPE_DEFINITIONS[auth].role) || !scopeAllows(principal, auth)) return 403;
  return 'admitted';
}
