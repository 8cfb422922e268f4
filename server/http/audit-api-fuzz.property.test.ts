import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_EVENT_TYPES } from '../ingest/ingest-schema';
import { verifyAuditTrail } from '../audit/audit-verifier';
import { anyJsonObject, anyText } from '../test-support/audit-arbitraries';
import { api, PROVIDERS, startTestWorker, TEST_API_TOKEN, type TestWorker } from '../test-support';

/** Mostly what a client would send, now and then anything at all. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) => fc.oneof({ weight: 15, arbitrary: usual }, { weight: 1, arbitrary: odd });

const anyTime = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-02-30T00:00:00Z', '+275760-09-13T00:00:00Z'),
  anyText(),
);
const recentTime = fc.integer({ min: -5 * 365 * 86_400_000, max: 60_000 }).map((offset) => new Date(Date.now() + offset).toISOString());

const ingestEvent = fc.record(
  {
    type: mostly(fc.constantFrom(...INGEST_EVENT_TYPES), anyText()),
    source: mostly(fc.ipV4(), anyText(20)),
    user: mostly(fc.string({ maxLength: 20 }), anyText(20)),
    name: mostly(fc.string({ maxLength: 20 }), anyText(20)),
    module: mostly(fc.constantFrom('api', 'billing', 'auth'), anyText(20)),
    at: mostly(recentTime, anyTime),
    path: mostly(fc.webPath(), anyText(40)),
    status: mostly(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.integer(), fc.double())),
    details: mostly(fc.oneof(fc.object(), anyJsonObject), fc.jsonValue()),
  },
  { requiredKeys: ['type'] },
);

/** Bodies a client could send: well-formed batches, other JSON, and bytes that are not JSON at all. */
const ingestBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ events: fc.array(ingestEvent, { minLength: 1, maxLength: 3 }) }).map((body) => ({ json: body as unknown })) },
  { weight: 1, arbitrary: fc.jsonValue().map((json) => ({ json })) },
  { weight: 1, arbitrary: anyText(60).map((raw) => ({ raw })) },
);

const QUERY_KEYS = ['type', 'severity', 'module', 'source', 'actor', 'from', 'to', 'range', 'q', 'cursor', 'limit', 'format'];
const queryValue = fc.oneof(
  anyText(30),
  anyTime,
  fc.constantFrom('1h', '15m', '24h', 'app.custom', 'high,critical', '-1', '0', '1', '2147483648', '1e3', '9'.repeat(40)),
  fc.integer().map(String),
);
const auditQuery = fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...QUERY_KEYS) }, { weight: 1, arbitrary: anyText(8) }), queryValue, {
  maxKeys: 5,
});

interface Page {
  events: Array<{ seq: number }>;
  nextCursor: number | null;
}

describe.each(PROVIDERS)('fuzzing the audit API (%s)', (provider) => {
  let worker: TestWorker;

  beforeAll(async () => {
    worker = await startTestWorker({ provider });
  });

  afterAll(async () => {
    await worker?.destroy();
  });

  it('POST /api/v1/events: never a 5xx, the worker stays up, and whatever is accepted is in a chain that verifies', { timeout: 180_000 }, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(ingestBody, async (body) => {
        const response = await api<{ accepted?: number }>(worker.port, '/api/v1/events', { method: 'POST', token: TEST_API_TOKEN, ...body });
        expect(response.status).toBeLessThan(500);
        if (response.status === 202) accepted += response.body.accepted ?? 0;
        else expect(response.status === 400 || response.status === 422).toBe(true);
      }),
      { numRuns: 150 },
    );
    // The generators lean towards what clients send, so a fair share gets through.
    expect(accepted).toBeGreaterThan(10);
    const health = await api<{ status: string; database: { pendingEvents: number } }>(worker.port, '/healthz');
    expect(health.body).toMatchObject({ status: 'ok', database: { pendingEvents: 0 } });
    const ingested = await worker.worker.database.prisma.auditEvent.count({ where: { type: { startsWith: 'app.' } } });
    expect(ingested).toBe(accepted);
    expect(await worker.worker.database.prisma.auditEvent.count({ where: { type: 'audit.event_quarantined' } })).toBe(0);
    expect(await verifyAuditTrail({ database: worker.worker.database, key: null, mode: 'full' })).toMatchObject({ ok: true });
  });

  it('GET /api/v1/audit: never a 5xx, and every page and the page after it run newest first below their cursor', { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(auditQuery, async (query) => {
        const search = new URLSearchParams(query).toString();
        const response = await api<Page>(worker.port, `/api/v1/audit?${search}`, { token: TEST_API_TOKEN });
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          expect(response.status).toBe(422);
          return;
        }
        const seqs = response.body.events.map((e) => e.seq);
        expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
        const cursor = Number(query.cursor);
        if (query.cursor !== undefined && Number.isFinite(cursor)) for (const seq of seqs) expect(seq).toBeLessThan(cursor);
        if (response.body.nextCursor === null) return;
        const next = new URLSearchParams({ ...query, cursor: String(response.body.nextCursor) }).toString();
        const following = await api<Page>(worker.port, `/api/v1/audit?${next}`, { token: TEST_API_TOKEN });
        expect(following.status).toBe(200);
        for (const event of following.body.events) expect(event.seq).toBeLessThan(seqs[seqs.length - 1]);
      }),
      { numRuns: 150 },
    );
    expect((await api(worker.port, '/healthz')).status).toBe(200);
  });
});
