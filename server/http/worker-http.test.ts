import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEGRADATION_LEVELS, FEATURES } from '@/lib/health/degradation';
import { generateApiToken } from '../auth/api-tokens';
import { internalToken } from '../auth/keys';
import { createApiToken, revokeApiToken } from '../queries/api-tokens';
import { readSetting } from '../queries/settings';
import { verifyStoredChain } from '../audit';
import { sqlitePathOf } from '../db/database-url';
import { applyMigrations } from '../db/migrate';
import { startWorker, type Worker } from '../worker';
import {
  api,
  createEmptyDatabase,
  FixedSampler,
  readWholeChain,
  silentLogger,
  startTestWorker,
  TEST_API_TOKEN,
  TEST_SECRET,
  workerEnvFor,
  type EmptyDatabase,
  type TestWorker,
} from '../test-support';

interface ErrorBody {
  error: { code: string; message: string };
}

interface Receipt {
  status: 'committed' | 'spooled';
  eventId: string;
  seq?: number;
  hash?: string;
}

describe('worker HTTP endpoints (SQLite)', () => {
  let t: TestWorker;
  let viewerToken: string;
  let revokedToken: string;

  beforeAll(async () => {
    t = await startTestWorker();
    const viewer = generateApiToken();
    await createApiToken(t.worker.database.prisma, {
      id: 'viewer-1',
      name: 'dashboard reader',
      prefix: viewer.prefix,
      tokenHash: viewer.tokenHash,
      role: 'viewer',
      createdById: null,
    });
    viewerToken = viewer.token;
    const revoked = generateApiToken();
    await createApiToken(t.worker.database.prisma, {
      id: 'revoked-1',
      name: 'old script',
      prefix: revoked.prefix,
      tokenHash: revoked.tokenHash,
      role: 'admin',
      createdById: null,
    });
    expect(await revokeApiToken(t.worker.database.prisma, 'revoked-1')).toBe(true);
    revokedToken = revoked.token;
  });

  afterAll(async () => {
    await t?.destroy();
  });

  describe('GET /healthz', () => {
    it('answers without credentials in the contract shape', async () => {
      const res = await api<Record<string, unknown>>(t.port, '/healthz');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.body).toMatchObject({ status: 'ok', healthScore: 100, degradation: 'NORMAL', defenseMode: 'NORMAL' });
      expect(DEGRADATION_LEVELS).toContain(res.body.degradation);
      expect(['NORMAL', 'ELEVATED', 'LOCKDOWN']).toContain(res.body.defenseMode);
      expect(res.body.database).toEqual({ ok: true, pendingEvents: 0 });
    });

    it('ignores a query string', async () => {
      expect((await api(t.port, '/healthz?probe=lb')).status).toBe(200);
    });
  });

  describe('GET /api/v1/features', () => {
    it('is 401 without a token, with the one error shape and a Bearer challenge', async () => {
      const res = await api<ErrorBody>(t.port, '/api/v1/features');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
    });

    it('is 401 for an unknown, a malformed and a revoked token', async () => {
      expect((await api(t.port, '/api/v1/features', { token: 'vgl_not-a-real-token' })).status).toBe(401);
      expect((await api(t.port, '/api/v1/features', { headers: { authorization: `Basic ${TEST_API_TOKEN}` } })).status).toBe(401);
      expect((await api(t.port, '/api/v1/features', { token: revokedToken })).status).toBe(401);
    });

    it('is 200 with VIGIL_API_TOKEN and maps every feature', async () => {
      const res = await api<{ degradation: string; features: Record<string, boolean>; disabled: string[] }>(t.port, '/api/v1/features', {
        token: TEST_API_TOKEN,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ degradation: 'NORMAL', features: Object.fromEntries(FEATURES.map((f) => [f, true])), disabled: [] });
    });

    it('is readable with a viewer token', async () => {
      expect((await api(t.port, '/api/v1/features', { token: viewerToken })).status).toBe(200);
    });
  });

  describe('GET /api/v1/health', () => {
    it('returns the latest snapshot to a token holder', async () => {
      expect((await api(t.port, '/api/v1/health')).status).toBe(401);
      const res = await api<{ score: number; degradation: string; sample: { cpuPercent: number }; database: { ok: boolean } }>(t.port, '/api/v1/health', {
        token: viewerToken,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        score: 100,
        degradation: 'NORMAL',
        pinnedDegradation: null,
        disabledFeatures: [],
        database: { ok: true, pendingEvents: 0, lastError: null },
      });
      expect(res.body.sample.cpuPercent).toBe(10);
    });
  });

  describe('POST /api/v1/events', () => {
    it('is 202 with one committed receipt per event, and the events are in the chain', async () => {
      const body = {
        events: [
          { type: 'auth_failure', source: '203.0.113.9', user: 'admin' },
          { type: 'request', source: '203.0.113.10', path: '/login', status: 200, at: '2025-06-01T12:00:00.000+02:00' },
          { type: 'custom', name: 'cache.flush', module: 'api', details: { keys: 12, region: 'eu' } },
        ],
      };
      const res = await api<{ accepted: number; events: Receipt[] }>(t.port, '/api/v1/events', { token: TEST_API_TOKEN, json: body });
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(3);
      expect(res.body.events).toHaveLength(3);
      for (const r of res.body.events) {
        expect(r).toMatchObject({
          status: 'committed',
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          seq: expect.any(Number),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      }
      const seqs = res.body.events.map((r) => r.seq!);
      expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2]);

      const chain = await readWholeChain(t.worker.database);
      const stored = res.body.events.map((r) => chain.find((e) => e.eventId === r.eventId)!);
      expect(stored[0]).toMatchObject({
        seq: seqs[0],
        hash: res.body.events[0].hash,
        type: 'app.auth_failure',
        severity: 'warning',
        actor: 'token:VIGIL_API_TOKEN',
        action: 'auth failure',
        source: '203.0.113.9',
        method: 'ingest API',
        details: { user: 'admin' },
      });
      expect(stored[1]).toMatchObject({
        type: 'app.request',
        severity: 'debug',
        actor: 'token:VIGIL_API_TOKEN',
        at: '2025-06-01T10:00:00.000Z',
        details: { path: '/login', status: 200 },
      });
      expect(stored[2]).toMatchObject({ type: 'app.custom', action: 'cache.flush', module: 'api', details: { keys: 12, region: 'eu', name: 'cache.flush' } });
      expect((await verifyStoredChain(t.worker.database.prisma)).ok).toBe(true);
    });

    it('accepts a batch of 1,000 events', async () => {
      const events = Array.from({ length: 1000 }, (_, i) => ({ type: 'request', source: `198.51.100.${i % 250}`, path: `/p/${i}` }));
      const res = await api<{ accepted: number; events: Receipt[] }>(t.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events } });
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(1000);
      expect(new Set(res.body.events.map((r) => r.eventId)).size).toBe(1000);
    });

    it.each([
      ['an unknown event type', { events: [{ type: 'bogus' }] }, 'events.0.type'],
      ['a status out of range', { events: [{ type: 'request' }, { type: 'request', status: 999 }] }, 'events.1.status'],
      ['a bad timestamp', { events: [{ type: 'error', at: 'yesterday' }] }, 'events.0.at'],
      ['no events', { events: [] }, 'events: send at least one event'],
      ['too many events', { events: Array.from({ length: 1001 }, () => ({ type: 'request' })) }, 'events: send at most 1000 events'],
      ['no body at all', undefined, 'body'],
      ['the wrong shape', { event: { type: 'request' } }, 'events'],
    ])('is 422 naming the field for %s', async (_case, json, field) => {
      const res = await api<ErrorBody>(t.port, '/api/v1/events', { token: TEST_API_TOKEN, method: 'POST', json });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain(field);
    });

    it('is 400 for a body that is not JSON', async () => {
      const res = await api<ErrorBody>(t.port, '/api/v1/events', { token: TEST_API_TOKEN, raw: '{"events": [' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
    });

    it('is 403 for a viewer-role token, and nothing is appended', async () => {
      const before = (await readWholeChain(t.worker.database)).length;
      const res = await api<ErrorBody>(t.port, '/api/v1/events', { token: viewerToken, json: { events: [{ type: 'request' }] } });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: expect.stringContaining('viewer') });
      expect((await readWholeChain(t.worker.database)).length).toBe(before);
    });

    it('is 401 before it even reads the body of an anonymous request', async () => {
      const res = await api<ErrorBody>(t.port, '/api/v1/events', { raw: 'not json at all' });
      expect(res.status).toBe(401);
    });

    // Known defect (reported): readBody() destroys the request socket as soon as the limit
    // is passed, before the router writes the 413, so the client sees ECONNRESET instead.
    it('refuses a body over 1 MiB with 413', async () => {
      const status = await new Promise<number | string>((resolve) => {
        const payload = Buffer.alloc(1_200_000, 'a');
        const req = request(
          {
            host: '127.0.0.1',
            port: t.port,
            method: 'POST',
            path: '/api/v1/events',
            headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json', 'content-length': payload.length },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
        req.end(payload);
      });
      expect(status).toBe(413);
    });
  });

  describe('routing', () => {
    it('answers 404 in JSON for an unknown path', async () => {
      const res = await api<ErrorBody>(t.port, '/api/v1/nope', { token: TEST_API_TOKEN });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
    });

    it('answers 405 with Allow for a known path and the wrong method', async () => {
      const res = await api<ErrorBody>(t.port, '/healthz', { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
      expect(res.body.error.code).toBe('method_not_allowed');
      const get = await api<ErrorBody>(t.port, '/api/v1/events', { token: TEST_API_TOKEN });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });
  });

  describe('GET /internal/v1/health', () => {
    it('is 401 without the internal key and returns the snapshot with it', async () => {
      expect((await api(t.port, '/internal/v1/health')).status).toBe(401);
      expect((await api(t.port, '/internal/v1/health', { token: TEST_API_TOKEN })).status).toBe(401);
      const res = await api(t.port, '/internal/v1/health', { token: internalToken(TEST_SECRET) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(t.worker.monitor.current())));
    });
  });

  describe('POST /internal/v1/degradation/pin', () => {
    const pin = (json: unknown, key: string | null = internalToken(TEST_SECRET)) =>
      api<Record<string, unknown>>(t.port, '/internal/v1/degradation/pin', { token: key, json });

    it('is 401 without the internal key, with a wrong one, and with an API token', async () => {
      const body = { level: 'LEVEL_2', actor: 'alice', reason: 'load test' };
      expect((await pin(body, null)).status).toBe(401);
      expect((await pin(body, internalToken('another-secret-0123456789abcdef0123456789'))).status).toBe(401);
      expect((await pin(body, TEST_API_TOKEN)).status).toBe(401);
      expect((await api(t.port, '/healthz')).body).toMatchObject({ degradation: 'NORMAL' });
    });

    it('is 422 for an unknown level or a missing reason', async () => {
      expect((await pin({ level: 'LEVEL_9', actor: 'alice', reason: 'load test' })).status).toBe(422);
      const res = await pin({ level: 'LEVEL_2', actor: 'alice', reason: ' ' });
      expect(res.status).toBe(422);
      expect((res.body as unknown as ErrorBody).error.message).toContain('reason');
    });

    it('pins LEVEL_2, records who and why, and unpins with level null', async () => {
      const res = await pin({ level: 'LEVEL_2', actor: 'alice', reason: 'shedding load for a migration' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        degradation: 'LEVEL_2',
        pinnedDegradation: 'LEVEL_2',
        score: 100,
        disabledFeatures: ['analytics', 'background_tasks', 'ai_inference', 'web_search'],
      });

      expect((await api(t.port, '/healthz')).body).toMatchObject({ status: 'ok', degradation: 'LEVEL_2', healthScore: 100 });
      const features = await api<{ disabled: string[]; features: Record<string, boolean> }>(t.port, '/api/v1/features', { token: TEST_API_TOKEN });
      expect(features.body.disabled).toEqual(['analytics', 'background_tasks', 'ai_inference', 'web_search']);
      expect(features.body.features.uploads).toBe(true);
      expect(await readSetting(t.worker.database.prisma, 'health.pinnedDegradation')).toMatchObject({ level: 'LEVEL_2', actor: 'alice' });

      let chain = await readWholeChain(t.worker.database);
      const pinned = chain.find((e) => e.type === 'health.degradation_pinned');
      expect(pinned).toMatchObject({ actor: 'alice', severity: 'notice', reason: 'shedding load for a migration', module: 'host', method: 'operator action' });
      const changed = chain.filter((e) => e.type === 'health.degradation_changed');
      expect(changed.at(-1)).toMatchObject({ reason: 'held by alice: shedding load for a migration', details: { from: 'NORMAL', to: 'LEVEL_2' } });
      expect(changed.at(-1)!.seq).toBeGreaterThan(pinned!.seq);

      const unpin = await pin({ level: null, actor: 'bob', reason: 'migration finished' });
      expect(unpin.status).toBe(200);
      expect(unpin.body).toMatchObject({ degradation: 'NORMAL', pinnedDegradation: null, disabledFeatures: [] });
      expect((await api(t.port, '/healthz')).body).toMatchObject({ degradation: 'NORMAL' });
      expect(await readSetting(t.worker.database.prisma, 'health.pinnedDegradation')).toBeNull();
      chain = await readWholeChain(t.worker.database);
      expect(chain.find((e) => e.type === 'health.degradation_unpinned')).toMatchObject({ actor: 'bob', action: 'release degradation hold (LEVEL_2)' });
      expect(chain.filter((e) => e.type === 'health.degradation_changed').at(-1)).toMatchObject({ details: { from: 'LEVEL_2', to: 'NORMAL' } });
      expect((await verifyStoredChain(t.worker.database.prisma)).ok).toBe(true);
    });
  });
});

describe('POST /api/v1/events under backpressure', () => {
  let db: EmptyDatabase;
  let worker: Worker | null = null;

  afterAll(async () => {
    await worker?.close();
    await db?.destroy();
  });

  it('answers 429 with Retry-After once more than 200,000 events wait for the database', async () => {
    db = await createEmptyDatabase('sqlite');
    await applyMigrations(db.url);
    // The database refuses every audit insert, at once (no lock wait): everything is spooled.
    const conn = new BetterSqlite3(sqlitePathOf(db.url));
    conn.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit table is refusing writes'); END;`);
    conn.close();
    const dataDir = db.dir.join('data');
    mkdirSync(dataDir, { recursive: true });
    const line = (i: number) =>
      `${JSON.stringify({ eventId: `pending-${i}`, at: '2025-01-01T00:00:00.000Z', type: 'test.pending', severity: 'info', actor: 'earlier-run', action: 'wait', module: null, resource: null, reason: null, method: null, source: null, details: {} })}\n`;
    writeFileSync(join(dataDir, 'audit-spool.ndjson'), Array.from({ length: 200_001 }, (_, i) => line(i)).join(''));

    worker = await startWorker({ env: workerEnvFor({ dataDir, databaseUrl: db.url }), sampler: new FixedSampler(), log: silentLogger() });
    expect(worker.audit.status()).toMatchObject({ ok: false, lastError: expect.stringContaining('audit table is refusing writes') });
    expect(worker.audit.status().pendingEvents).toBeGreaterThan(200_000);
    const health = await api<{ status: string; database: { ok: boolean; pendingEvents: number } }>(worker.port, '/healthz');
    expect(health.body).toMatchObject({ status: 'degraded', database: { ok: false } });

    const res = await api<ErrorBody>(worker.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events: [{ type: 'request' }] } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.error.code).toBe('backpressure');
  });
});
