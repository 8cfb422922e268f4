import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The Workers panel's route, as Next.js calls it, against a real worker on PostgreSQL run as
// one replica (VIGIL_HA on) and on SQLite (nothing to elect).
describe.each([
  { provider: 'postgresql' as const, ha: true },
  { provider: 'sqlite' as const, ha: false },
])('cluster web route on $provider', ({ provider, ha }) => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    t = await startTestWorker({ provider, vars: ha ? { VIGIL_HA: 'true', VIGIL_NODE_ID: 'solo' } : {} });
    await t.worker.leading;
    tokens = await connectWebRoutes(t, ['viewer']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('shows viewers which workers run and which one leads', async () => {
    const { GET } = await import('@/app/api/cluster/route');
    const response = await GET(routeRequest('/api/cluster', { token: tokens.viewer }), routeParams());
    expect(response.status).toBe(200);
    const overview = (await response.json()) as ClusterOverview;
    if (!ha) return expect(overview).toEqual({ ha: false, self: null, members: [] });
    expect(overview.self).toMatchObject({ nodeId: 'solo', role: 'leader' });
    expect(overview.members).toEqual([{ node: 'solo', address: '127.0.0.1', since: expect.any(String), leader: true }]);
    expect((await GET(routeRequest('/api/cluster', { token: 'vgl_wrong' }), routeParams())).status).toBe(401);
  });
});
