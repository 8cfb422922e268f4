import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { IncidentDetailView, IncidentListView, ModuleLogsView } from '@/lib/healing/healing-views';
import type { ModuleView } from '@/lib/healing/module-view';
import { startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

/** A service whose health answer the test flips; POST /restart heals it, as a real restart hook would. */
async function flakyService(): Promise<{ server: Server; url: string; state: { status: number; restarts: number } }> {
  const state = { status: 200, restarts: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/restart') {
      state.restarts += 1;
      state.status = 200;
    }
    res.writeHead(req.url === '/restart' ? 200 : state.status).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

const SCRIPT = "console.log('service ready'); console.error('disk almost full'); setInterval(() => {}, 1000)";

// The operator API of the self-healing fabric, called as Next.js calls it, with API tokens of
// each role against a real worker running real modules.
describe('module and incident web routes', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;
  let flaky: Awaited<ReturnType<typeof flakyService>>;
  const request = (url: string, init: { token?: string; json?: unknown; method?: string }) => routeRequest(url, init);
  const moduleNamed = async (name: string) => {
    const { GET } = await import('@/app/api/modules/route');
    const modules = (await (await GET(request('/api/modules', { token: tokens.viewer }), routeParams())).json()) as ModuleView[];
    return modules.find((m) => m.name === name);
  };

  beforeAll(async () => {
    t = await startTestWorker();
    flaky = await flakyService();
    writeFileSync(
      t.env.configPath,
      [
        'modules:',
        `  - { name: svc, kind: process, command: ${JSON.stringify([process.execPath, '-e', SCRIPT])}, intervalSeconds: 1 }`,
        `  - { name: gate, kind: http, url: "${flaky.url}/health", intervalSeconds: 1, failureThreshold: 1, autonomy: approval, restart: { http: "${flaky.url}/restart" } }`,
      ].join('\n'),
    );
    t.worker.config.reload();
    tokens = await connectWebRoutes(t, ['viewer', 'operator', 'admin']);
    await waitFor(() => t.worker.healing.engine.list().filter((m) => m.state === 'up').length === 2, { timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
    flaky.server.close();
  });

  it("lists modules and a supervised process's output (stderr apart) for viewers", async () => {
    const svc = await moduleNamed('svc');
    expect(svc).toMatchObject({ kind: 'process', state: 'up', source: 'config', restarts: 0, pid: expect.any(Number) });
    const logs = await (
      await import('@/app/api/modules/[name]/logs/route')
    ).GET(request('/api/modules/svc/logs', { token: tokens.viewer }), routeParams({ name: 'svc' }));
    const lines = ((await logs.json()) as ModuleLogsView).lines;
    expect(lines).toContainEqual(expect.objectContaining({ stream: 'stdout', text: 'service ready' }));
    expect(lines).toContainEqual(expect.objectContaining({ stream: 'stderr', text: 'disk almost full' }));
  });

  it('lets operators restart, pause and resume with a reason, audited under their name; viewers cannot', async () => {
    const { POST } = await import('@/app/api/modules/[name]/control/route');
    const control = (name: string, token: string, json: unknown) => POST(request(`/api/modules/${name}/control`, { token, json }), routeParams({ name }));
    expect((await control('svc', tokens.viewer, { action: 'restart', reason: 'stuck' })).status).toBe(403);
    expect((await control('svc', tokens.operator, { action: 'restart', reason: '' })).status).toBe(422);
    expect((await control('svc', tokens.operator, { action: 'reboot', reason: 'stuck workers' })).status).toBe(422);
    const missing = await control('nope', tokens.operator, { action: 'pause', reason: 'not there' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');

    const before = (await moduleNamed('svc'))!.pid;
    const restarted = await control('svc', tokens.operator, { action: 'restart', reason: 'stuck workers' });
    expect(restarted.status).toBe(200);
    const view = (await restarted.json()) as ModuleView;
    expect(view.restarts).toBe(1);
    expect(view.pid).not.toBe(before);
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'module.restart_requested' } });
    expect(audited).toMatchObject({ actor: 'token:operator', reason: 'stuck workers', module: 'svc' });

    expect(((await (await control('svc', tokens.operator, { action: 'pause', reason: 'host maintenance' })).json()) as ModuleView).state).toBe('paused');
    expect(((await (await control('svc', tokens.operator, { action: 'resume', reason: 'maintenance over' })).json()) as ModuleView).state).toBe('pending');
    await waitFor(async () => (await moduleNamed('svc'))?.state === 'up');
  });

  it('defines console modules: operators the kinds without programs, admins the rest; 422 names the field', async () => {
    const { POST } = await import('@/app/api/modules/route');
    const { DELETE } = await import('@/app/api/modules/[name]/route');
    const define = (token: string, json: unknown) => POST(request('/api/modules', { token, json }), routeParams());
    expect((await define(tokens.viewer, { name: 'web', kind: 'tcp', host: '127.0.0.1', port: 9 })).status).toBe(403);
    const bad = await define(tokens.operator, { name: 'web', kind: 'http', url: 'ftp://example.org' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toMatch(/^url: /);
    const command = { name: 'job', kind: 'command', command: ['true'] };
    expect((await define(tokens.operator, command)).status).toBe(403);
    expect((await define(tokens.operator, { name: 'gate', kind: 'tcp', host: '127.0.0.1', port: 9 })).status).toBe(409);

    const created = await define(tokens.operator, { name: 'web', kind: 'tcp', host: '127.0.0.1', port: 9 });
    expect(await created.json()).toMatchObject({ name: 'web', kind: 'tcp', source: 'console' });
    expect((await define(tokens.admin, command)).status).toBe(200);
    expect((await DELETE(request('/api/modules/job', { token: tokens.operator, method: 'DELETE' }), routeParams({ name: 'job' }))).status).toBe(403);
    expect((await DELETE(request('/api/modules/job', { token: tokens.admin, method: 'DELETE' }), routeParams({ name: 'job' }))).status).toBe(200);
    expect((await DELETE(request('/api/modules/web', { token: tokens.operator, method: 'DELETE' }), routeParams({ name: 'web' }))).status).toBe(200);
    expect((await DELETE(request('/api/modules/gate', { token: tokens.admin, method: 'DELETE' }), routeParams({ name: 'gate' }))).status).toBe(409);
    expect(await moduleNamed('web')).toBeUndefined();
  });

  it('holds a restart for approval, lets an operator approve it, and shows the incident with its timeline', async () => {
    const { POST: approval } = await import('@/app/api/modules/[name]/approval/route');
    const decide = (token: string, approve: unknown) =>
      approval(request('/api/modules/gate/approval', { token, json: { approve } }), routeParams({ name: 'gate' }));
    expect((await decide(tokens.operator, true)).status).toBe(409);

    flaky.state.status = 500;
    await waitFor(async () => (await moduleNamed('gate'))?.pendingApproval === 'restart', { timeoutMs: 15_000 });
    const { GET: list } = await import('@/app/api/incidents/route');
    const open = (await (await list(request('/api/incidents', { token: tokens.viewer }), routeParams())).json()) as IncidentListView;
    expect(open.open).toEqual([expect.objectContaining({ module: 'gate', state: 'open' })]);
    expect(flaky.state.restarts).toBe(0);

    expect((await decide(tokens.viewer, true)).status).toBe(403);
    expect((await decide(tokens.operator, 'yes')).status).toBe(422);
    expect((await decide(tokens.operator, true)).status).toBe(200);
    expect(flaky.state.restarts).toBe(1);
    await waitFor(async () => (await moduleNamed('gate'))?.state === 'up', { timeoutMs: 15_000 });

    const { GET: one } = await import('@/app/api/incidents/[id]/route');
    const id = open.open[0].id;
    const detail = await waitFor(async () => {
      const body = (await (await one(request(`/api/incidents/${id}`, { token: tokens.viewer }), routeParams({ id }))).json()) as IncidentDetailView;
      return body.state === 'resolved' ? body : null;
    });
    expect(detail.mttrMs).toEqual(expect.any(Number));
    const kinds = detail.steps.map((s) => s.kind);
    expect(kinds[0]).toBe('detected');
    expect(kinds).toEqual(expect.arrayContaining(['approval', 'action', 'verified', 'resolved']));
    expect(detail.steps.find((s) => s.kind === 'approval' && s.details.approved === true)?.message).toMatch(/approved by token:operator/);

    expect((await one(request('/api/incidents/..%2Fx', { token: tokens.viewer }), routeParams({ id: '../x' }))).status).toBe(422);
    expect(
      (
        await one(
          request('/api/incidents/00000000-0000-0000-0000-000000000000', { token: tokens.viewer }),
          routeParams({ id: '00000000-0000-0000-0000-000000000000' }),
        )
      ).status,
    ).toBe(404);
  });
});
