import type { IncomingMessage } from 'node:http';
import { roleAtLeast, type Principal } from '@/lib/auth/roles';
import { SCOPE_DEFINITIONS, scopeAllows, type Scope } from '@/lib/auth/scopes';
import type { ApiTokenAuthenticator } from '../auth/api-tokens';
import { internalToken, safeEqual } from '../auth/keys';
import { HttpError } from './router';

/**
 * Deny by default: no token, a token below the role `scope` needs, or a scoped token without
 * `scope` never reaches a handler. The scope names the endpoint's role (lib/auth/scopes.ts), so
 * the two cannot disagree.
 */
export async function requireToken(req: IncomingMessage, authenticator: ApiTokenAuthenticator, scope: Scope): Promise<Principal> {
  const principal = await authenticator.authenticate(req.headers.authorization);
  if (!principal) throw new HttpError(401, 'unauthorized', 'a valid API token is required (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
  const { role } = SCOPE_DEFINITIONS[scope];
  if (!roleAtLeast(principal.role, role)) throw new HttpError(403, 'forbidden', `this token's role (${principal.role}) cannot do this; ${role} is required`);
  if (!scopeAllows(principal, scope)) throw new HttpError(403, 'forbidden', `this token lacks the scope ${scope}; it is limited to ${principal.scopes?.join(', ')}`);
  return principal;
}

/** Calls from the web app carry a key derived from the shared secret. */
export function requireInternal(req: IncomingMessage, secret: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match || !safeEqual(match[1], internalToken(secret))) throw new HttpError(401, 'unauthorized', 'internal endpoint');
}
