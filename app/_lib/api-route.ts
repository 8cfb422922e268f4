import type { NextRequest } from 'next/server';
import type { ZodType } from 'zod';
import type { AppError } from '@/lib/errors';
import { describeIssues, HttpError } from '@/lib/http-error';
import { isStorableText, parseJsonBody, refuseUnstorableQuery } from '@/lib/json-body';
import { clientAddress, isTrusted } from '@/lib/net/client-address';
import type { Principal } from '@/lib/auth/roles';
import { safeEqual } from '@/server/auth/keys';
import { answerError } from '@/server/http/error-answer';
import { assertNotFrozen } from './lockdown-freeze';
import { forRequest, inRequestScope } from './request-log';
import { currentSession } from './session';
import { withAccess } from './route-access';
import { getWebContext, type WebContext } from './web-context';

export function errorResponse(error: AppError): Response {
  return Response.json(error.toBody(), { status: error.status, headers: { 'cache-control': 'no-store', ...error.headers } });
}

/**
 * Where a request came from. scripts/web-server.mjs stamps the socket's address in
 * x-vigil-peer (overwriting anything a client sent); forwarded headers count only
 * when that peer is a trusted proxy. Under `next dev` there is no stamp.
 */
export function requestAddress(request: NextRequest, web: WebContext): string {
  return addressFromHeaders(request.headers, web);
}

export function addressFromHeaders(headers: Headers, web: WebContext): string {
  const peer = headers.get('x-vigil-peer');
  if (!peer) return 'unknown';
  return clientAddress({ peer, forwardedFor: headers.get('x-forwarded-for'), realIp: headers.get('x-real-ip'), trusted: web.trustedProxies });
}

/**
 * True when the socket peer is a trusted proxy, so its X-Forwarded-* headers describe the
 * browser's request. Anyone else can write those headers too, and must not be believed.
 */
function fromTrustedProxy(headers: Headers, web: WebContext): boolean {
  const peer = headers.get('x-vigil-peer');
  return peer !== null && isTrusted(web.trustedProxies, peer);
}

export function isSecureRequest(request: NextRequest, web: WebContext): boolean {
  return request.nextUrl.protocol === 'https:' || (fromTrustedProxy(request.headers, web) && request.headers.get('x-forwarded-proto') === 'https');
}

/**
 * Cross-site requests never get to change state: a browser sends Origin (and
 * Sec-Fetch-Site) on every POST/PATCH/DELETE, and they must name this site.
 */
export function assertSameOrigin(request: NextRequest, web: WebContext): void {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'cross_site', 'cross-site requests are not accepted');
  const origin = request.headers.get('origin');
  if (origin) {
    const forwardedHost = fromTrustedProxy(request.headers, web) ? request.headers.get('x-forwarded-host') : null;
    const host = forwardedHost ?? request.headers.get('host');
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new HttpError(403, 'cross_site', 'malformed Origin header');
    }
    if (originHost !== host) throw new HttpError(403, 'cross_site', 'cross-site requests are not accepted');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(request: NextRequest, web: WebContext): Promise<Principal | null> {
  if (request.headers.get('authorization')) {
    // Scripts use API tokens; no cookie is involved, so no CSRF check applies.
    return web.tokens.authenticate(request.headers.get('authorization') ?? undefined);
  }
  const session = await currentSession();
  if (!session) return null;
  if (!SAFE_METHODS.has(request.method)) {
    assertSameOrigin(request, web);
    const sent = request.headers.get('x-csrf-token') ?? '';
    if (!safeEqual(sent, session.csrfToken)) throw new HttpError(403, 'csrf', 'missing or wrong CSRF token; reload the page');
  }
  return session.principal;
}

export interface RouteContext<B, Q> {
  request: NextRequest;
  web: WebContext;
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
}

interface RouteOptions<B, Q> {
  /** A `can…` check from lib/auth/roles; deny by default. */
  authorize: (principal: Principal | null) => boolean;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  handler: (ctx: RouteContext<B, Q>) => Promise<unknown>;
}

export async function parseBody<B>(request: NextRequest, schema: ZodType<B>): Promise<B> {
  const text = await request.text();
  // An empty body is not JSON here, as it was with request.json(); the worker lets the schema decide.
  if (!text) throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  const parsed = schema.safeParse(parseJsonBody(text));
  if (!parsed.success) throw new HttpError(422, 'invalid_request', describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Every route handler is the same four steps: parse, authorize, call one function, respond. */
export function apiRoute<B = undefined, Q = undefined>(options: RouteOptions<B, Q>) {
  return withAccess(
    (request: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> =>
      inRequestScope(request, async () => {
        let web: WebContext | null = null;
        try {
          web = forRequest(await getWebContext(), request);
          const principal = await authenticate(request, web);
          if (!principal) throw new HttpError(401, 'unauthenticated', 'sign in first');
          if (!options.authorize(principal)) throw forbidden(principal);
          await assertNotFrozen({ worker: web.worker, principal, method: request.method });
          refuseUnstorableQuery(request.nextUrl.searchParams);
          let query = undefined as Q;
          if (options.query) {
            const parsed = options.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
            if (!parsed.success) throw new HttpError(422, 'invalid_query', describeIssues(parsed.error.issues));
            query = parsed.data;
          }
          const body = options.body ? await parseBody(request, options.body) : (undefined as B);
          // A route without dynamic segments is handed no params at all by Next.js in production.
          const params = (await context.params) ?? {};
          if (!Object.values(params).every(isStorableText))
            throw new HttpError(400, 'invalid_path', 'the request path must not contain NUL characters or unpaired surrogates');
          const result = await options.handler({ request, web, principal, body, query, params });
          if (result instanceof Response) return result;
          // null is an answer ("nothing yet"); only a handler that returns nothing means "done".
          return Response.json(result === undefined ? { ok: true } : result, { headers: { 'cache-control': 'no-store' } });
        } catch (error) {
          return handleError(error, web, request);
        }
      }),
    { kind: 'authorized', authorize: options.authorize },
    { body: options.body, query: options.query },
  );
}

// A scoped token would otherwise read "your role (admin) cannot do this", which points at the wrong fix.
function forbidden(principal: Principal): HttpError {
  if (principal.scopes?.length)
    return new HttpError(
      403,
      'forbidden',
      "scoped API tokens are for the worker's machine API, not the web app's operator API; sign in, or use a token without scopes",
    );
  return new HttpError(403, 'forbidden', `your role (${principal.role}) cannot do this`);
}

/** The worker client's refusals and outages are AppErrors too, so they keep their status and code. */
export function handleError(error: unknown, web: WebContext | null, request: NextRequest): Response {
  return errorResponse(answerError(error, { method: request.method, path: request.nextUrl.pathname, log: web?.log }));
}
