import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../audit/audit-verifier';
import { internalToken } from '../auth/keys';
import type { RouteDescription } from '../http/router';
import { api, PROVIDERS, startTestWorker, TEST_API_TOKEN, TEST_SECRET, type TestWorker } from '../test-support';
import { answersBelow500, hostileBody, hostileQuery, hostileString } from '../test-support/hostile-input';
import { fieldNamesOf } from '../test-support/schema-fields';

/** Enough to find what breaks on the first odd input, little enough for a few seconds per property. */
const RUNS = 12;

/** The credential that gets past each rule, so the input reaches the handler. */
const credentialFor = (route: RouteDescription) =>
  route.auth === 'internal' ? internalToken(TEST_SECRET) : route.auth === 'public' || route.auth === 'push-token' ? undefined : TEST_API_TOKEN;

/** A path segment as a client could send it: encoded hostile text, or raw `%` garbage. */
const hostileSegment = (): fc.Arbitrary<string> =>
  fc.oneof(
    hostileString().map((text) => {
      try {
        return encodeURIComponent(text.slice(0, 2_000));
      } catch {
        return '%ED%A0%80';
      }
    }),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '..', '%2e%2e', 'a%20b'),
  );

describe.each(PROVIDERS)('worker routes under hostile bodies, queries and paths, past their credential check (%s)', (provider) => {
  let t: TestWorker;
  let routes: RouteDescription[];

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    await t.worker.leading;
    routes = t.worker.routes();
  });

  afterAll(async () => {
    await t?.destroy();
  });

  const sample = (path: string) => path.replace(/:([a-zA-Z]+)/g, (_, key: string) => (key === 'token' ? 'unknown-push-token-0000' : 'probe'));

  async function fuzz(
    targets: RouteDescription[],
    input: (route: RouteDescription) => fc.Arbitrary<string>,
    request: (route: RouteDescription, value: string) => Promise<{ status: number; text: string }>,
    accept: (value: string) => boolean = () => true,
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const route of targets) {
      await fc
        .assert(
          fc.asyncProperty(input(route), async (value) => {
            fc.pre(accept(value));
            return answersBelow500(failures, `${route.method} ${route.path} ${JSON.stringify(value.slice(0, 120))}`, () => request(route, value));
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    return failures;
  }

  // A body naming an actor is a command the web app would send: acting on it is the domain tests' part.
  it('answers every hostile body with a 4xx, never a 5xx', async () => {
    const targets = routes.filter((route) => route.method !== 'GET');
    const failures = await fuzz(
      targets,
      // Without `actor`: bodies naming one are skipped above, and would crowd out the rest.
      (route) => hostileBody(fieldNamesOf(route.body).filter((name) => name !== 'actor')),
      (route, raw) => api(t.port, sample(route.path), { method: route.method, token: credentialFor(route), raw }),
      (raw) => !raw.includes('"actor"'),
    );
    expect(failures).toEqual([]);
  });

  it('answers every hostile query string with a 2xx or a 4xx, never a 5xx', async () => {
    const targets = routes.filter((route) => route.method === 'GET');
    const failures = await fuzz(
      targets,
      (route) => hostileQuery(fieldNamesOf(route.query)),
      (route, query) => api(t.port, `${sample(route.path)}?${query}`, { method: route.method, token: credentialFor(route) }),
    );
    expect(failures).toEqual([]);
  });

  it('answers every hostile path parameter with a 2xx or a 4xx, never a 5xx', async () => {
    const targets = routes.filter((route) => route.path.includes(':'));
    const failures = await fuzz(targets, hostileSegment, (route, segment) =>
      api(t.port, route.path.replace(/:([a-zA-Z]+)/g, segment), {
        method: route.method,
        token: credentialFor(route),
        ...(route.method === 'GET' ? {} : { json: [] }),
      }),
    );
    expect(failures).toEqual([]);
  });

  it('is still serving afterwards, with an audit chain that verifies and nothing set aside', async () => {
    expect((await api(t.port, '/healthz')).body).toMatchObject({ status: 'ok', database: { pendingEvents: 0 } });
    expect(await t.worker.database.prisma.auditEvent.count({ where: { type: 'audit.event_quarantined' } })).toBe(0);
    expect(await verifyAuditTrail({ database: t.worker.database, key: null, mode: 'full' })).toMatchObject({ ok: true });
    expect((await api(t.port, '/api/v1/health', { token: TEST_API_TOKEN })).status).toBe(200);
  });
});
