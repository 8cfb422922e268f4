import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { startDefenseWorker } from '../test-support/defense-worker';
import type { TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// Editing alert rules is for admins; a silence that mutes a whole class of pages (every lockdown,
// every critical threat) would be the same power by another door.
describe('silences through the web app', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;
  const silence = async (token: string, matchers: { name: string; value: string }[]) => {
    const { POST } = await import('@/app/api/alerts/silences/route');
    const response = await POST(
      routeRequest('/api/alerts/silences', { token, json: { matchers, durationMinutes: 60, comment: 'maintenance' } }),
      routeParams(),
    );
    return { status: response.status, body: (await response.json()) as { id?: string; error?: { code: string; message: string } } };
  };

  beforeAll(async () => {
    t = await startDefenseWorker();
    tokens = await connectWebRoutes(t, ['operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('lets an operator silence one module, resource or source, and needs an admin for anything broader', async () => {
    for (const matchers of [
      [{ name: 'module', value: 'api' }],
      [{ name: 'resource', value: '/etc/hosts' }],
      [
        { name: 'source', value: '203.0.113.9' },
        { name: 'type', value: 'defense.*' },
      ],
    ])
      expect((await silence(tokens.operator, matchers)).status).toBe(200);

    for (const matchers of [
      [{ name: 'type', value: '*' }],
      [{ name: 'severity', value: 'critical' }],
      [{ name: 'rule', value: 'lockdown engaged' }],
      [{ name: 'host', value: 'web-1' }],
      [{ name: 'module', value: '*' }],
      [{ name: 'module', value: 'api*' }],
      [{ name: 'module', value: '' }],
    ]) {
      expect(await silence(tokens.operator, matchers)).toEqual({
        status: 403,
        body: { error: { code: 'admin_required', message: expect.stringContaining('needs an admin') } },
      });
    }
    expect((await silence(tokens.admin, [{ name: 'type', value: '*' }])).status).toBe(200);
  });
});
