import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView } from '@/lib/alerts/alert-views';
import { startDefenseWorker, internalCall } from '../test-support/defense-worker';
import { internalToken } from '../auth/keys';
import { api, TEST_SECRET, waitFor, type TestWorker } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

let t: TestWorker | null = null;
let hook: StubHttpServer | null = null;
afterEach(async () => {
  await t?.destroy();
  await hook?.close();
  t = null;
  hook = null;
});

const rulesOf = (server: StubHttpServer) => server.requests.map((request) => (JSON.parse(request.body) as { alert: { rule: string } }).alert.rule);

describe('alerting in the worker, with nothing configured but one webhook channel', () => {
  it('pages a critical threat and a broken audit chain through the shipped rules; the console acknowledges', async () => {
    hook = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, {}));
    t = await startDefenseWorker({ yaml: `notifications:\n  channels:\n    - { name: hook, kind: webhook, url: "${hook.url}/in" }\n` });
    const worker = t.worker;
    await worker.audit.append({ type: 'defense.threat', severity: 'critical', actor: 'system', action: 'credential stuffing detected', module: 'defense' });
    await waitFor(() => rulesOf(hook!).includes('critical threat'), { timeoutMs: 10_000 });

    // Someone edits a stored event: the next verification breaks the chain, once.
    const victim = await worker.database.prisma.auditEvent.findFirstOrThrow({ where: { type: 'defense.threat' } });
    await worker.database.prisma.auditEvent.update({ where: { seq: victim.seq }, data: { action: 'nothing happened' } });
    expect((await worker.integrity.verify('full')).ok).toBe(false);
    expect((await worker.integrity.verify('full')).ok).toBe(false);
    await waitFor(() => rulesOf(hook!).includes('audit chain broken'), { timeoutMs: 10_000 });
    const broken = await worker.database.prisma.auditEvent.findMany({ where: { type: 'audit.verify_failed' } });
    expect(broken).toHaveLength(1);

    const overview = await internalCall<{ alerts: AlertView[] }>(t.port, '/internal/v1/alerts');
    const threat = overview.body.alerts.find((alert) => alert.rule === 'critical threat')!;
    expect(threat).toMatchObject({ state: 'firing', count: 1 });
    const acked = await internalCall<AlertView>(t.port, `/internal/v1/alerts/${threat.id}/acknowledge`, { actor: 'alice', comment: 'looking' });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'alice' });
    const bad = await internalCall(t.port, '/internal/v1/alerts/silences', { matchers: [], durationMinutes: 5, comment: 'x', actor: 'alice' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('matchers');
  });

  it('refuses a console rule routed to a channel that is not configured, naming the field, and keeps the rules as they were', async () => {
    hook = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, {}));
    t = await startDefenseWorker({ yaml: `notifications:\n  channels:\n    - { name: hook, kind: webhook, url: "${hook.url}/in" }\n` });
    const rule = { name: 'deploys', events: ['app.custom'] };
    const saveRule = <T>(json: unknown) => api<T>(t!.port, '/internal/v1/alerts/rules', { method: 'PUT', json, token: internalToken(TEST_SECRET) });
    const refused = await saveRule<{ error: { code: string; message: string } }>({ rule: { ...rule, channels: ['hook', 'hokk'] }, actor: 'alice' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unknown_channel', message: expect.stringMatching(/rule\.channels\.1: .*"hokk".*configured: hook/) });
    const rules = async () =>
      (await internalCall<{ rules: { rule: { name: string } }[] }>(t!.port, '/internal/v1/alerts')).body.rules.map((view) => view.rule.name);
    expect(await rules()).not.toContain('deploys');
    expect((await saveRule({ rule: { ...rule, channels: ['hook'] }, actor: 'alice' })).status).toBe(200);
    expect(await rules()).toContain('deploys');
  });
});

describe('a silence an operator makes on a name that is no label', () => {
  // A missing label reads as '' (as in Alertmanager), which `x*` does not match; an inherited one used to read as a function and throw.
  it('matches nothing: inherited names (constructor, __proto__, toString) neither break alerting nor mute it', async () => {
    hook = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, {}));
    t = await startDefenseWorker({ yaml: `notifications:\n  channels:\n    - { name: hook, kind: webhook, url: "${hook.url}/in" }\n` });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const made = await internalCall(t.port, '/internal/v1/alerts/silences', {
        matchers: [{ name, value: 'x*' }],
        durationMinutes: 60,
        comment: 'mine',
        actor: 'mallory',
      });
      expect(made.status, name).toBe(201);
    }
    await t.worker.audit.append({ type: 'defense.threat', severity: 'critical', actor: 'system', action: 'credential stuffing detected', module: 'defense' });
    await waitFor(() => rulesOf(hook!).includes('critical threat'), { timeoutMs: 10_000 });
  });
});
