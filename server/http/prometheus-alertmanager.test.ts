import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, readWholeChain, startTestWorker, TEST_API_TOKEN, waitFor, type TestWorker, createRoleToken } from '../test-support';
import { severityFromLabel } from '@/lib/alerts/alertmanager-webhook';

/** The value of one sample in Prometheus text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const scrape = async (port: number) => {
  const res = await api<string>(port, '/metrics');
  return { ...res, body: res.text };
};

let t: TestWorker;
let viewer: string;

beforeAll(async () => {
  await openSwitch();
  t = await startTestWorker();
  viewer = await createRoleToken(t, 'viewer', 'reader');
  writeFileSync(
    t.env.configPath,
    [
      'modules:',
      '  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 1, failureThreshold: 1 }',
      `  - { name: self, kind: http, url: "http://127.0.0.1:${t.port}/healthz", intervalSeconds: 1 }`,
      `  - { name: switchable, kind: tcp, host: 127.0.0.1, port: ${switchPort}, intervalSeconds: 1, failureThreshold: 1 }`,
      'defense:',
      '  scenarios:',
      '    - { name: brute-force-critical, kinds: [auth_failure], capacity: 10, windowSeconds: 600, level: critical }',
      // Each security alert is a threat on its own: Alertmanager already judged it.
      '    - { name: alerted, kinds: [custom], capacity: 1, level: critical }',
    ].join('\n'),
  );
  t.worker.config.reload();
  await waitFor(() => moduleState('closed') === 'down', { timeoutMs: 10_000 });
  await waitFor(() => moduleState('self') === 'up', { timeoutMs: 10_000 });
  await waitFor(() => moduleState('switchable') === 'up', { timeoutMs: 10_000 });
});
afterAll(async () => {
  await t?.destroy();
  await closeSwitch();
});

const moduleState = (name: string) => t.worker.healing.engine.list().find((m) => m.name === name)?.state;

/** A TCP listener the `switchable` module probes: closing it takes the module down. */
let switchServer: Server | null = null;
let switchPort = 0;
async function openSwitch(): Promise<void> {
  switchServer = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => switchServer!.listen(switchPort, '127.0.0.1', resolve));
  switchPort = (switchServer.address() as { port: number }).port;
}
const closeSwitch = () => new Promise<void>((resolve) => (switchServer ? switchServer.close(() => resolve()) : resolve()));

