import { SignJWT, jwtVerify } from 'jose';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import { roleSchema, type Principal } from '@/lib/auth/roles';
import { deriveKey } from './keys';

const LIFETIME_SECONDS = 60;

/** Short-lived proof, minted by the web app for a signed-in user, that the worker's socket accepts. */
export async function issueLiveToken(secret: string, principal: Principal): Promise<{ token: string; expiresAt: string }> {
  const expires = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
  const token = await new SignJWT({ role: principal.role, name: principal.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.id)
    .setAudience(LIVE_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(deriveKey(secret, 'live'));
  return { token, expiresAt: new Date(expires * 1000).toISOString() };
}

export async function verifyLiveToken(secret: string, token: string): Promise<Principal> {
  const { payload } = await jwtVerify(token, deriveKey(secret, 'live'), { audience: LIVE_TOKEN_AUDIENCE, algorithms: ['HS256'] });
  const role = roleSchema.parse(payload.role);
  return { id: String(payload.sub), name: String(payload.name ?? payload.sub), role, kind: 'user' };
}
