import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { bouncerListSchema } from '@/lib/defense/bouncers';
import { addBouncer } from '../defense/bouncer-admin';
import { api, startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

describe('GET /api/defense/bouncers', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;
  const list = async (token: string) => {
    const { GET } = await import('@/app/api/defense/bouncers/route');
    const response = await GET(routeRequest('/api/defense/bouncers', { token }), routeParams());
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['viewer']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('shows a viewer each bouncer as the worker last wrote it: pending until it pulls, then its address, version and status', async () => {
    const { secret } = await addBouncer({ db: t.worker.database.prisma, audit: null, name: 'edge', actor: 'test' });
    const first = await list(tokens.viewer);
    expect(first.status).toBe(200);
    expect(bouncerListSchema.parse(first.body).bouncers).toEqual([
      expect.objectContaining({ name: 'edge', status: 'pending', lastPullAt: null, revoked: false }),
    ]);

    const pulled = await waitFor(
      async () => {
        await api(t.port, '/api/v1/decisions/stream?startup=true', { headers: { 'x-api-key': secret, 'user-agent': 'crowdsec-custom-bouncer/v0.0.15' } });
        const [edge] = bouncerListSchema.parse((await list(tokens.viewer)).body).bouncers;
        return edge.lastPullAt !== null && edge;
      },
      { what: 'the pull written by the worker' },
    );
    expect(pulled).toMatchObject({ address: '127.0.0.1', version: 'v0.0.15 (crowdsec-custom-bouncer)', status: 'ok', lastStatus: 200 });
  });
});
