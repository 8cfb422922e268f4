import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { forRequest, requestIdOf, requestLogger } from '@/app/_lib/request-log';
import type { WebContext } from '@/app/_lib/web-context';
import { proxy } from '@/proxy';
import { createLogger } from '../log';
import { startTestWorker, type TestWorker } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const withId = (id: string | null) => new NextRequest('http://localhost/api/health/current', { headers: id === null ? {} : { 'x-request-id': id } });

describe('proxy.ts', () => {
  it('keeps a sane incoming id, hands it to the app and returns it', () => {
    const response = proxy(withId('lb-4711:a.b_c-d'));
    expect(response.headers.get('x-request-id')).toBe('lb-4711:a.b_c-d');
    // How Next.js carries request headers set in the proxy on to the route handler.
    expect(response.headers.get('x-middleware-request-x-request-id')).toBe('lb-4711:a.b_c-d');
  });

  it('makes an id when none came or the one that came is not sane', () => {
    for (const incoming of [null, 'x'.repeat(129), 'two words', 'quote"d']) {
      const response = proxy(withId(incoming));
      const id = response.headers.get('x-request-id');
      expect(id, String(incoming)).toMatch(UUID);
      expect(response.headers.get('x-middleware-request-x-request-id')).toBe(id);
    }
  });
});

describe('request ids in route handlers', () => {
  it('reads the id proxy.ts stamped, and keeps one made here for the whole request', () => {
    expect(requestIdOf(withId('stamped-1'))).toBe('stamped-1');
    const bare = withId(null);
    expect(requestIdOf(bare)).toMatch(UUID);
    expect(requestIdOf(bare)).toBe(requestIdOf(bare));
  });

  it('logs through a child logger that names the request', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('web', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    requestLogger({ log }, withId('web-1')).error({ err: new Error('boom') }, 'request failed');
    forRequest({ log } as WebContext, withId('web-2')).log.info('audit event stored');
    expect(lines).toMatchObject([
      { process: 'web', reqId: 'web-1', msg: 'request failed', err: { message: 'boom' } },
      { process: 'web', reqId: 'web-2', msg: 'audit event stored' },
    ]);
  });
});

// One id in both processes' logs: the route handler's calls to the worker carry the request's id.
describe('web → worker request ids', () => {
  let t: TestWorker;
  let stub: StubHttpServer;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestWorker();
    viewer = (await connectWebRoutes(t, ['viewer'])).viewer;
    stub = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, null));
    vi.stubEnv('VIGIL_WORKER_URL', stub.url);
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await stub?.close();
    await t?.destroy();
  });

  it('forwards the stamped id, or the one made for the request, to the worker', async () => {
    const { GET } = await import('@/app/api/health/current/route');
    const stamped = routeRequest('/api/health/current', { token: viewer });
    stamped.headers.set('x-request-id', 'trace-web-1');
    expect((await GET(stamped, routeParams())).status).toBe(200);
    const bare = routeRequest('/api/health/current', { token: viewer });
    expect((await GET(bare, routeParams())).status).toBe(200);

    expect(stub.requests.map((request) => [request.path, request.headers['x-request-id']])).toEqual([
      ['/internal/v1/health', 'trace-web-1'],
      ['/internal/v1/health', requestIdOf(bare)],
    ]);
    expect(requestIdOf(bare)).toMatch(UUID);
  });
});
