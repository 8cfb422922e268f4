import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

type RouteHandler = (request: ReturnType<typeof routeRequest>, context: ReturnType<typeof routeParams>) => Promise<Response>;

/**
 * A production build bundles each route on its own, so the shared web context (made once, by
 * whichever route ran first) holds a worker client whose error classes are another route's
 * copies. vi.resetModules() gives the same split: the context comes from the first copy, the
 * route under test is the second.
 */
async function routeFromAnotherBundle(path: string): Promise<{ GET: RouteHandler }> {
  vi.resetModules();
  return (await import(/* @vite-ignore */ path)) as { GET: RouteHandler };
}

describe('worker answers through the web API', () => {
  let t: TestWorker;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestWorker();
    ({ viewer } = await connectWebRoutes(t, ['viewer']));
    const first = (await import('@/app/api/health/current/route')) as { GET: RouteHandler };
    expect((await first.GET(routeRequest('/api/health/current', { token: viewer }), routeParams())).status).toBe(200);
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it("passes a worker's refusal on with its status and code, whichever bundle made the client", async () => {
    const route = await routeFromAnotherBundle('@/app/api/incidents/[id]/route');
    const response = await route.GET(routeRequest('/api/incidents/no-such-incident', { token: viewer }), routeParams({ id: 'no-such-incident' }));
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).not.toBe('internal_error');
    expect(body.error.message).toMatch(/incident/i);
  });

  it('answers 503 worker_unavailable with Retry-After while the worker is stopped', async () => {
    await t.worker.close('stopped for the test');
    for (const path of ['@/app/api/health/current/route', '@/app/api/incidents/route']) {
      const route = await routeFromAnotherBundle(path);
      const response = await route.GET(routeRequest('/api/health/current', { token: viewer }), routeParams());
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after'), path).toMatch(/^\d+$/);
      expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe('worker_unavailable');
    }
  });
});
