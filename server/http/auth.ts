import type { IncomingMessage } from 'node:http';
import { roleAtLeast, type Principal } from '@/lib/auth/roles';
import { SCOPE_DEFINITIONS, SCOPES, scopeAllows, type Scope } from '@/lib/auth/scopes';
import { HttpError } from '@/lib/http-error';
import type { ApiTokenAuthenticator } from '../auth/api-tokens';
import { internalToken, safeEqual } from '../auth/keys';

/**
 * Who may call a route, declared with it and enforced by the router before the handler runs:
 * - `public`: anyone (load balancers, Prometheus);
 * - `internal`: the web app, with the key derived from the shared secret; it has already
 *   authenticated and authorised the operator;
 * - `push-token`: the `:token` path parameter is the credential (push monitors); the handler
 *   looks it up, the router refuses what cannot be one;
 * - a scope: an API token whose role reaches the scope's role and whose scopes include it.
 */
export type RouteAuth = 'public' | 'internal' | 'push-token' | Scope;

export interface PushCaller {
  kind: 'push';
  token: string;
}

/** What the handler of a route learns about its caller, by the route's `auth`. */
export type CallerOf<A extends RouteAuth> = A extends 'public'
  ? { kind: 'anonymous' }
  : A extends 'internal'
    ? { kind: 'internal' }
    : A extends 'push-token'
      ? PushCaller
      : Principal;

export interface RouteAuthenticators {
  tokens: ApiTokenAuthenticator;
  secret: string;
}

export const isScopeAuth = (auth: RouteAuth): auth is Scope => (SCOPES as readonly string[]).includes(auth);

const PUSH_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** CrowdSec bouncers send their key as X-Api-Key; everything else uses the usual bearer header. */
function bearerOf(req: IncomingMessage): string | undefined {
  const apiKey = req.headers['x-api-key'];
  if (!req.headers.authorization && typeof apiKey === 'string') return `Bearer ${apiKey}`;
  return req.headers.authorization;
}

/**
 * Deny by default: no token, a token below the role `scope` needs, or a scoped token without
 * `scope` never reaches a handler. The scope names the endpoint's role (lib/auth/scopes.ts), so
 * the two cannot disagree.
 */
async function requireToken(req: IncomingMessage, authenticator: ApiTokenAuthenticator, scope: Scope): Promise<Principal> {
  const principal = await authenticator.authenticate(bearerOf(req));
  if (!principal) throw new HttpError(401, 'unauthorized', 'a valid API token is required (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
  const refusal = scopeRefusal(principal, scope);
  if (refusal) throw refusal;
  return principal;
}

/** Why a token may not do what `scope` allows (its role or its scopes fall short), or null when it may. */
export function scopeRefusal(principal: Principal, scope: Scope): HttpError | null {
  const { role } = SCOPE_DEFINITIONS[scope];
  if (!roleAtLeast(principal.role, role)) return new HttpError(403, 'forbidden', `this token's role (${principal.role}) cannot do this; ${role} is required`);
  if (!scopeAllows(principal, scope))
    return new HttpError(403, 'forbidden', `this token lacks the scope ${scope}; it is limited to ${principal.scopes?.join(', ')}`);
  return null;
}

/** Calls from the web app carry a key derived from the shared secret. */
function requireInternal(req: IncomingMessage, secret: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match || !safeEqual(match[1], internalToken(secret))) throw new HttpError(401, 'unauthorized', 'internal endpoint');
}

/** The caller of a route with `auth`, or the HttpError that refuses it. */
export async function authenticateCaller<A extends RouteAuth>(
  auth: A,
  request: { req: IncomingMessage; params: Record<string, string> },
  authenticators: RouteAuthenticators | null,
): Promise<CallerOf<A>> {
  if (auth === 'public') return { kind: 'anonymous' } as CallerOf<A>;
  if (auth === 'push-token') {
    const token = request.params.token ?? '';
    // Same answer as an unknown token: a malformed one tells a prober nothing more.
    if (!PUSH_TOKEN.test(token)) throw new HttpError(404, 'not_found', 'no push module has this token');
    return { kind: 'push', token } as CallerOf<A>;
  }
  // Nothing to check against yet: refuse, never let the request through unchecked.
  if (!authenticators) throw new HttpError(503, 'starting', 'the worker is starting; retry in a moment', { 'retry-after': '1' });
  if (auth === 'internal') {
    requireInternal(request.req, authenticators.secret);
    return { kind: 'internal' } as CallerOf<A>;
  }
  return (await requireToken(request.req, authenticators.tokens, auth as Scope)) as CallerOf<A>;
}
