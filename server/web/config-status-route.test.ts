import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { ConfigStatus } from '@/lib/config/config-status';
import { PROVIDERS, startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The console banner's route, as Next.js calls it, against a real worker watching a real file.
describe.each(PROVIDERS)('configuration status web route (%s)', (provider) => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    t = await startTestWorker({ provider });
    writeFileSync(t.env.configPath, 'modules: []\n');
    t.worker.config.reload();
    tokens = await connectWebRoutes(t, ['viewer']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  const status = async (token: string) => {
    const { GET } = await import('@/app/api/config/status/route');
    return GET(routeRequest('/api/config/status', { token }), routeParams());
  };

  it('tells viewers whether the file is in force, and why not', async () => {
    expect(await (await status(tokens.viewer)).json()).toMatchObject({ ok: true, error: null, problems: [], file: t.env.configPath });
    writeFileSync(t.env.configPath, 'modules:\n  - { name: api, kind: http, url: "not a url" }\n');
    t.worker.config.reload();
    const refused = (await (await status(tokens.viewer)).json()) as ConfigStatus;
    expect(refused).toMatchObject({ ok: false, problems: [{ field: 'modules.api.url', line: 2 }] });
    expect((await status('vgl_wrong')).status).toBe(401);
  });

  it('answers when Next.js hands it no params, as it does for a route without dynamic segments', async () => {
    const { GET } = await import('@/app/api/config/status/route');
    const noParams = { params: Promise.resolve(undefined) } as unknown as ReturnType<typeof routeParams>;
    expect((await GET(routeRequest('/api/config/status', { token: tokens.viewer }), noParams)).status).toBe(200);
  });
});
