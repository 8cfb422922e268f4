import type { IncomingMessage } from 'node:http';
import type { Principal, Role } from '@/lib/auth/roles';
import { ROLES } from '@/lib/auth/roles';
import type { ApiTokenAuthenticator } from '../auth/api-tokens';
import { internalToken, safeEqual } from '../auth/keys';
import { HttpError } from './router';

/** Deny by default: no token or a token below `role` never reaches a handler. */
export async function requireToken(req: IncomingMessage, authenticator: ApiTokenAuthenticator, role: Role): Promise<Principal> {
  const principal = await authenticator.authenticate(req.headers.authorization);
  if (!principal) throw new HttpError(401, 'unauthorized', 'a valid API token is required (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
  if (ROLES.indexOf(principal.role) < ROLES.indexOf(role)) throw new HttpError(403, 'forbidden', `this token's role (${principal.role}) cannot do this; ${role} is required`);
  return principal;
}

/** Calls from the web app carry a key derived from the shared secret. */
export function requireInternal(req: IncomingMessage, secret: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match || !safeEqual(match[1], internalToken(secret))) throw new HttpError(401, 'unauthorized', 'internal endpoint');
}
