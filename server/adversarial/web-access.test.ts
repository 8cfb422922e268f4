// First: it readies Next.js's request storage before anything else loads Next.
import { callInRequestScope, sessionCookie } from '../test-support/next-scope';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@/lib/auth/roles';
import { accessOf, type RouteAccess } from '@/app/_lib/route-access';
import { OPERATIONS } from '../openapi/openapi';
import { PROVIDERS, startTestWorker, TEST_SECRET, type TestWorker } from '../test-support';
import { castOfCallers, DISABLED_OWNER_TOKEN, type Caller } from '../test-support/callers';
import { connectWebRoutes, disconnectWebRoutes, discoverWebRoutes, type RouteMethod, type WebRouteFile } from '../test-support/web-routes';

/** Every body is an object: an admitted call stops at validation and starts no drill, snapshot or verification. */
const BODY_NO_ROUTE_TAKES = '[]';

type Handler = Parameters<typeof callInRequestScope>[0];

interface Knock {
  route: string;
  caller: Caller;
  expected: 401 | 403 | 'admitted';
  status: number;
}

function expectedWebAnswer(access: RouteAccess, caller: Caller): Knock['expected'] {
  if (access.kind === 'public') return 'admitted';
  if (!caller.principal) return 401;
  return access.authorize(caller.principal) ? 'admitted' : 403;
}

/** A request as the caller's client would send it: a bearer token, or a browser's cookie and CSRF header. */
async function requestAs(caller: Caller, method: RouteMethod, path: string): Promise<NextRequest> {
  const headers: Record<string, string> = {};
  if (caller.bearer) headers.authorization = `Bearer ${caller.bearer}`;
  if (caller.session) {
    headers.cookie = await sessionCookie(TEST_SECRET, caller.session.secret);
    if (method !== 'GET') headers['x-csrf-token'] = caller.session.csrfToken;
  }
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  if (withBody) headers['content-type'] = 'application/json';
  return new NextRequest(`http://localhost${path}`, { method, headers, body: withBody ? BODY_NO_ROUTE_TAKES : undefined });
}

const describeKnock = ({ route, caller, status, expected }: Knock) => `${route} as ${caller.label}: ${status} (expected ${expected})`;

describe.each(PROVIDERS)('every web API route against every caller (%s)', (provider) => {
  let t: TestWorker;
  let routes: WebRouteFile[];
  const knocks: Knock[] = [];

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    await connectWebRoutes(t, []);
    routes = await discoverWebRoutes();
    const callers = await castOfCallers(t, { sessions: true });
    // Signing out ends the session the other routes are called with: it goes last.
    const ordered = [...routes].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    for (const route of ordered) {
      for (const [method, handler] of Object.entries(route.handlers) as Array<[RouteMethod, Handler]>) {
        const access = accessOf(handler);
        if (!access) continue;
        const answers = await Promise.all(
          callers.map(async (caller) => (await callInRequestScope(handler, await requestAs(caller, method, route.path), route.params)).status),
        );
        knocks.push(
          ...callers.map((caller, i) => ({ route: `${method} ${route.path}`, caller, expected: expectedWebAnswer(access, caller), status: answers[i] })),
        );
      }
    }
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('finds the route files on disk, and every handler in them declares who may call it', () => {
    expect(routes.length).toBeGreaterThan(40);
    const undeclared = routes.flatMap((route) =>
      Object.entries(route.handlers)
        .filter(([, handler]) => !accessOf(handler))
        .map(([method]) => `${method} ${route.file}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('is documented in OpenAPI with the least role its rule admits', () => {
    const leastRole = (access: RouteAccess | undefined) =>
      !access
        ? 'undeclared'
        : access.kind === 'public'
          ? 'public'
          : (ROLES.find((role) => access.authorize({ id: 'probe', name: 'probe', role, kind: 'user' })) ?? 'nobody');
    const enforced = new Map(
      routes.flatMap((route) => Object.entries(route.handlers).map(([method, handler]) => [`${method} ${route.template}`, leastRole(accessOf(handler))])),
    );
    const wrong = OPERATIONS.filter((op) => op.server === 'web')
      .map((op) => ({ key: `${op.method.toUpperCase()} ${op.path}`, documented: op.auth === 'public' ? 'public' : op.role }))
      .filter(({ key, documented }) => enforced.get(key) !== documented);
    expect(wrong.map(({ key, documented }) => `${key}: documented ${documented}, enforced ${enforced.get(key) ?? 'no such route'}`)).toEqual([]);
    // And the other way round: a web route nobody documented is a route an integrator cannot find.
    const documented = new Set(OPERATIONS.filter((op) => op.server === 'web').map((op) => `${op.method.toUpperCase()} ${op.path}`));
    expect([...enforced.keys()].filter((key) => !documented.has(key)).sort()).toEqual([]);
  });

  it('never answers 5xx, whoever calls', () => {
    expect(knocks.filter((k) => k.status >= 500).map(describeKnock)).toEqual([]);
  });

  it('answers 401 to every caller it must not know', () => {
    expect(knocks.filter((k) => k.caller.label !== DISABLED_OWNER_TOKEN && k.expected === 401 && k.status !== 401).map(describeKnock)).toEqual([]);
  });

  it('answers 401 to the token of a user who has been disabled since', () => {
    expect(knocks.filter((k) => k.caller.label === DISABLED_OWNER_TOKEN && k.expected === 401 && k.status !== 401).map(describeKnock)).toEqual([]);
  });

  it('answers 403 below the role, and to scoped tokens, which are for the machine API', () => {
    expect(knocks.filter((k) => k.expected === 403 && k.status !== 403).map(describeKnock)).toEqual([]);
  });

  it('lets through every caller at or above the rule', () => {
    expect(knocks.filter((k) => k.expected === 'admitted' && (k.status === 401 || k.status === 403)).map(describeKnock)).toEqual([]);
  });
});
