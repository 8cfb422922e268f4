import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, readWholeChain, startTestWorker, TEST_API_TOKEN, waitFor, type TestWorker, createRoleToken } from '../test-support';
import { severityFromLabel } from './routes/alertmanager-routes';

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
  t = await startTestWorker();
  viewer = await createRoleToken(t, 'viewer', 'reader');
  writeFileSync(
    t.env.configPath,
    ['modules:', '  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 1, failureThreshold: 1 }', `  - { name: self, kind: http, url: "http://127.0.0.1:${t.port}/healthz", intervalSeconds: 1 }`].join('\n'),
  );
  t.worker.config.reload();
  await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'closed')?.state === 'down', { timeoutMs: 10_000 });
  await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === 'self')?.state === 'up', { timeoutMs: 10_000 });
});
afterAll(() => t?.destroy());

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
  const payload = (alerts: unknown[]) => ({ version: '4', status: 'firing', receiver: 'vigil', groupKey: '{}:{}', alerts });
  const firing = (labels: Record<string, string>) => ({ status: 'firing', labels, annotations: { summary: 'it broke' }, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: randomUUID().slice(0, 16) });

  it('needs an operator token', async () => {
    expect((await api(t.port, '/api/v1/alertmanager', { json: payload([]) })).status).toBe(401);
    expect((await api(t.port, '/api/v1/alertmanager', { token: viewer, json: payload([]) })).status).toBe(403);
  });

  it('rejects a malformed payload with 422 naming the field', async () => {
    const res = await api<{ error: { message: string } }>(t.port, '/api/v1/alertmanager', { token: TEST_API_TOKEN, json: payload([{ ...firing({ alertname: 'x' }), startsAt: 'yesterday' }]) });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('alerts.0.startsAt');
  });

  it('records each firing alert as an audit event, tied to a known module', async () => {
    const alerts = [firing({ alertname: 'ClosedDown', severity: 'critical', job: 'closed' }), firing({ alertname: 'DiskFull', severity: 'warning', instance: 'db1' }), { ...firing({ alertname: 'Old' }), status: 'resolved' }];
    const res = await api<{ received: number; recorded: number; moduleSignals: number }>(t.port, '/api/v1/alertmanager', { token: TEST_API_TOKEN, json: payload(alerts) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 3, recorded: 2, moduleSignals: 1 });
    await t.worker.audit.flush();
    const received = (await readWholeChain(t.worker.database)).filter((e) => e.type === 'alert.received');
    expect(received).toHaveLength(2);
    const closed = received.find((e) => e.details.alertname === 'ClosedDown');
    expect(closed).toMatchObject({ severity: 'critical', module: 'closed', reason: 'it broke', method: 'alertmanager', resource: alerts[0].fingerprint });
    expect(received.find((e) => e.details.alertname === 'DiskFull')).toMatchObject({ severity: 'warning', module: 'alertmanager' });
  });

  it('maps free-form severities onto Vigil severities', () => {
    expect(severityFromLabel('page')).toBe('critical');
    expect(severityFromLabel('ERROR')).toBe('high');
    expect(severityFromLabel('info')).toBe('info');
    expect(severityFromLabel(undefined)).toBe('notice');
  });
});
