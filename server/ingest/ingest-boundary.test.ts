import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_MAX_DEPTH } from '@/lib/canonical-json';
import { verifyStoredChain } from '../audit';
import { latestAuditEvents } from '../queries/audit';
import { api, PROVIDERS, startTestWorker, TEST_API_TOKEN, type TestWorker } from '../test-support';

type ErrorBody = { error: { code: string; message: string } };

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
}

describe.each(PROVIDERS)('POST /api/v1/events refuses what the chain cannot store verbatim (%s)', (provider) => {
  let worker: TestWorker;
  const ingest = (events: unknown[]) => api<ErrorBody>(worker.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events } });

  beforeAll(async () => {
    worker = await startTestWorker({ provider });
  });

  afterAll(async () => {
    await worker?.destroy();
  });

  it.each([
    ['details nested deeper than canonical JSON allows', { type: 'custom', name: 'deep', details: nested(CANONICAL_MAX_DEPTH + 5) }, 'events.0.details.d.d'],
    ['a lone surrogate in name', { type: 'custom', name: '\ud800x' }, 'events.0.name'],
    ['a lone low surrogate in details', { type: 'custom', details: { note: 'a\udc00' } }, 'events.0.details.note'],
    ['a lone surrogate in a details key', { type: 'custom', details: { ['k\ud83d']: 1 } }, 'events.0.details.k'],
    ['NUL in details', { type: 'error', details: { message: 'nul\u0000here' } }, 'events.0.details.message'],
    ['NUL in user', { type: 'auth_failure', user: 'ro\u0000ot' }, 'events.0.user'],
    ['a time ten minutes in the future', { type: 'custom', at: new Date(Date.now() + 10 * 60_000).toISOString() }, 'events.0.at'],
  ])('refuses %s with a 422 naming the field', async (_what, event, field) => {
    const response = await ingest([event]);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toContain(field);
  });

  it('keeps storing and verifying after refusals; health stays ok', async () => {
    // The deepest legal value: its leaf sits CANONICAL_MAX_DEPTH members below `details`.
    const deepest = nested(CANONICAL_MAX_DEPTH - 2);
    const ok = await ingest([{ type: 'custom', name: 'emoji 😀 ok', details: { deepest } }]);
    expect(ok.status).toBe(202);
    const health = await api<{ status: string; database: { pendingEvents: number } }>(worker.port, '/healthz');
    expect(health.body).toMatchObject({ status: 'ok', database: { pendingEvents: 0 } });
    expect(await verifyStoredChain(worker.worker.database.prisma)).toMatchObject({ ok: true });
  });

  it('keeps a backdated event with its reported time; a little clock skew is allowed', async () => {
    const response = await ingest([
      { type: 'custom', name: 'old', at: '1970-01-01T00:00:00Z' },
      { type: 'custom', name: 'skewed', at: new Date(Date.now() + 60_000).toISOString() },
    ]);
    expect(response.status).toBe(202);
    const [skewed, old] = await latestAuditEvents(worker.worker.database.prisma, 2);
    expect(old.at).toBe('1970-01-01T00:00:00.000Z');
    expect(skewed.action).toBe('skewed');
  });

  it('names the token as the actor; the reported user stays in details.user', async () => {
    const response = await ingest([{ type: 'auth_failure', user: 'root', source: '203.0.113.9' }]);
    expect(response.status).toBe(202);
    const [event] = await latestAuditEvents(worker.worker.database.prisma, 1);
    expect(event.actor).toBe('token:VIGIL_API_TOKEN');
    expect(event.details).toMatchObject({ user: 'root' });
  });
});
