import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { startDefenseWorker } from '../test-support/defense-worker';
import type { TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The web app passes the caller's role to the worker, whose isolation service decides: the same
// rules as on the machine API, with the operator's role, never the web app's own authority.
describe('isolation policy through the web app', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;
  const isolate = async (token: string, source: string) => {
    const { POST } = await import('@/app/api/defense/isolations/route');
    const response = await POST(routeRequest('/api/defense/isolations', { token, json: { source, reason: 'policy test', duration: '1h' } }), routeParams());
    return { status: response.status, body: (await response.json()) as { source?: string; error?: { code: string; message: string } } };
  };

  beforeAll(async () => {
    t = await startDefenseWorker();
    tokens = await connectWebRoutes(t, ['operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('needs an admin for a range wider than /16, and refuses loopback and the trusted proxy to anyone', async () => {
    expect(await isolate(tokens.operator, '10.0.0.0/8')).toEqual({
      status: 403,
      body: { error: { code: 'admin_required', message: expect.stringContaining('needs an admin') } },
    });
    expect((await isolate(tokens.operator, '10.2.0.0/16')).status).toBe(200);
    expect((await isolate(tokens.admin, '10.0.0.0/8')).body.source).toBe('10.0.0.0/8');
    for (const source of ['0.0.0.0/0', '127.0.0.1', '::1']) {
      expect(await isolate(tokens.admin, source)).toEqual({
        status: 422,
        body: { error: { code: 'protected_source', message: expect.stringContaining('never isolated') } },
      });
    }
  });
});
