import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, discoverWebRoutes, routeParams, routeRequest, type WebRouteFile } from '../test-support/web-routes';

type Handler = (request: NextRequest, context: ReturnType<typeof routeParams>) => Promise<Response>;

/**
 * Every read of the web API, the ones added with alerting, status pages, off-site copies and
 * bouncers included, while the worker is stopped and the database still up: an answer read from
 * the database, a refusal of the sample input, or 503 with Retry-After; never a 500.
 */
describe('the web API while the worker is away', () => {
  let t: TestWorker;
  let admin: string;
  let routes: WebRouteFile[];

  beforeAll(async () => {
    t = await startTestWorker();
    ({ admin } = await connectWebRoutes(t, ['admin']));
    routes = (await discoverWebRoutes()).filter((route) => route.handlers.GET);
    // The web context is made while the worker answers, as it is in a running console.
    const health = routes.find((route) => route.template === '/api/health/current')!;
    expect((await (health.handlers.GET as Handler)(routeRequest(health.path, { token: admin }), routeParams(health.params))).status).toBe(200);
    await t.worker.close('stopped for the test');
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('answers every GET without a 5xx other than 503 worker_unavailable with Retry-After', { timeout: 60_000 }, async () => {
    const answers: Record<string, string> = {};
    for (const route of routes) {
      const response = await (route.handlers.GET as Handler)(routeRequest(route.path, { token: admin }), routeParams(route.params));
      if (response.status < 500) {
        answers[route.template] = 'ok';
        await response.body?.cancel();
        continue;
      }
      const body = (await response.json()) as { error?: { code?: string } };
      answers[route.template] = `${response.status} ${body.error?.code} retry-after=${response.headers.get('retry-after')}`;
    }
    const wrong = Object.entries(answers).filter(([, answer]) => answer !== 'ok' && !/^503 worker_unavailable retry-after=\d+$/.test(answer));
    expect(wrong).toEqual([]);
    // The newer capabilities go through the worker, so they are among the 503s, not silently empty.
    for (const template of ['/api/alerts', '/api/status-pages', '/api/snapshots/offsite', '/api/defense/blocklists']) {
      expect(answers[template], template).toMatch(/^503 worker_unavailable/);
    }
  });

  it('serves a public status page as 503 with Retry-After, never cached', async () => {
    const { GET } = await import('@/app/status/[slug]/route');
    const response = await GET(new NextRequest('http://localhost/status/public'), { params: Promise.resolve({ slug: 'public' }) });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
