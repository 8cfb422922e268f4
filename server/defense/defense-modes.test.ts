import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefenseDecisionChange, DefenseModeChange, DefenseOverview, DefenseThreat } from '@/lib/defense/defense-types';
import {
  api,
  createEmptyDatabase,
  mintLiveToken,
  PROVIDERS,
  silentLogger,
  TEST_API_TOKEN,
  TEST_SECRET,
  waitFor,
  workerEnvFor,
  type TestWorker,
} from '../test-support';
import { internalCall, startDefenseWorker } from '../test-support/defense-worker';
import { guardCheck } from '../test-support/guard';
import { startWorker } from '../worker';

const viaProxy = (port: number, client: string) => guardCheck(port, { headers: { 'x-forwarded-for': client } });
const modeOf = async (port: number) => (await api<{ defenseMode: string }>(port, '/healthz')).body.defenseMode;
const failures = (source: string, n: number) => ({ events: Array.from({ length: n }, () => ({ type: 'auth_failure', source })) });

describe('LOCKDOWN', () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startDefenseWorker();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('blocks everyone outside the allowlist until lifted, audited, and shows in /healthz', async () => {
    expect(await modeOf(t.port)).toBe('NORMAL');
    const locked = await internalCall<DefenseOverview>(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'incident 42' });
    expect(locked.status).toBe(200);
    expect(locked.body.lockdown).toMatchObject({ actor: 'user:admin', reason: 'incident 42', expiresAt: null });
    expect(await modeOf(t.port)).toBe('LOCKDOWN');
    expect(await viaProxy(t.port, '203.0.113.1')).toEqual({ status: 403, decision: 'lockdown' });
    expect((await viaProxy(t.port, '192.0.2.10')).status).toBe(204);
    expect((await guardCheck(t.port, { from: '127.0.0.9' })).status).toBe(204);
    // Lifting needs a reason; an unlocked defense cannot be lifted twice.
    expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin' })).status).toBe(422);
    expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'resolved' })).status).toBe(200);
    expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'again' })).status).toBe(409);
    expect(await modeOf(t.port)).toBe('NORMAL');
    expect((await viaProxy(t.port, '203.0.113.1')).status).toBe(204);
  });

  it('expires by itself, and the integrity monitor can call lockdown() directly', async () => {
    await t.worker.defense.lockdown({ actor: 'system:integrity', reason: 'critical file changed', expiresAt: new Date(Date.now() + 1200) });
    expect((await viaProxy(t.port, '203.0.113.2')).status).toBe(403);
    await waitFor(async () => (await modeOf(t.port)) === 'NORMAL', { timeoutMs: 5000, what: 'lockdown expiry' });
    expect((await viaProxy(t.port, '203.0.113.2')).status).toBe(204);
    await t.worker.audit.flush();
    const page = await api<{ events: Array<{ type: string; actor: string }> }>(t.port, '/api/v1/audit?type=defense.lockdown_lifted', { token: TEST_API_TOKEN });
    expect(page.body.events.map((e) => e.actor)).toEqual(expect.arrayContaining(['user:admin', 'system']));
  });

  it('announces threats, decisions and mode changes to live clients', async () => {
    const socket = connect(`http://127.0.0.1:${t.port}`, {
      auth: { token: await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const seen = { threats: [] as DefenseThreat[], decisions: [] as DefenseDecisionChange[], modes: [] as DefenseModeChange[] };
    socket.on('defense:threat', (p: DefenseThreat) => seen.threats.push(p));
    socket.on('defense:decision', (p: DefenseDecisionChange) => seen.decisions.push(p));
    socket.on('defense:mode', (p: DefenseModeChange) => seen.modes.push(p));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    try {
      await api(t.port, '/api/v1/events', { json: failures('203.0.113.33', 10), token: TEST_API_TOKEN });
      await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'live test' });
      await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'live test over' });
      await waitFor(() => seen.modes.length >= 2 && seen.decisions.length >= 1 && seen.threats.length >= 2, { what: 'live defense events' });
      expect(seen.threats.map((th) => th.scenario)).toEqual(expect.arrayContaining(['brute-force', 'brute-force-critical']));
      expect(seen.decisions[0]).toMatchObject({ change: 'isolated', decision: { source: '203.0.113.33', origin: 'auto' } });
      expect(seen.modes.map((m) => [m.from, m.to])).toEqual([
        ['NORMAL', 'LOCKDOWN'],
        ['LOCKDOWN', 'NORMAL'],
      ]);
    } finally {
      socket.disconnect();
    }
  });

  it('refuses a lockdown that would already be over', async () => {
    const res = await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'too late', expiresAt: '2000-01-01T00:00:00Z' });
    expect(res.status).toBe(422);
  });
});

