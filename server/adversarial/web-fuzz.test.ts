// First: it readies Next.js's request storage before anything else loads Next.
import { callInRequestScope, sessionCookie } from '../test-support/next-scope';
import fc from 'fast-check';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf, schemasOf } from '@/app/_lib/route-access';
import { verifyAuditTrail } from '../audit/audit-verifier';
import { createSession } from '../auth/session-store';
import { api, PROVIDERS, startTestWorker, TEST_API_TOKEN, TEST_SECRET, type TestWorker } from '../test-support';
import { answersBelow500, hostileBody, hostileQuery, hostileString } from '../test-support/hostile-input';
import { fieldNamesOf } from '../test-support/schema-fields';
import { seedUser } from '../test-support/users';
import { connectWebRoutes, disconnectWebRoutes, discoverWebRoutes, type RouteMethod } from '../test-support/web-routes';

type Handler = Parameters<typeof callInRequestScope>[0];

/** Enough to find what breaks on the first odd input, little enough for a few seconds per route. */
const RUNS = 25;

interface Target {
  name: string;
  method: RouteMethod;
  path: string;
  params: Record<string, string>;
  handler: Handler;
  body?: { safeParse(value: unknown): { success: boolean } };
  query: boolean;
  /** The field names the route's own schemas know: hostile objects are built with them. */
  bodyFields: string[];
  queryFields: string[];
}

async function fuzzTargets(): Promise<Target[]> {
  const targets: Target[] = [];
  for (const route of await discoverWebRoutes()) {
    for (const [method, handler] of Object.entries(route.handlers) as Array<[RouteMethod, Handler]>) {
      const { body, query } = schemasOf(handler);
      if (!accessOf(handler) || (!body && !query && Object.keys(route.params).length === 0)) continue;
      targets.push({
        name: `${method} ${route.path}`,
        method,
        path: route.path,
        params: route.params,
        handler,
        body,
        query: Boolean(query),
        bodyFields: fieldNamesOf(body),
        queryFields: fieldNamesOf(query),
      });
    }
  }
  return targets;
}

/** Valid bodies would act (start a drill, take a snapshot, sign in): those are the domain tests' to make. */
function acceptedBy(schema: Target['body'], text: string): boolean {
  try {
    return Boolean(schema?.safeParse(JSON.parse(text)).success);
  } catch {
    return false;
  }
}

const answerOf = async (pending: Promise<Response>) => {
  const res = await pending;
  return { status: res.status, text: await res.text() };
};

