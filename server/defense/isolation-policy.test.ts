import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefenseDecision } from '@/lib/defense/defense-types';
import { api, createRoleToken, PROVIDERS, readWholeChain, silentLogger, TEST_API_TOKEN, waitFor, type TestWorker } from '../test-support';
import { internalCall, startDefenseWorker } from '../test-support/defense-worker';
import { insertDecision } from '../queries/defense';
import { DefenseReplay } from '../ha/defense-replay';

interface ErrorBody {
  error: { code: string; message: string };
}

const CONFIG = `
trustedProxies: ["127.0.0.1", "198.51.100.10"]
allowlist: ["192.0.2.0/24"]
`;

const decision = (id: number, source: string): DefenseDecision => ({
  id,
  source,
  scope: source.includes('/') ? 'range' : 'ip',
  origin: 'manual',
  scenario: null,
  reason: 'made elsewhere',
  actor: 'token:elsewhere',
  offence: 1,
  createdAt: new Date().toISOString(),
  expiresAt: null,
});

// Loopback, trusted proxies and the allowlist are never isolated, and very broad ranges need an
// admin: on the machine API, by the detectors, and when stored or announced decisions are replayed.
describe.each(PROVIDERS)('isolation policy (%s)', (provider) => {
  let t: TestWorker;
  let operator: string;
  const isolate = (token: string, source: string) =>
    api<DefenseDecision & ErrorBody>(t.port, '/api/v1/isolations', { token, json: { source, reason: 'policy test', duration: '1h' } });

  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: CONFIG, provider });
    operator = await createRoleToken(t, 'operator');
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('refuses loopback, trusted proxies and the allowlist to everyone, naming why', async () => {
    const cases: [string, number, string, string][] = [
      ['0.0.0.0/0', 422, 'protected_source', 'loopback (127.0.0.0/8)'],
      ['::/0', 422, 'protected_source', 'loopback (::1)'],
      ['127.0.0.1', 422, 'protected_source', 'loopback'],
      ['127.5.0.0/16', 422, 'protected_source', 'loopback'],
      ['198.51.100.0/24', 422, 'protected_source', 'trusted proxy 198.51.100.10'],
      ['198.51.100.10', 422, 'protected_source', 'trusted proxy 198.51.100.10'],
      ['192.0.0.0/16', 409, 'allowlisted', 'allowlist entry 192.0.2.0/24'],
      ['192.0.2.7', 409, 'allowlisted', 'allowlist entry 192.0.2.0/24'],
    ];
    for (const [source, status, code, why] of cases) {
      const res = await isolate(TEST_API_TOKEN, source);
      expect({ source, status: res.status, code: res.body.error?.code }).toEqual({ source, status, code });
      expect(res.body.error.message).toContain(why);
    }
    expect(t.worker.defense.blocklist.size).toBe(0);
  });

  it('lets an operator isolate up to the configured breadth and an admin beyond it', async () => {
    const tooBroad = await isolate(operator, '10.0.0.0/8');
    expect(tooBroad.status).toBe(403);
    expect(tooBroad.body.error).toEqual({ code: 'admin_required', message: expect.stringContaining('wider than /16') });
    expect((await isolate(operator, '2001:db8::/32')).body.error.code).toBe('admin_required');
    expect((await isolate(operator, '10.1.0.0/16')).status).toBe(201);
    expect((await isolate(operator, '2001:db8:1::/48')).status).toBe(201);
    expect((await isolate(TEST_API_TOKEN, '10.0.0.0/8')).status).toBe(201);
  });

  it('takes the role the web app names on the internal API, and the least one when it names none', async () => {
    const internal = (json: Record<string, unknown>) =>
      internalCall<ErrorBody>(t.port, '/internal/v1/defense/isolate', { reason: 'policy test', actor: 'user:carol', ...json });
    expect((await internal({ source: '172.16.0.0/12' })).body.error.code).toBe('admin_required');
    expect((await internal({ source: '172.16.0.0/12', role: 'operator' })).body.error.code).toBe('admin_required');
    expect((await internal({ source: '172.16.0.0/12', role: 'admin' })).status).toBe(201);
    expect((await internal({ source: '127.0.0.0/8', role: 'admin' })).body.error.code).toBe('protected_source');
    expect((await internal({ source: '172.17.0.1', role: 'superuser' })).status).toBe(422);
  });

  it('never lets a detector isolate loopback or a trusted proxy: the threat is recorded as protected', async () => {
    const now = Date.now();
    for (const source of ['127.0.0.2', '198.51.100.10']) {
      for (let i = 0; i < 520; i++) t.worker.defense.signal({ kind: 'request', source, origin: 'guard', at: now });
    }
    const threats = await waitFor(
      () => {
        const found = t.worker.defense.threats.recent(100).filter((threat) => threat.scenario === 'rate-abuse-critical');
        return found.length === 2 ? found : null;
      },
      { what: 'both floods to be detected' },
    );
    expect(threats.map((threat) => [threat.source, threat.action]).sort()).toEqual([
      ['127.0.0.2', 'protected'],
      ['198.51.100.10', 'protected'],
    ]);
    expect(t.worker.defense.blocklist.get('127.0.0.2')).toBeUndefined();
    expect(t.worker.defense.blocklist.get('198.51.100.10')).toBeUndefined();
    const audited = await waitFor(
      async () => {
        const events = (await readWholeChain(t.worker.database)).filter((e) => e.type === 'defense.threat' && e.details?.action === 'protected');
        return events.length === 2 ? events : null;
      },
      { what: 'the skipped isolations to be audited' },
    );
    expect(audited.map((e) => e.details?.notIsolated)).toEqual(
      expect.arrayContaining([expect.stringContaining('loopback'), expect.stringContaining('trusted proxy')]),
    );
  });

  it('does not enforce protected decisions read back from the database or announced by a leader', async () => {
    const prisma = t.worker.database.prisma;
    const row = (source: string) => ({
      source,
      origin: 'manual',
      scenario: null,
      reason: 'stored before the rule',
      actor: 'token:old',
      offence: 1,
      createdAt: new Date(),
      expiresAt: null,
    });
    await insertDecision(prisma, row('127.0.0.0/8'));
    await insertDecision(prisma, row('198.51.100.10'));
    await insertDecision(prisma, row('203.0.113.0/24'));
    await t.worker.defense.isolations.reload();
    expect(t.worker.defense.blocklist.get('203.0.113.0/24')).toBeDefined();
    expect(t.worker.defense.blocklist.get('127.0.0.0/8')).toBeUndefined();
    expect(t.worker.defense.blocklist.get('198.51.100.10')).toBeUndefined();

    // As a standby: what the leader announces is enforced, unless it would lock out this replica's own.
    t.worker.defense.follow(() => undefined);
    const replay = new DefenseReplay({ defense: t.worker.defense, log: silentLogger() });
    replay.markLoaded();
    try {
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: decision(900_001, '198.51.100.0/24') });
      replay.apply({ kind: 'decision', from: 'leader', change: 'isolated', decision: decision(900_002, '203.0.114.9') });
      expect(t.worker.defense.blocklist.get('203.0.114.9')).toBeDefined();
      expect(t.worker.defense.blocklist.get('198.51.100.0/24')).toBeUndefined();
    } finally {
      await t.worker.defense.lead();
    }
  });
});