describe('ELEVATED and repeat offenders', () => {
  let t: TestWorker;
  beforeAll(async () => {
    // No quiet time after a threat, so a repeat offence can be provoked at once.
    t = await startDefenseWorker({
      yaml: `trustedProxies: ["127.0.0.1"]
defense:
  scenarios:
    - { name: brute-force, kinds: [auth_failure], capacity: 5, windowSeconds: 600, level: high, blackholeSeconds: 0 }
    - { name: brute-force-critical, kinds: [auth_failure], capacity: 10, windowSeconds: 600, level: critical, blackholeSeconds: 0 }
`,
    });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('goes ELEVATED after 5 high threats and then isolates on the first high one', async () => {
    for (let i = 1; i <= 5; i++) await api(t.port, '/api/v1/events', { json: failures(`198.51.100.${i}`, 5), token: TEST_API_TOKEN });
    await waitFor(async () => (await modeOf(t.port)) === 'ELEVATED', { what: 'ELEVATED' });
    expect(t.worker.defense.blocklist.get('198.51.100.1')).toBeUndefined();
    // Capacities are halved and a high threat isolates: 3 failures are enough now.
    await api(t.port, '/api/v1/events', { json: failures('198.51.100.99', 3), token: TEST_API_TOKEN });
    await waitFor(async () => (await viaProxy(t.port, '198.51.100.99')).status === 403, { what: 'first-strike isolation' });
  });

  it('doubles the isolation of a repeat offender (ELEVATED isolates on the 3rd failure)', async () => {
    const ingest = (n: number) => api(t.port, '/api/v1/events', { json: failures('203.0.113.60', n), token: TEST_API_TOKEN });
    await ingest(10);
    await waitFor(() => t.worker.defense.blocklist.get('203.0.113.60'), { what: 'first isolation' });
    await api(t.port, '/api/v1/isolations/203.0.113.60', { method: 'DELETE', token: TEST_API_TOKEN });
    await ingest(10);
    const second = await waitFor(() => t.worker.defense.blocklist.get('203.0.113.60'), { what: 'second isolation' });
    expect(second.offence).toBe(2);
    expect(Date.parse(second.expiresAt!) - Date.parse(second.createdAt)).toBe(8 * 3_600_000);
  });
});

describe.each(PROVIDERS)('decisions survive a restart (%s)', (provider) => {
  it('loads isolations, ranges, bans and the lockdown back into the guard', async () => {
    const db = await createEmptyDatabase(provider);
    const env = workerEnvFor({ dataDir: db.dir.join('data'), databaseUrl: db.url });
    try {
      const first = await startWorker({ env, log: silentLogger() });
      const isolate = (json: unknown) => api(first.port, '/api/v1/isolations', { json, token: TEST_API_TOKEN });
      expect((await isolate({ source: '203.0.113.8', duration: '1h', reason: 'kept' })).status).toBe(201);
      expect((await isolate({ source: '2001:db8::/32', indefinite: true, reason: 'banned range' })).status).toBe(201);
      expect((await isolate({ source: '203.0.113.9', duration: 1, reason: 'short' })).status).toBe(201);
      const shortExpiry = Date.parse(first.defense.blocklist.get('203.0.113.9')!.expiresAt!);
      await first.close('restart');
      // The worker reads the same clock: the next start must find the short isolation over.
      await waitFor(() => Date.now() > shortExpiry, { what: 'the one-second isolation to end' });

      const second = await startWorker({ env, log: silentLogger() });
      try {
        expect(
          second.defense.blocklist
            .active()
            .map((d) => d.source)
            .sort(),
        ).toEqual(['2001:db8::/32', '203.0.113.8']);
        expect((await guardCheck(second.port, { headers: { 'x-forwarded-for': '203.0.113.8' } })).status).toBe(403);
        expect((await guardCheck(second.port, { headers: { 'x-forwarded-for': '2001:db8:1::5' } })).status).toBe(403);
        expect((await guardCheck(second.port, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(204);
        await second.defense.lockdown({ actor: 'user:admin', reason: 'persisted' });
      } finally {
        await second.close('restart');
      }
      const third = await startWorker({ env, log: silentLogger() });
      try {
        expect(third.defense.mode).toBe('LOCKDOWN');
      } finally {
        await third.close('done');
      }
    } finally {
      await db.destroy();
    }
  });
});