describe.each(PROVIDERS)('web API bodies and queries under hostile input, as an admin (%s)', (provider) => {
  let t: TestWorker;
  let targets: Target[];
  let session: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    await connectWebRoutes(t, []);
    targets = await fuzzTargets();
    const admin = await seedUser(t.worker.database.prisma, { username: 'fuzz-admin', role: 'admin' });
    const created = await createSession(t.worker.database.prisma, { userId: admin.id, ip: null, userAgent: null });
    session = { cookie: await sessionCookie(TEST_SECRET, created.secret), csrfToken: created.csrfToken };
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  const call = (target: Target, { body, query, params = target.params }: { body?: string; query?: string; params?: Record<string, string> }) => {
    const headers: Record<string, string> = {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const request = new NextRequest(`http://localhost${target.path}${query ? `?${query}` : ''}`, { method: target.method, headers, body });
    return callInRequestScope(target.handler, request, params);
  };

  it('finds the routes that parse a body, a query or path parameters', () => {
    expect(targets.filter((target) => target.body).length).toBeGreaterThan(15);
    expect(targets.filter((target) => target.query).length).toBeGreaterThan(3);
  });

  it("builds hostile objects from each route's own schema, so a new route's fields are reached without a list to update", () => {
    expect(
      targets.filter((target) => (target.body && target.bodyFields.length === 0) || (target.query && target.queryFields.length === 0)).map((t) => t.name),
    ).toEqual([]);
    const fieldsOf = (name: string) => targets.find((target) => target.name === name)?.bodyFields;
    expect(fieldsOf('POST /api/alerts/silences')).toEqual(expect.arrayContaining(['matchers', 'comment']));
    expect(fieldsOf('POST /api/status-pages')).toEqual(expect.arrayContaining(['slug', 'logo', 'domain', 'modules']));
  });

  it('answers every hostile body with a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const target of targets.filter((candidate) => candidate.body && candidate.method !== 'GET')) {
      await fc
        .assert(
          fc.asyncProperty(hostileBody(target.bodyFields), async (body) => {
            fc.pre(!acceptedBy(target.body, body));
            return answersBelow500(failures, `${target.name} ${JSON.stringify(body.slice(0, 120))}`, () => answerOf(call(target, { body })));
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });

  it('answers every hostile query string with a 2xx or a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const target of targets.filter((candidate) => candidate.query)) {
      await fc
        .assert(
          fc.asyncProperty(hostileQuery(target.queryFields), async (query) => {
            return answersBelow500(failures, `${target.name}?${query.slice(0, 160)}`, () => answerOf(call(target, { query })));
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });

  it('answers every hostile path parameter with a 2xx or a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const target of targets.filter((candidate) => Object.keys(candidate.params).length > 0)) {
      await fc
        .assert(
          fc.asyncProperty(hostileString(), async (value) => {
            const params = Object.fromEntries(Object.keys(target.params).map((name) => [name, value]));
            const body = target.method === 'GET' ? undefined : '[]';
            return answersBelow500(failures, `${target.name} ${JSON.stringify(value.slice(0, 80))}`, () => answerOf(call(target, { params, body })));
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });

  // Valid but for one NUL or lone surrogate: PostgreSQL or SQLite cannot store them, and the fuzzing above skips bodies a schema accepts.
  it('refuses text no store can hold in a body the schema otherwise accepts, and in a query, with 422 naming the field on both surfaces', async () => {
    const byName = (name: string) => targets.find((target) => target.name === name)!;
    const shareLink = await call(byName('POST /api/share-links'), { body: JSON.stringify({ title: 'a\u0000b', view: { path: '/audit' } }) });
    expect(shareLink.status).toBe(422);
    expect((await call(byName('POST /api/tokens'), { body: JSON.stringify({ name: 'ci\u0000', role: 'viewer' }) })).status).toBe(422);
    expect((await call(byName('POST /api/tokens'), { body: '{"name":"ci \\ud800","role":"viewer"}' })).status).toBe(422);
    expect((await call(byName('GET /api/audit'), { query: 'q=%00' })).status).toBe(422);
    expect(await api(t.port, '/api/v1/audit?q=%00', { token: TEST_API_TOKEN })).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_text', message: expect.stringContaining('q:') } },
    });
    expect((await api(t.port, '/api/v1/isolations', { token: TEST_API_TOKEN, json: { source: '192.0.2.1', reason: 'probe\u0000' } })).status).toBe(422);
  });

  it('leaves the worker and the web app serving afterwards, and the audit chain whole', async () => {
    expect((await api(t.port, '/healthz')).body).toMatchObject({ status: 'ok', database: { pendingEvents: 0 } });
    // Whatever a hostile call got recorded is in a chain that verifies, and nothing had to be set aside.
    expect(await t.worker.database.prisma.auditEvent.count({ where: { type: 'audit.event_quarantined' } })).toBe(0);
    expect(await verifyAuditTrail({ database: t.worker.database, key: null, mode: 'full' })).toMatchObject({ ok: true });
    const sessionRoute = targets.length ? await import('@/app/api/session/route') : null;
    const res = await callInRequestScope(
      sessionRoute!.GET as Handler,
      new NextRequest('http://localhost/api/session', { headers: { cookie: session.cookie } }),
    );
    expect(res.status).toBe(200);
  });
});
