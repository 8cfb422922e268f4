import { z } from 'zod';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import { roleSchema, type Principal } from '@/lib/auth/roles';
import { deriveKey } from './keys';

const LIFETIME_SECONDS = 60;

// jose is 46 ES modules; a worker that no dashboard connects to never needs them, so they load
// with the first token (measured: ~0.7 MiB of heap plus their sources at idle).
const loadJose = () => import('jose');

/** Who a live socket is for, and what keeps it open: a person's session, or an API token. */
export type LivePrincipal = Principal & {
  /** The session (its stored id) a person's socket lives and dies with. */
  sessionId?: string;
};

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: roleSchema,
  name: z.string().optional(),
  kind: z.enum(['user', 'token']).default('user'),
  sid: z.string().min(1).optional(),
});

/**
 * Short-lived proof, minted by the web app, that the worker's socket accepts. It names the
 * session it was minted in (or the API token that asked), so the worker can close the socket
 * when that session ends or that token stops working.
 */
export async function issueLiveToken(secret: string, principal: Principal, sessionId?: string): Promise<{ token: string; expiresAt: string }> {
  const expires = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
  const { SignJWT } = await loadJose();
  const token = await new SignJWT({ role: principal.role, name: principal.name, kind: principal.kind, ...(sessionId ? { sid: sessionId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.id)
    .setAudience(LIVE_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(deriveKey(secret, 'live'));
  return { token, expiresAt: new Date(expires * 1000).toISOString() };
}

export async function verifyLiveToken(secret: string, token: string): Promise<LivePrincipal> {
  const { jwtVerify } = await loadJose();
  const { payload } = await jwtVerify(token, deriveKey(secret, 'live'), { audience: LIVE_TOKEN_AUDIENCE, algorithms: ['HS256'] });
  const claims = claimsSchema.parse(payload);
  return { id: claims.sub, name: claims.name ?? claims.sub, role: claims.role, kind: claims.kind, ...(claims.sid ? { sessionId: claims.sid } : {}) };
}
