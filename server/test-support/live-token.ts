import { SignJWT } from 'jose';
import type { Role } from '@/lib/auth/roles';
import { LIVE_TOKEN_AUDIENCE } from '@/lib/live/events';
import { issueLiveToken } from '../auth/live-token';
import { deriveKey } from '../auth/keys';

export interface MintLiveTokenOptions {
  secret: string;
  role?: Role;
  subject?: string;
  /** Negative for a token that has already expired. Defaults to what the web app issues. */
  expiresInSeconds?: number;
  audience?: string;
}

/** A live-socket token as the web app would mint it, or a deliberately bad one. */
export async function mintLiveToken({ secret, role = 'viewer', subject = 'user-test', expiresInSeconds, audience }: MintLiveTokenOptions): Promise<string> {
  if (expiresInSeconds === undefined && audience === undefined) {
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
