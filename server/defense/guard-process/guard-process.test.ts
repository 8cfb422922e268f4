import { setTimeout as idle } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor, type TestWorker } from '../../test-support';
import { GUARD_TEST_CONFIG, internalCall, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { IDLE_PAST_NODE_DEFAULT_MS, KeptAliveConnection } from '../../test-support/kept-alive-connection';

/**
 * The dedicated guard process, started by a real worker (VIGIL_GUARD_PORT), answers on its own
 * port exactly as the worker does, from the state the worker feeds it, and its passed checks
 * reach the worker's detectors.
 */
describe('the dedicated guard process (real worker, SQLite)', () => {
  let t: TestWorker;
  let guardPort: number;
  const forwarded = (xff: string) => guardCheck(guardPort, { headers: { 'x-forwarded-for': xff } });
  const isolate = (source: string, duration = '1h') =>
    api(t.port, '/api/v1/isolations', { json: { source, duration, reason: 'guard process test' }, token: TEST_API_TOKEN });
  const refusedAtGuard = (xff: string, status = 403) =>
    waitFor(async () => ((await forwarded(xff)).status === status ? true : null), { what: `the guard process answering ${status} for ${xff}` });

  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: GUARD_TEST_CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
    guardPort = t.worker.guard!.port!;
    const isolations = await Promise.all(['203.0.113.50', '2001:db8::/48', '198.51.100.128/25'].map((source) => isolate(source)));
    expect(isolations.map((res) => res.status)).toEqual([201, 201, 201]);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('listens on a port of its own, in a process of its own, and says so at /healthz', async () => {
    expect(guardPort).not.toBe(t.port);
    expect(t.worker.guard!.pid).not.toBe(process.pid);
    const health = await api<{ status: string; role: string }>(guardPort, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', role: 'guard' });
    expect((await api(guardPort, '/api/v1/isolations', { token: TEST_API_TOKEN })).status).toBe(404);
  });

  it('keeps an idle connection from nginx open past Node’s default 5 s, and answers on it', { timeout: 60_000 }, async () => {
    const connection = await KeptAliveConnection.open(guardPort);
    try {
      expect((await connection.get('/healthz')).status).toBe(200);
      // The idle period is the scenario itself: nginx reuses its upstream connections up to 60 s.
      await idle(IDLE_PAST_NODE_DEFAULT_MS);
      expect(connection.open).toBe(true);
      expect((await connection.get('/healthz')).status).toBe(200);
    } finally {
      connection.destroy();
    }
  });

  it('answers like the worker: headers, isolations, ranges, IPv6 and the trusted proxy', async () => {
    await refusedAtGuard('203.0.113.50');
    for (const port of [guardPort, t.port]) {
      const pass = await api(port, '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.51' } });
      expect([pass.status, pass.headers.get('x-content-type-options'), pass.headers.get('cache-control'), pass.headers.get('x-vigil-decision')]).toEqual([
        204,
        'nosniff',
        'no-store',
        null,
      ]);
      const refused = await api(port, '/guard/check?from=nginx', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.50' } });
      expect([refused.status, refused.headers.get('cache-control'), refused.headers.get('x-vigil-decision')]).toEqual([403, 'no-store', 'isolated']);
    }
    expect((await forwarded('203.0.113.50, 127.0.0.1')).status).toBe(403);
    expect((await forwarded('203.0.113.50, 198.51.100.1')).status).toBe(204);
    expect((await guardCheck(guardPort, { headers: { 'x-real-ip': '203.0.113.50' } })).status).toBe(403);
    expect(await guardCheck(guardPort, { from: '127.0.0.3', headers: { 'x-forwarded-for': '203.0.113.50' } })).toEqual({ status: 204, decision: null });
    expect((await forwarded('198.51.100.200')).status).toBe(403);
    expect((await forwarded('198.51.100.127')).status).toBe(204);
    expect((await forwarded('2001:db8:0:7::1')).status).toBe(403);
    expect((await forwarded('2001:db9::1')).status).toBe(204);
  });

  it('follows LOCKDOWN and its lift; the allowlist passes a lockdown', async () => {
    expect((await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'guard process lockdown' })).status).toBe(200);
    try {
      await refusedAtGuard('198.51.100.2');
      expect(await forwarded('198.51.100.2')).toEqual({ status: 403, decision: 'lockdown' });
      expect(await forwarded('192.0.2.77')).toEqual({ status: 204, decision: null });
      expect(await guardCheck(guardPort, { from: '127.0.0.9' })).toEqual({ status: 204, decision: null });
    } finally {
      expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'done' })).status).toBe(200);
    }
    await refusedAtGuard('198.51.100.2', 204);
  });

  it('enforces an isolation made through the API, and lifts it on release and on expiry', async () => {
    expect((await isolate('203.0.113.60')).status).toBe(201);
    await refusedAtGuard('203.0.113.60');
    expect((await api(t.port, '/api/v1/isolations/203.0.113.60', { method: 'DELETE', token: TEST_API_TOKEN })).status).toBe(200);
    await refusedAtGuard('203.0.113.60', 204);
    expect((await isolate('203.0.113.61', '2s')).status).toBe(201);
    await refusedAtGuard('203.0.113.61');
    await waitFor(async () => ((await forwarded('203.0.113.61')).status === 204 ? true : null), { what: 'the expiry lifted at the guard process' });
  });

  it('hands every passed check to the detectors: a flood through it is isolated there', async () => {
    const checksBefore = t.worker.defense.guardStats.checks;
    for (let i = 0; i < 20; i++) expect((await forwarded('198.51.100.99')).status).toBe(204);
    expect(await waitFor(() => t.worker.defense.blocklist.get('198.51.100.99'), { what: 'the automatic isolation' })).toMatchObject({
      origin: 'auto',
      scenario: 'flood',
    });
    await refusedAtGuard('198.51.100.99');
    expect(t.worker.defense.guardStats.checks - checksBefore).toBeGreaterThanOrEqual(21);
    expect((await forwarded('198.51.100.98')).status).toBe(204);
    for (let i = 0; i < 30; i++) expect((await forwarded('192.0.2.5')).status).toBe(204);
    expect(t.worker.defense.blocklist.get('192.0.2.5')).toBeUndefined();
  });
});