describe('GET /metrics', () => {
  it('serves Prometheus text without credentials, with the values the worker holds', async () => {
    const res = await scrape(t.port);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const score = t.worker.monitor.current()?.score;
    expect(score).toBeTypeOf('number');
    expect(sample(res.body, 'vigil_health_score')).toBe(score);
    expect(sample(res.body, 'vigil_degradation_level')).toBe(['NORMAL', 'LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'EMERGENCY'].indexOf(t.worker.monitor.currentLevel()));
    expect(sample(res.body, 'vigil_defense_mode')).toBe(0);
    expect(sample(res.body, 'vigil_isolations')).toBe(0);
    expect(sample(res.body, 'vigil_module_up{module="closed",kind="tcp"}')).toBe(0);
    expect(sample(res.body, 'vigil_module_state{module="closed",state="down"}')).toBe(1);
    expect(sample(res.body, 'vigil_module_state{module="closed",state="up"}')).toBe(0);
    expect(sample(res.body, 'vigil_module_up{module="self",kind="http"}')).toBe(1);
    expect(sample(res.body, 'vigil_module_state{module="self",state="up"}')).toBe(1);
    // No golden snapshot yet: the age is absent rather than a misleading 0.
    expect(res.body).not.toMatch(/^vigil_snapshot_newest_verified_golden_age_seconds\{/m);
    // prom-client's default process metrics.
    expect(res.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('reports the audit chain head the worker committed', async () => {
    await t.worker.audit.flush();
    const chain = await readWholeChain(t.worker.database);
    const head = sample((await scrape(t.port)).body, 'vigil_audit_chain_head');
    expect(head).toBeGreaterThan(0);
    expect(head).toBeGreaterThanOrEqual(chain[chain.length - 1].seq);
  });

  it('counts threats and isolations from the defense, and probe latencies per module', async () => {
    const events = Array.from({ length: 12 }, () => ({ type: 'auth_failure', source: '203.0.113.77', user: 'admin' }));
    expect((await api(t.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events } })).status).toBe(202);
    await waitFor(() => t.worker.defense.overview().isolationCount > 0, { what: 'the brute-force source isolated' });
    const body = (await scrape(t.port)).body;
    const threatLines = body.split('\n').filter((l) => l.startsWith('vigil_threats_total{'));
    expect(threatLines.length).toBeGreaterThan(0);
    expect(threatLines.some((l) => l.includes('level="critical"'))).toBe(true);
    expect(sample(body, 'vigil_isolations')).toBe(t.worker.defense.overview().isolationCount);
    // Every answered probe of the HTTP module is observed; a refused probe has no latency to observe.
    expect(sample(body, 'vigil_probe_latency_seconds_count{module="self"}')).toBeGreaterThan(0);
    expect(sample(body, 'vigil_probe_latency_seconds_bucket{le="+Inf",module="self"}')).toBe(sample(body, 'vigil_probe_latency_seconds_count{module="self"}'));
  });

  it('reports the age of the newest verified golden snapshot', async () => {
    const header = await t.worker.recovery.create({ tags: ['golden'], actor: 'test' });
    await t.worker.recovery.verify({ ref: header.id, actor: 'test' });
    const age = sample((await scrape(t.port)).body, `vigil_snapshot_newest_verified_golden_age_seconds{snapshot="${header.name}"}`);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
  });
});

describe('POST /api/v1/alertmanager', () => {
  type Answer = { received: number; recorded: number; duplicates: number; moduleSignals: number; incidentsOpened: number; threatSignals: number };
  const payload = (alerts: unknown[]) => ({ version: '4', status: 'firing', receiver: 'vigil', groupKey: '{}:{}', alerts });
  const firing = (labels: Record<string, string>, fingerprint = randomUUID().slice(0, 16)) => ({
    status: 'firing',
    labels,
    annotations: { summary: 'it broke' },
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint,
  });
  const resolved = (alert: ReturnType<typeof firing>) => ({ ...alert, status: 'resolved', endsAt: '2026-01-01T00:05:00Z' });
  const post = (alerts: unknown[]) => api<Answer>(t.port, '/api/v1/alertmanager', { token: TEST_API_TOKEN, json: payload(alerts) });
  const auditOf = async (type: string) => {
    await t.worker.audit.flush();
    return (await readWholeChain(t.worker.database)).filter((e) => e.type === type);
  };
  const alertIncidents = () => t.worker.healing.engine.incidents.externalIncidents();

  it('needs an operator token', async () => {
    expect((await api(t.port, '/api/v1/alertmanager', { json: payload([]) })).status).toBe(401);
    expect((await api(t.port, '/api/v1/alertmanager', { token: viewer, json: payload([]) })).status).toBe(403);
  });

  it('rejects a malformed payload with 422 naming the field', async () => {
    const res = await api<{ error: { message: string } }>(t.port, '/api/v1/alertmanager', {
      token: TEST_API_TOKEN,
      json: payload([{ ...firing({ alertname: 'x' }), startsAt: 'yesterday' }]),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('alerts.0.startsAt');
  });

  it('records each firing alert as an audit event, tied to a known module', async () => {
    const alerts = [
      firing({ alertname: 'ClosedDown', severity: 'critical', job: 'closed' }),
      firing({ alertname: 'DiskFull', severity: 'warning', instance: 'db1' }),
      { ...firing({ alertname: 'Old' }), status: 'resolved' },
    ];
    const res = await post(alerts);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 3, recorded: 2, duplicates: 0, moduleSignals: 1, incidentsOpened: 0, threatSignals: 0 });
    const received = await auditOf('alert.received');
    expect(received).toHaveLength(2);
    const closed = received.find((e) => e.details.alertname === 'ClosedDown');
    expect(closed).toMatchObject({ severity: 'critical', module: 'closed', reason: 'it broke', method: 'alertmanager', resource: alerts[0].fingerprint });
    expect(received.find((e) => e.details.alertname === 'DiskFull')).toMatchObject({
      severity: 'warning',
      module: 'alertmanager',
      details: { routedTo: 'external' },
    });
    // A module that is down already has the engine's incident: the alert joins it.
    const engineIncident = t.worker.healing.engine.runtime('closed')!.incidentId!;
    const steps = (await t.worker.healing.incident(engineIncident)).steps;
    expect(steps.find((s) => s.kind === 'alert_received')).toMatchObject({
      message: 'alert ClosedDown firing: it broke',
      details: { fingerprint: alerts[0].fingerprint, severity: 'critical' },
    });
    expect(alertIncidents().filter((i) => i.module === 'closed')).toEqual([]);
  });

  it('opens one incident per module for firing alerts, ignores resends, and closes it when all are resolved and the module is up', async () => {
    const disk = firing({ alertname: 'SelfDiskFull', severity: 'high', module: 'self' });
    const latency = firing({ alertname: 'SelfSlow', severity: 'warning', vigil_module: 'self', job: 'unrelated' });
    const first = await post([disk]);
    expect(first.body).toMatchObject({ recorded: 1, moduleSignals: 1, incidentsOpened: 1 });
    const [incident] = alertIncidents().filter((i) => i.module === 'self');
    expect(incident).toMatchObject({ severity: 'high', state: 'open', escalationLevel: 1, title: 'self: it broke' });
    // Alertmanager resends the whole group every group_interval: nothing new may come of it.
    const resent = await post([disk, latency]);
    expect(resent.body).toMatchObject({ received: 2, recorded: 1, duplicates: 1, moduleSignals: 1, incidentsOpened: 0 });
    expect(alertIncidents().filter((i) => i.module === 'self')).toHaveLength(1);

    await post([resolved(disk), latency]);
    expect(t.worker.healing.engine.incidents.get(incident.id)?.state).toBe('open');
    expect((await post([resolved(latency)])).body).toMatchObject({ recorded: 1 });
    const detail = await t.worker.healing.incident(incident.id);
    expect(detail.state).toBe('resolved');
    expect(detail.steps.map((s) => s.kind)).toEqual(['alert_received', 'alert_received', 'alert_resolved', 'alert_resolved', 'resolved']);
    expect(detail.steps.at(-1)!.message).toContain('all alerts resolved and self is up');
    expect((await auditOf('alert.resolved')).map((e) => e.details.alertname)).toEqual(['SelfDiskFull', 'SelfSlow']);
    // A resolved notification repeated is acknowledged, not recorded again.
    expect((await post([resolved(latency)])).body).toMatchObject({ recorded: 0 });
  });

  it('keeps an alert incident open while its module is down, and closes it once the module is up again', async () => {
    const alert = firing({ alertname: 'SwitchErrors', severity: 'warning', service: 'switchable' });
    await post([alert]);
    const [incident] = alertIncidents().filter((i) => i.module === 'switchable');
    await closeSwitch();
    await waitFor(() => moduleState('switchable') === 'down', { what: 'switchable down' });
    await post([resolved(alert)]);
    expect(t.worker.healing.engine.incidents.get(incident.id)?.state).toBe('open');
    await openSwitch();
    await waitFor(() => t.worker.healing.engine.incidents.get(incident.id) === undefined, { what: 'the alert incident closed', timeoutMs: 15_000 });
    expect((await t.worker.healing.incident(incident.id)).state).toBe('resolved');
  });

  it('turns a security alert with a source address into a defense signal, once', async () => {
    const alert = firing({ alertname: 'SshBruteForce', severity: 'critical', vigil_kind: 'threat', source_ip: '203.0.113.50', instance: '10.0.0.5:9100' });
    expect((await post([alert])).body).toMatchObject({ recorded: 1, threatSignals: 1, moduleSignals: 0 });
    await waitFor(() => t.worker.defense.overview().isolations.some((i) => i.source === '203.0.113.50'), { what: 'the alerted source isolated' });
    const threat = t.worker.defense.overview().threats.find((th) => th.source === '203.0.113.50');
    expect(threat).toMatchObject({ scenario: 'alerted', origin: 'alertmanager', level: 'critical' });
    expect((await post([alert])).body).toMatchObject({ duplicates: 1, threatSignals: 0 });
    const [event] = (await auditOf('alert.received')).filter((e) => e.details.alertname === 'SshBruteForce');
    expect(event).toMatchObject({ module: 'defense', source: '203.0.113.50', details: { routedTo: 'threat' } });
    // No usable address (the instance is our own scraped host): just an audit event.
    expect((await post([firing({ alertname: 'Scan', vigil_kind: 'threat', instance: '10.0.0.5' })])).body).toMatchObject({ recorded: 1, threatSignals: 0 });
  });

  it("takes Vigil's own alert coming back as a step on its incident, never as a new incident", async () => {
    const engineIncident = t.worker.healing.engine.runtime('closed')!.incidentId!;
    const before = alertIncidents().length;
    const res = await post([firing({ alertname: 'VigilModuleDown', module: 'closed', vigil_incident: engineIncident, severity: 'high' })]);
    expect(res.body).toMatchObject({ recorded: 1, moduleSignals: 0, incidentsOpened: 0 });
    expect(alertIncidents()).toHaveLength(before);
    const steps = (await t.worker.healing.incident(engineIncident)).steps;
    expect(steps.some((s) => s.kind === 'alert_received' && s.details.own === true)).toBe(true);
  });

  it('maps free-form severities onto Vigil severities', () => {
    expect(severityFromLabel('page')).toBe('critical');
    expect(severityFromLabel('ERROR')).toBe('high');
    expect(severityFromLabel('info')).toBe('info');
    expect(severityFromLabel(undefined)).toBe('notice');
  });
});
