import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefenseDecision, DefenseThreat } from '@/lib/defense/defense-types';
import type { BouncerDecision } from './decision-stream';
import { api, readWholeChain, TEST_API_TOKEN, TEST_SECRET, waitFor, type TestWorker } from '../test-support';
import { startDefenseWorker } from '../test-support/defense-worker';
import { guardCheck } from '../test-support/guard';
import { WorkerClient } from '../web/worker-client';

interface ErrorBody {
  error: { code: string; message: string };
}
const isolate = (port: number, json: unknown) => api<DefenseDecision & ErrorBody>(port, '/api/v1/isolations', { json, token: TEST_API_TOKEN });
const viaProxy = (port: number, client: string) => guardCheck(port, { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });

describe('guard and machine API (real worker, SQLite)', () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startDefenseWorker();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('passes unknown sources and blocks an isolated one behind the trusted proxy', async () => {
    expect(await viaProxy(t.port, '203.0.113.5')).toEqual({ status: 204, decision: null });
    const created = await isolate(t.port, { source: '203.0.113.5', duration: '1h', reason: 'manual test' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: '203.0.113.5', scope: 'ip', origin: 'manual', actor: 'token:VIGIL_API_TOKEN' });
    expect(Date.parse(created.body.expiresAt!) - Date.parse(created.body.createdAt)).toBe(3_600_000);
    expect(await viaProxy(t.port, '203.0.113.5')).toEqual({ status: 403, decision: 'isolated' });
    expect((await viaProxy(t.port, '203.0.113.6')).status).toBe(204);
    // X-Real-IP counts too when no X-Forwarded-For is given.
    expect((await guardCheck(t.port, { headers: { 'x-real-ip': '203.0.113.5' } })).status).toBe(403);
  });

  it('ignores forwarded headers from a peer that is not a trusted proxy', async () => {
    await isolate(t.port, { source: '198.51.100.66', indefinite: true, reason: 'spoof target' });
    const spoofed = await guardCheck(t.port, { from: '127.0.0.3', headers: { 'x-forwarded-for': '198.51.100.66', 'x-real-ip': '198.51.100.66' } });
    expect(spoofed.status).toBe(204);
    // Loopback is never isolated, so the isolated direct client is a peer address handed to the resolver
    // (nginx-guard.test.ts does the same through real sockets from a non-loopback address).
    await isolate(t.port, { source: '203.0.113.177', duration: 600, reason: 'direct client' });
    const hiding = t.worker.defense.resolver.resolve('203.0.113.177', '203.0.113.99', '203.0.113.98');
    expect(hiding).toBe('203.0.113.177');
    expect(t.worker.defense.check(hiding, '/')).toBe('isolated');
  });

  it('isolates CIDR ranges and never the allowlist', async () => {
    expect((await isolate(t.port, { source: '10.9.8.7/16', reason: 'bad network' })).body.source).toBe('10.9.0.0/16');
    expect((await viaProxy(t.port, '10.9.200.1')).status).toBe(403);
    expect((await viaProxy(t.port, '10.10.0.1')).status).toBe(204);
    const refused = await isolate(t.port, { source: '192.0.2.44', reason: 'allowlisted' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('192.0.2.0/24');
  });

  it('answers 422 naming a malformed address or range', async () => {
    for (const source of ['not-an-ip', '10.0.0.0/33', '300.1.1.1', '::g']) {
      const res = await isolate(t.port, { source, reason: 'bad input' });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain(`"${source}"`);
    }
    const both = await isolate(t.port, { source: '203.0.113.1', duration: '1h', indefinite: true, reason: 'both' });
    expect(both.status).toBe(422);
    const badDelete = await api<ErrorBody>(t.port, `/api/v1/isolations/${encodeURIComponent('999.1.1.1')}`, { method: 'DELETE', token: TEST_API_TOKEN });
    expect(badDelete.status).toBe(422);
    expect(badDelete.body.error.message).toContain('"999.1.1.1"');
    expect((await api(t.port, '/api/v1/isolations/203.0.113.250', { method: 'DELETE', token: TEST_API_TOKEN })).status).toBe(404);
    expect((await api(t.port, '/api/v1/isolations', { json: { source: '203.0.113.1', reason: 'x' } })).status).toBe(401);
  });

  it('follows a bouncer with the CrowdSec stream shape: full list at startup, then deltas', async () => {
    const poll = (startup: boolean) =>
      api<{ new: BouncerDecision[]; deleted: BouncerDecision[] }>(t.port, `/api/v1/decisions/stream?startup=${startup}`, {
        headers: { 'x-api-key': TEST_API_TOKEN },
      });
    const first = await poll(true);
    expect(first.status).toBe(200);
    expect(first.body.deleted).toEqual([]);
    expect(first.body.new.map((d) => d.value)).toEqual(expect.arrayContaining(['203.0.113.5', '198.51.100.66', '10.9.0.0/16']));
    const range = first.body.new.find((d) => d.value === '10.9.0.0/16')!;
    expect(range).toMatchObject({ type: 'ban', scope: 'Range', origin: 'vigil-manual' });
    expect(range.duration).toMatch(/^\d+h\d+m\d+s$/);
    expect((await poll(false)).body).toEqual({ new: [], deleted: [] });
    await isolate(t.port, { source: '203.0.113.77', duration: '2h', reason: 'stream delta' });
    const restored = await api(t.port, '/api/v1/isolations/203.0.113.5', { method: 'DELETE', token: TEST_API_TOKEN, json: { reason: 'false positive' } });
    expect(restored.status).toBe(200);
    const delta = await poll(false);
    expect(delta.body.new.map((d) => d.value)).toEqual(['203.0.113.77']);
    expect(delta.body.deleted.map((d) => d.value)).toEqual(['203.0.113.5']);
    expect((await viaProxy(t.port, '203.0.113.5')).status).toBe(204);
  });

  it('turns ingested auth failures into a threat and an automatic 4 h isolation', async () => {
    const events = Array.from({ length: 10 }, () => ({ type: 'auth_failure', source: '203.0.113.200', user: 'root' }));
    const ingested = await api(t.port, '/api/v1/events', { json: { events: [...events, { type: 'request', source: 'garbage' }] }, token: TEST_API_TOKEN });
    expect(ingested.status).toBe(202);
    await waitFor(async () => (await viaProxy(t.port, '203.0.113.200')).status === 403, { what: 'automatic isolation' });
    const threats = await api<{ threats: DefenseThreat[] }>(t.port, '/api/v1/threats', { token: TEST_API_TOKEN });
    const critical = threats.body.threats.find((th) => th.scenario === 'brute-force-critical')!;
    expect(critical).toMatchObject({ level: 'critical', source: '203.0.113.200', action: 'isolated', origin: 'ingest', count: 10 });
    const list = await api<{ isolations: DefenseDecision[] }>(t.port, '/api/v1/isolations', { token: TEST_API_TOKEN });
    const auto = list.body.isolations.find((d) => d.source === '203.0.113.200')!;
    expect(auto).toMatchObject({ origin: 'auto', scenario: 'brute-force-critical', offence: 1 });
    expect(Date.parse(auto.expiresAt!) - Date.parse(auto.createdAt)).toBe(4 * 3_600_000);
  });

  it("counts Vigil's own sign-in failures relayed by the web app", async () => {
    const client = new WorkerClient(`http://127.0.0.1:${t.port}`, TEST_SECRET);
    for (let i = 0; i < 10; i++) await client.reportSignals([{ kind: 'auth_failure', source: '203.0.113.150', user: 'admin' }]);
    await waitFor(async () => (await viaProxy(t.port, '203.0.113.150')).status === 403, { what: 'isolation after sign-in failures' });
    const overview = await client.defenseOverview();
    expect(overview.threats.some((th) => th.origin === 'vigil-login' && th.action === 'isolated')).toBe(true);
  });

  it('records every threat and decision in the audit chain', async () => {
    await t.worker.audit.flush();
    const types = new Set((await readWholeChain(t.worker.database)).map((e) => e.type));
    for (const type of ['defense.isolated', 'defense.restored', 'defense.threat']) expect(types).toContain(type);
  });
});
