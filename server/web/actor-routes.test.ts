import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { readWholeChain, startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

type Handler = (request: ReturnType<typeof routeRequest>, params: ReturnType<typeof routeParams>) => Promise<Response>;

// connectWebRoutes names each token after its role: the admin's token is called "admin", the
// name a person could have too. Every event it causes must say it was the token.
describe('audit actors of web routes called with an API token', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  const call = async (load: () => Promise<Record<string, unknown>>, method: string, path: string, json?: unknown, params: Record<string, string> = {}) => {
    const handler = (await load())[method] as Handler;
    const response = await handler(routeRequest(path, { token: tokens.admin, method, json }), routeParams(params));
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as Record<string, { id: string } | undefined>;
  };
  const actorsOf = async (type: string) => (await readWholeChain(t.worker.database)).filter((e) => e.type === type).map((e) => e.actor);

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('records token:admin for users, tokens, share links, the degradation pin and sign-out', async () => {
    const created = await call(() => import('@/app/api/users/route'), 'POST', '/api/users', {
      username: 'carol',
      password: 'a long enough password',
      role: 'viewer',
    });
    const userId = created.user!.id;
    await call(() => import('@/app/api/users/[id]/route'), 'PATCH', `/api/users/${userId}`, { role: 'operator' }, { id: userId });

    const token = await call(() => import('@/app/api/tokens/route'), 'POST', '/api/tokens', { name: 'ci', role: 'viewer' });
    await call(() => import('@/app/api/tokens/[id]/route'), 'DELETE', `/api/tokens/${token.token!.id}`, undefined, { id: token.token!.id });

    const link = await call(() => import('@/app/api/share-links/route'), 'POST', '/api/share-links', {
      title: 'audit for the auditors',
      view: { path: '/audit' },
    });
    await call(() => import('@/app/api/share-links/[id]/route'), 'DELETE', `/api/share-links/${link.link!.id}`, undefined, { id: link.link!.id });

    await call(() => import('@/app/api/degradation/pin/route'), 'POST', '/api/degradation/pin', { level: 'LEVEL_1', reason: 'shedding load by hand' });
    await call(() => import('@/app/api/auth/logout/route'), 'POST', '/api/auth/logout', {});

    const types = ['user.created', 'user.changed', 'token.created', 'token.revoked', 'share.created', 'share.revoked', 'auth.logout'];
    for (const type of types) expect({ type, actors: await actorsOf(type) }).toEqual({ type, actors: ['token:admin'] });
    // The pin is audited by the worker, through its own writer: wait for it to be stored.
    await waitFor(async () => (await actorsOf('health.degradation_pinned')).length > 0, { what: 'the pin to be audited' });
    expect(await actorsOf('health.degradation_pinned')).toEqual(['token:admin']);
    const links = await t.worker.database.prisma.shareLink.findMany({ select: { createdBy: true } });
    expect(links).toEqual([{ createdBy: 'token:admin' }]);
  });
});
