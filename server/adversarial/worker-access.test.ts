import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDescription } from '../http/router';
import { WORKER_CONTRACTS } from '../contracts';
import { buildOpenApiDocument } from '../openapi/openapi';
import { api, PROVIDERS, startTestWorker, type TestWorker } from '../test-support';
import { castOfCallers, DISABLED_OWNER_TOKEN, expectedWorkerAnswer, type Caller } from '../test-support/callers';

/** A value for each path parameter; a push token long enough to be looked up (and not found). */
const concretePath = (path: string) => path.replace(/:([a-zA-Z]+)/g, (_, key: string) => (key === 'token' ? 'unknown-push-token-0000' : 'probe'));

interface Knock {
  route: RouteDescription;
  caller: Caller;
  status: number;
}

/** Every body is an object, so an admitted call stops at validation and acts on nothing. */
async function knock(port: number, route: RouteDescription, caller: Caller): Promise<Knock> {
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  const res = await api(port, concretePath(route.path), { method: route.method, token: caller.bearer, ...(withBody ? { json: [] } : {}) });
  return { route, caller, status: res.status };
}

const describeKnock = ({ route, caller, status }: Knock) => `${route.method} ${route.path} (${route.auth}) as ${caller.label}: ${status}`;

describe.each(PROVIDERS)('every worker route against every caller (%s)', (provider) => {
  let t: TestWorker;
  let knocks: Knock[];

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    await t.worker.leading;
    const callers = await castOfCallers(t);
    knocks = [];
    // One route at a time, every caller at once: a few hundred requests, in well under a minute.
    for (const route of t.worker.routes()) knocks.push(...(await Promise.all(callers.map((caller) => knock(t.port, route, caller)))));
  });

  afterAll(async () => {
    await t?.destroy();
  });

  it('finds the routes from the router itself, each with a declared rule', () => {
    const routes = t.worker.routes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route) => !route.auth)).toEqual([]);
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /guard/check', 'POST /api/v1/events', 'POST /internal/v1/defense/isolate', 'GET /internal/v1/integrity']),
    );
  });

  it('declares what a standby answers itself: its own health and metrics, ingest, decision streams and the cluster overview', () => {
    const local = t.worker
      .routes()
      .filter((route) => route.standby === 'local')
      .map((route) => `${route.method} ${route.path}`);
    expect(local.sort()).toEqual([
      'GET /api/v1/cluster',
      'GET /api/v1/decisions/stream',
      'GET /guard/check',
      'GET /healthz',
      'GET /internal/v1/cluster',
      'GET /metrics',
      'POST /api/v1/events',
    ]);
  });

  it('registers a handler for every shared contract and no route without one, so the web client and the document see what the router serves', () => {
    const rule = (route: RouteDescription) => `${route.method} ${route.path} (${route.auth}, ${route.standby ?? 'forward'})`;
    expect(t.worker.routes().map(rule).sort()).toEqual(WORKER_CONTRACTS.map(rule).sort());
  });

  it('is documented in OpenAPI from its own declarations, with the rule the router enforces', () => {
    const paths = buildOpenApiDocument({ workerRoutes: t.worker.routes() }).paths as Record<
      string,
      Record<string, { 'x-vigil-scope'?: string; security: unknown[] }>
    >;
    const documented = new Map(
      Object.entries(paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, op]) => op.security.length === 0 || op['x-vigil-scope'])
          .map(([method, op]) => [`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op['x-vigil-scope'] ?? 'open'] as const),
      ),
    );
    const declared = t.worker.routes().filter((route) => route.auth !== 'internal');
    const wrong = declared.filter(
      (route) => documented.get(`${route.method} ${route.path}`) !== (route.auth === 'public' || route.auth === 'push-token' ? 'open' : route.auth),
    );
    expect(wrong.map((route) => `${route.method} ${route.path} (${route.auth})`)).toEqual([]);
  });

  it('never answers 5xx, whoever calls', () => {
    expect(knocks.filter((k) => k.status >= 500).map(describeKnock)).toEqual([]);
  });

  it('answers 401 to every caller it must not know', () => {
    const wrong = knocks.filter((k) => k.caller.label !== DISABLED_OWNER_TOKEN && expectedWorkerAnswer(k.route.auth, k.caller) === 401 && k.status !== 401);
    expect(wrong.map(describeKnock)).toEqual([]);
  });

  it('answers 401 to the token of a user who has been disabled since', () => {
    const wrong = knocks.filter((k) => k.caller.label === DISABLED_OWNER_TOKEN && expectedWorkerAnswer(k.route.auth, k.caller) === 401 && k.status !== 401);
    expect(wrong.map(describeKnock)).toEqual([]);
  });

  it('answers 403 below the role or outside the scope', () => {
    const wrong = knocks.filter((k) => expectedWorkerAnswer(k.route.auth, k.caller) === 403 && k.status !== 403);
    expect(wrong.map(describeKnock)).toEqual([]);
  });

  it('lets through every caller at or above the rule', () => {
    const wrong = knocks.filter((k) => expectedWorkerAnswer(k.route.auth, k.caller) === 'admitted' && (k.status === 401 || k.status === 403));
    expect(wrong.map(describeKnock)).toEqual([]);
  });
});
