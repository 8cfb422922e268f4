import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPendingEvent } from '../audit/pending-event';
import { appendAuditBatch } from '../queries/audit';
import { api, startTestWorker, TEST_API_TOKEN, type TestWorker } from '../test-support';

interface Page {
  events: Array<{ seq: number; type: string; severity: string; module: string | null }>;
  nextCursor: number | null;
}

describe('GET /api/v1/audit', () => {
  let worker: TestWorker;

  beforeAll(async () => {
    worker = await startTestWorker();
    const events = Array.from({ length: 30 }, (_, i) => ({
      type: i % 3 === 0 ? 'auth_failure' : 'custom',
      source: `203.0.113.${i}`,
      module: i % 2 ? 'api' : 'billing',
      name: `e${i}`,
    }));
    const ingest = await api(worker.port, '/api/v1/events', { method: 'POST', token: TEST_API_TOKEN, json: { events } });
    expect(ingest.status).toBe(202);
  });

  afterAll(async () => {
    await worker.destroy();
  });

  it('needs a token', async () => {
    expect((await api(worker.port, '/api/v1/audit')).status).toBe(401);
  });

  it('filters and pages newest first with a keyset cursor, without gaps or repeats', async () => {
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { status: number; body: Page } = await api<Page>(
        worker.port,
        `/api/v1/audit?type=app.auth_failure&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        { token: TEST_API_TOKEN },
      );
      expect(page.status).toBe(200);
      for (const event of page.body.events) expect(event.type).toBe('app.auth_failure');
      seen.push(...page.body.events.map((e) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);

    const billing = await api<Page>(worker.port, '/api/v1/audit?module=billing&limit=200', { token: TEST_API_TOKEN });
    expect(billing.body.events).toHaveLength(15);
    expect(billing.body.events.every((e) => e.module === 'billing')).toBe(true);
  });

  it('ends range=1h at now: an event reported a few minutes ahead (clock skew) is not listed yet', async () => {
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    const ingest = await api(worker.port, '/api/v1/events', {
      method: 'POST',
      token: TEST_API_TOKEN,
      json: {
        events: [
          { type: 'custom', name: 'ahead', at: ahead },
          { type: 'custom', name: 'now' },
        ],
      },
    });
    expect(ingest.status).toBe(202);
    const page = await api<{ events: Array<{ action: string }> }>(worker.port, '/api/v1/audit?range=1h&limit=200', { token: TEST_API_TOKEN });
    const actions = page.body.events.map((e) => e.action);
    expect(actions).toContain('now');
    expect(actions).not.toContain('ahead');
  });

  it('filters by the reporting host, and carries the host on every event', async () => {
    const reported = ['on three', 'on four', 'on three again'].map((action, i) => ({
      ...toPendingEvent({ type: 'custom', severity: 'info', actor: 'agent', action }),
      hostId: i === 1 ? 4 : 3,
    }));
    await appendAuditBatch(worker.worker.database, reported);
    const three = await api<{ events: Array<{ action: string; hostId: number }> }>(worker.port, '/api/v1/audit?host=3', { token: TEST_API_TOKEN });
    expect(three.status).toBe(200);
    expect(three.body.events.map((e) => [e.action, e.hostId])).toEqual([
      ['on three again', 3],
      ['on three', 3],
    ]);
    const local = await api<{ events: Array<{ hostId: number }> }>(worker.port, '/api/v1/audit?host=1&limit=200', { token: TEST_API_TOKEN });
    expect(local.body.events.length).toBeGreaterThan(0);
    expect(local.body.events.every((e) => e.hostId === 1)).toBe(true);
    for (const bad of ['0', '-2', 'x', '1.5']) {
      const answer = await api<{ error: { message: string } }>(worker.port, `/api/v1/audit?host=${bad}`, { token: TEST_API_TOKEN });
      expect(answer.status).toBe(422);
      expect(answer.body.error.message).toContain('host');
    }
  });

  it('answers 422 naming a bad parameter', async () => {
    const bad = await api<{ error: { code: string; message: string } }>(worker.port, '/api/v1/audit?limit=5000', { token: TEST_API_TOKEN });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_query');
    expect(bad.body.error.message).toContain('limit');
  });
});
