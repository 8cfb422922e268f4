import BetterSqlite3 from 'better-sqlite3';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { AuditAppended } from '@/lib/audit/types';
import type { DegradationChange, HealthSnapshot } from '@/lib/health/types';
import { internalToken } from '../auth/keys';
import { sqlitePathOf } from '../db/database-url';
import { api, FixedSampler, mintLiveToken, startTestWorker, TEST_API_TOKEN, TEST_SECRET, waitFor, type TestWorker } from '../test-support';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('live socket (socket.io)', () => {
  let t: TestWorker;
  let sampler: FixedSampler;
  const sockets: LiveSocket[] = [];

  function open(auth: Record<string, unknown> | undefined, transports: string[] = ['websocket']): LiveSocket {
    const socket: LiveSocket = connect(`http://127.0.0.1:${t.port}`, { auth, transports, reconnection: false, forceNew: true, timeout: 5000 });
    sockets.push(socket);
    return socket;
  }

  /** Resolves 'connected' or the connect_error message. */
  function outcome(socket: LiveSocket): Promise<string> {
    return new Promise((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(`error: ${error.message}`));
    });
  }

  async function connected(role: 'viewer' | 'operator' | 'admin' = 'viewer'): Promise<LiveSocket> {
    const socket = open({ token: await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database, role }) });
    expect(await outcome(socket)).toBe('connected');
    return socket;
  }

  beforeAll(async () => {
    sampler = new FixedSampler();
    t = await startTestWorker({ sampler });
  });

  afterEach(() => {
    sockets.splice(0).forEach((s) => s.disconnect());
  });

  afterAll(async () => {
    await t?.destroy();
  });

  describe('is refused without a valid token', () => {
    it.each<[string, () => Promise<Record<string, unknown> | undefined>]>([
      ['no auth at all', async () => undefined],
      ['no token', async () => ({})],
      ['a token that is not a string', async () => ({ token: 12345 })],
      ['garbage', async () => ({ token: 'not-a-jwt' })],
      ['a token signed with another secret', async () => ({ token: await mintLiveToken({ secret: 'another-secret-0123456789abcdef01234567' }) })],
      ['an expired token', async () => ({ token: await mintLiveToken({ secret: TEST_SECRET, expiresInSeconds: -5 }) })],
      ['a token for another audience', async () => ({ token: await mintLiveToken({ secret: TEST_SECRET, audience: 'vigil-session' }) })],
    ])('%s', async (_case, auth) => {
      const socket = open(await auth());
      expect(await outcome(socket)).toBe('error: unauthorized');
      expect(socket.connected).toBe(false);
    });

    it('with the long-polling transport too', async () => {
      const socket = open({ token: 'not-a-jwt' }, ['polling']);
      expect(await outcome(socket)).toBe('error: unauthorized');
    });
  });

  it('accepts a valid token over polling and upgrades', async () => {
    const socket = open({ token: await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }) }, ['polling', 'websocket']);
    expect(await outcome(socket)).toBe('connected');
    await waitFor(() => t.worker.live.connectedClients() >= 1, { what: 'server to count the client' });
  });

  it('pushes health:sample on every sampling cycle', async () => {
    const socket = await connected();
    const received: HealthSnapshot[] = [];
    socket.on('health:sample', (snapshot) => received.push(snapshot));
    sampler.scoreWillBe(77);
    await t.worker.monitor.tick();
    await waitFor(() => received.length >= 1, { what: 'health:sample' });
    expect(received[0]).toMatchObject({ score: 77, degradation: 'NORMAL', sample: { cpuPercent: 93 } });
    expect(received[0]).toEqual(JSON.parse(JSON.stringify(t.worker.monitor.current())));
    sampler.scoreWillBe(100);
    await t.worker.monitor.tick();
  });

  it('answers health:current with the current snapshot', async () => {
    const socket = await connected();
    const snapshot = await socket.timeout(5000).emitWithAck('health:current');
    expect(snapshot).not.toBeNull();
    expect(snapshot).toEqual(JSON.parse(JSON.stringify(t.worker.monitor.current())));
  });

  it('emits audit:appended after an ingest, only once the row is committed', async () => {
    const socket = await connected();
    // A separate connection, read synchronously the moment each event arrives.
    const reader = new BetterSqlite3(sqlitePathOf(t.db.url), { readonly: true });
    const seen: Array<AuditAppended & { foundEventId: string | null }> = [];
    socket.on('audit:appended', (payload) => {
      const row = reader.prepare('SELECT "eventId", "type" FROM "AuditEvent" WHERE "seq" = ?').get(payload.seq) as
        { eventId: string; type: string } | undefined;
      expect(row?.type).toBe(payload.type);
      seen.push({ ...payload, foundEventId: row?.eventId ?? null });
    });
    try {
      const res = await api<{ events: Array<{ eventId: string; seq: number }> }>(t.port, '/api/v1/events', {
        token: TEST_API_TOKEN,
        json: {
          events: [
            { type: 'auth_failure', source: '192.0.2.7', user: 'root' },
            { type: 'error', path: '/api' },
          ],
        },
      });
      expect(res.status).toBe(202);
      await waitFor(() => seen.length >= 2, { what: 'audit:appended x2' });
      expect(seen.map((s) => s.seq)).toEqual(res.body.events.map((r) => r.seq));
      expect(seen.map((s) => s.foundEventId)).toEqual(res.body.events.map((r) => r.eventId));
      expect(seen[0]).toMatchObject({ type: 'app.auth_failure', severity: 'warning', action: 'auth failure', at: expect.any(String) });
    } finally {
      reader.close();
    }
  });

  it('summarises a big commit: at most the newest 50 audit events are emitted', async () => {
    const socket = await connected();
    const seen: number[] = [];
    socket.on('audit:appended', (payload) => seen.push(payload.seq));
    const res = await api<{ events: Array<{ seq: number }> }>(t.port, '/api/v1/events', {
      token: TEST_API_TOKEN,
      json: { events: Array.from({ length: 300 }, () => ({ type: 'request' })) },
    });
    expect(res.status).toBe(202);
    const last = res.body.events.at(-1)!.seq;
    // One more commit after it: events reach the socket in commit order, so once this one is in, the big commit's are all in.
    const marker = await api<{ events: Array<{ seq: number }> }>(t.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events: [{ type: 'request' }] } });
    const markerSeq = marker.body.events[0].seq;
    await waitFor(() => seen.includes(markerSeq), { what: 'the event committed after the big one' });
    const fromBig = seen.filter((seq) => seq <= last);
    expect(fromBig.length).toBeLessThanOrEqual(300);
    expect(fromBig.length).toBeGreaterThanOrEqual(50);
    expect(fromBig.slice(-50)).toEqual(Array.from({ length: 50 }, (_, i) => last - 49 + i));
  });

  it('emits degradation:changed when an operator pins a level', async () => {
    const socket = await connected();
    const changes: DegradationChange[] = [];
    socket.on('degradation:changed', (change) => changes.push(change));
    const key = internalToken(TEST_SECRET);
    expect((await api(t.port, '/internal/v1/degradation/pin', { token: key, json: { level: 'LEVEL_3', actor: 'erin', reason: 'drill' } })).status).toBe(200);
    await waitFor(() => changes.length >= 1, { what: 'degradation:changed' });
    expect(changes[0]).toMatchObject({ from: 'NORMAL', to: 'LEVEL_3', reason: 'held by erin: drill' });
    expect((await api(t.port, '/internal/v1/degradation/pin', { token: key, json: { level: null, actor: 'erin', reason: 'drill over' } })).status).toBe(200);
    await waitFor(() => changes.length >= 2, { what: 'the recovery' });
    expect(changes[1]).toMatchObject({ from: 'LEVEL_3', to: 'NORMAL' });
  });

  it('counts connected clients and forgets them when they leave', async () => {
    // Sockets closed by earlier tests may take a moment to leave on the server side.
    await waitFor(() => t.worker.live.connectedClients() === 0, { what: 'earlier clients gone' });
    const a = await connected();
    const b = await connected('admin');
    await waitFor(() => t.worker.live.connectedClients() === 2, { what: 'two clients' });
    a.disconnect();
    b.disconnect();
    await waitFor(() => t.worker.live.connectedClients() === 0, { what: 'clients gone' });
  });
});
