import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { ALERT_NAMES } from '../notify/alertmanager-alerts';
import { createRoleToken, findFreePort, makeTempDir, readWholeChain, startTestWorker, waitFor, type TempDir, type TestWorker } from '../test-support';
import { alertmanagerPath, prometheusPath, startAlertmanager, startPrometheus, type RunningDaemon } from '../test-support/prometheus-stack';

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  endsAt: string;
}

/**
 * Both directions against the real programs (Debian's prometheus-alertmanager 0.25 and
 * prometheus 2.42): Vigil's alertmanager channel posts to a real Alertmanager, whose webhook
 * receiver is the worker's /api/v1/alertmanager, and a real Prometheus scrapes the worker's
 * /metrics and fires a rule through the same Alertmanager.
 */
describe('Vigil and a real Alertmanager, both ways', () => {
  let t: TestWorker;
  let dir: TempDir;
  let am: RunningDaemon;
  let prom: RunningDaemon | null = null;
  let apiPort: number;
  let apiServer: Server | null = null;

  const amAlerts = async (): Promise<GettableAlert[]> => (await fetch(`${am.url}/api/v2/alerts`)).json() as Promise<GettableAlert[]>;
  const audit = async (type: string): Promise<ChainedAuditEvent[]> => {
    await t.worker.audit.flush();
    return (await readWholeChain(t.worker.database)).filter((event) => event.type === type);
  };
  const steps = async (incidentId: string) => (await t.worker.healing.incident(incidentId)).steps;
  const diagnostics = () => `\n--- alertmanager ---\n${am.output()}\n--- prometheus ---\n${prom?.output() ?? '(not running)'}`;

  beforeAll(async () => {
    dir = makeTempDir('vigil-alertmanager-');
    t = await startTestWorker();
    const token = await createRoleToken(t, 'operator', 'alertmanager');
    am = await startAlertmanager({
      binary: alertmanagerPath(),
      dir: dir.path,
      port: await findFreePort(),
      webhookUrl: `http://127.0.0.1:${t.port}/api/v1/alertmanager`,
      bearerToken: token,
    });
    // Nothing listens on the module's port yet: it starts down.
    apiPort = await findFreePort();
    writeFileSync(
      t.env.configPath,
      [
        'modules:',
        `  - { name: api, kind: tcp, host: 127.0.0.1, port: ${apiPort}, intervalSeconds: 1, failureThreshold: 1 }`,
        'notifications:',
        '  channels:',
        `    - { name: am, kind: alertmanager, urls: ["${am.url}"], instance: vigil-test, labels: { env: test }, retries: 2 }`,
      ].join('\n'),
    );
    t.worker.config.reload();
    const rules = [
      'groups:',
      '  - name: vigil',
      '    rules:',
      '      - alert: ApiDownSeenByPrometheus',
      '        expr: vigil_module_up{module="api"} == 0',
      '        labels: { severity: high }',
      '        annotations: { summary: "api does not answer (vigil_module_up == 0)" }',
    ].join('\n');
    prom = await startPrometheus({
      binary: prometheusPath(),
      dir: dir.path,
      port: await findFreePort(),
      scrapeTarget: `127.0.0.1:${t.port}`,
      alertmanager: `127.0.0.1:${am.port}`,
      rules,
    });
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await am?.stop();
    await t?.destroy();
    await new Promise<void>((resolve) => (apiServer ? apiServer.close(() => resolve()) : resolve()));
    dir?.remove();
  });

  let incidentId: string;

  it("posts Vigil's incident to Alertmanager, which routes it back to the worker", async () => {
    incidentId = await waitFor(() => t.worker.healing.engine.runtime('api')?.incidentId, { what: 'an incident for api' });
    const sent = await waitFor(async () => (await amAlerts()).find((alert) => alert.labels.vigil_incident === incidentId), {
      timeoutMs: 20_000,
      what: `Vigil's alert in Alertmanager${diagnostics()}`,
    });
    const incident = t.worker.healing.engine.incidents.get(incidentId)!;
    expect(sent.labels).toEqual({
      alertname: ALERT_NAMES[incident.failureClass],
      module: 'api',
      severity: incident.severity,
      instance: 'vigil-test',
      vigil_incident: incidentId,
      env: 'test',
    });
    expect(sent.annotations).toMatchObject({ summary: incident.title, failure_class: incident.failureClass });
    expect(Number(sent.annotations.escalation_level)).toBeGreaterThanOrEqual(3);
    expect(sent.status.state).toBe('active');
    // The delivery is audited once Alertmanager has answered, a moment after it listed the alert.
    await waitFor(async () => (await audit('notification.sent')).some((e) => e.method === 'alertmanager' && e.details.incidentId === incidentId), {
      what: 'the delivery audited',
    });

    // Back through the webhook receiver: recorded, and noted on the incident, but no second incident.
    const echoed = await waitFor(async () => (await steps(incidentId)).find((step) => step.kind === 'alert_received' && step.details.own === true), {
      timeoutMs: 20_000,
      what: `the alert routed back${diagnostics()}`,
    });
    expect(echoed.details).toMatchObject({ alertname: sent.labels.alertname, actor: 'token:alertmanager' });
    const [received] = (await audit('alert.received')).filter((e) => e.details.routedTo === 'own');
    expect(received).toMatchObject({ actor: 'token:alertmanager', module: 'api', method: 'alertmanager' });
    expect(t.worker.healing.engine.incidents.externalIncidents()).toEqual([]);
  }, 60_000);

  it("folds Prometheus' alert about the module into the same incident", async () => {
    const step = await waitFor(
      async () => (await steps(incidentId)).find((s) => s.kind === 'alert_received' && s.details.alertname === 'ApiDownSeenByPrometheus'),
      { timeoutMs: 30_000, what: `the Prometheus alert on the incident${diagnostics()}` },
    );
    expect(step.details).toMatchObject({ severity: 'high', summary: 'api does not answer (vigil_module_up == 0)' });
    expect(t.worker.healing.engine.incidents.externalIncidents()).toEqual([]);
  }, 60_000);

  it('resolves the alert in Alertmanager when the module recovers, and the resolution comes back', async () => {
    apiServer = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => apiServer!.listen(apiPort, '127.0.0.1', resolve));
    await waitFor(() => t.worker.healing.engine.incidents.get(incidentId) === undefined, { timeoutMs: 20_000, what: 'the incident resolved' });
    await waitFor(async () => (await audit('notification.sent')).some((e) => e.details.kind === 'recovery' && e.details.incidentId === incidentId), {
      what: 'the recovery notice delivered',
    });
    // Alertmanager lists only alerts that have not ended.
    await waitFor(async () => !(await amAlerts()).some((alert) => alert.labels.vigil_incident === incidentId), {
      timeoutMs: 20_000,
      what: `the alert gone from Alertmanager${diagnostics()}`,
    });
    const resolved = await waitFor(
      async () => (await audit('alert.resolved')).find((e) => (e.details.labels as Record<string, string>).vigil_incident === incidentId),
      { timeoutMs: 20_000, what: `the resolution routed back${diagnostics()}` },
    );
    expect(resolved).toMatchObject({ actor: 'token:alertmanager', severity: 'info', details: { routedTo: 'own' } });
    await waitFor(async () => (await audit('alert.resolved')).some((e) => e.details.alertname === 'ApiDownSeenByPrometheus'), {
      timeoutMs: 30_000,
      what: `Prometheus' alert resolved${diagnostics()}`,
    });
  }, 90_000);

  it("opens an incident from another system's alert, deduplicates it, and closes it on resolution", async () => {
    const labels = { alertname: 'ApiSlow', module: 'api', severity: 'warning' };
    const post = (body: unknown) =>
      fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post([{ labels, annotations: { summary: 'p95 over 2 s' } }])).status).toBe(200);
    const incident = await waitFor(() => t.worker.healing.engine.incidents.externalIncidents().find((i) => i.module === 'api'), {
      timeoutMs: 20_000,
      what: `an incident from the alert${diagnostics()}`,
    });
    expect(incident).toMatchObject({ title: 'api: p95 over 2 s', severity: 'warning', state: 'open' });
    // The same alert again, as a Prometheus would resend it every evaluation: still one incident, one step.
    expect((await post([{ labels, annotations: { summary: 'p95 over 2 s' } }])).status).toBe(200);
    expect((await post([{ labels, endsAt: new Date().toISOString() }])).status).toBe(200);
    await waitFor(() => t.worker.healing.engine.incidents.get(incident.id) === undefined, {
      timeoutMs: 20_000,
      what: `the alert incident closed${diagnostics()}`,
    });
    const detail = await t.worker.healing.incident(incident.id);
    expect(detail.state).toBe('resolved');
    expect(detail.steps.map((s) => s.kind)).toEqual(['alert_received', 'alert_resolved', 'resolved']);
    expect(t.worker.healing.engine.incidents.externalIncidents()).toEqual([]);
  }, 60_000);
});
