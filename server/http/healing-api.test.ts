import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalToken } from '../auth/keys';
import { api, startTestWorker, TEST_API_TOKEN, TEST_SECRET, waitFor, type TestWorker, createRoleToken } from '../test-support';
import type { ModuleView } from '../healing';

let t: TestWorker;
let operator: string;
const PUSH_TOKEN = 'push-token-0123456789abcdef';

beforeAll(async () => {
  t = await startTestWorker();
  operator = await createRoleToken(t, 'operator', 'ops');
  writeFileSync(
    t.env.configPath,
    [
      'modules:',
      `  - { name: beat, kind: push, token: ${PUSH_TOKEN}, critical: true, intervalSeconds: 1, failureThreshold: 1, detection: { heartbeatSeconds: 2 } }`,
      '  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 1, failureThreshold: 1 }',
    ].join('\n'),
  );
  t.worker.config.reload();
  await waitFor(() => t.worker.healing.engine.list().length === 2);
});
afterAll(() => t.destroy());

describe('modules over the machine API', () => {
  it('lists modules in the documented shape', async () => {
    await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'closed')?.state === 'down', { timeoutMs: 10_000 });
    const res = await api<ModuleView[]>(t.port, '/api/v1/modules', { token: TEST_API_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body.find((m) => m.name === 'closed')).toMatchObject({
      id: 'closed',
      name: 'closed',
      kind: 'tcp',
      state: 'down',
      restarts: 0,
      source: 'config',
    });
    expect((await api(t.port, '/api/v1/modules')).status).toBe(401);
  });

  it('takes heartbeats on the push URL, and a lost heartbeat takes the module down', async () => {
    expect((await api(t.port, '/api/v1/push/not-a-token-of-any-module', { method: 'POST' })).status).toBe(404);
    expect((await api<{ module: string }>(t.port, `/api/v1/push/${PUSH_TOKEN}`)).body).toEqual({ ok: true, module: 'beat' });
    await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'beat')?.state === 'up');
    await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'beat')?.state === 'down', { timeoutMs: 6000 });
    expect(t.worker.healing.engine.list().find((m) => m.name === 'beat')?.message).toMatch(/no heartbeat for \d+ s \(limit 2 s\)/);
  });

  it('counts failing modules in the health score, critical ones more', async () => {
    await t.worker.monitor.tick();
    const deduction = t.worker.monitor.current()!.deductions.find((d) => d.factor === 'modules');
    expect(deduction).toMatchObject({ points: 33, detail: 'beat down (critical), closed down' });
  });

  it("defines console modules: 422 naming the field, commands for admins only, config names are the file's", async () => {
    const bad = await api<{ error: { message: string } }>(t.port, '/api/v1/modules', { token: operator, json: { name: 'x', kind: 'http', url: 'ftp://nope' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/url/);
    expect((await api(t.port, '/api/v1/modules', { token: operator, json: { name: 'cmd', kind: 'command', command: ['true'] } })).status).toBe(403);
    expect((await api(t.port, '/api/v1/modules', { token: operator, json: { name: 'closed', kind: 'tcp', host: 'x', port: 2 } })).status).toBe(409);
    const created = await api<ModuleView>(t.port, '/api/v1/modules', {
      token: TEST_API_TOKEN,
      json: { name: 'cmd', kind: 'command', command: ['true'], intervalSeconds: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'cmd', kind: 'command', source: 'console' });
    await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'cmd')?.state === 'up');
    expect((await api(t.port, '/api/v1/modules/cmd', { method: 'DELETE', token: TEST_API_TOKEN })).status).toBe(200);
    expect(t.worker.healing.engine.list().map((m) => m.name)).toEqual(['beat', 'closed']);
  });

  it('pauses and resumes a module for an operator, with a reason, through the internal API', async () => {
    const key = internalToken(TEST_SECRET);
    const actor = { name: 'alice', role: 'operator' };
    expect((await api(t.port, '/internal/v1/healing/modules/closed/pause', { token: key, json: { actor, reason: '' } })).status).toBe(422);
    const paused = await api<ModuleView>(t.port, '/internal/v1/healing/modules/closed/pause', {
      token: key,
      json: { actor, reason: 'maintenance of the db host' },
    });
    expect(paused.body.state).toBe('paused');
    const resumed = await api<ModuleView>(t.port, '/internal/v1/healing/modules/closed/resume', { token: key, json: { actor, reason: 'done' } });
    expect(resumed.body.state).toBe('pending');
    expect((await api(t.port, '/internal/v1/healing/modules/closed/restart', { token: key, json: { actor, reason: 'try it' } })).status).toBe(409);
  });
});
