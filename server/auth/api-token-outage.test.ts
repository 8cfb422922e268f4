import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, POSTGRES_ADMIN_URL, queryPostgres, startTestWorker, TEST_API_TOKEN, waitFor, type TestWorker } from '../test-support';

describe('API tokens while PostgreSQL is unreachable', () => {
  let worker: TestWorker;
  let name: string;
  const allowConnections = (allow: boolean) => queryPostgres(POSTGRES_ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${allow}`);

  beforeEach(async () => {
    worker = await startTestWorker({ provider: 'postgresql' });
    name = worker.db.name!;
  });

  afterEach(async () => {
    await allowConnections(true).catch(() => undefined);
    await worker.destroy();
  });

  it('answers 503 database_unavailable with Retry-After when a token cannot be looked up, never 500', async () => {
    // The database refuses new sessions and its open ones are ended: a real outage, for this database only.
    await allowConnections(false);
    await queryPostgres(POSTGRES_ADMIN_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);

    const refused = await api<{ error: { code: string } }>(worker.port, '/api/v1/events', {
      token: TEST_API_TOKEN,
      json: { events: [{ type: 'custom', name: 'during the outage' }] },
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('database_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    await allowConnections(true);
    const accepted = await waitFor(
      async () => {
        const response = await api(worker.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events: [{ type: 'custom', name: 'after the outage' }] } });
        return response.status === 202 ? response : null;
      },
      { what: 'ingest to accept again' },
    );
    expect(accepted.status).toBe(202);
  });

  it('answers 503 database_unavailable, never 500, to a request whose token is cached but whose answer needs the database', async () => {
    // The token is looked up (and cached) while the database is there.
    expect((await api(worker.port, '/api/v1/audit?limit=1', { token: TEST_API_TOKEN })).status).toBe(200);
    await allowConnections(false);
    await queryPostgres(POSTGRES_ADMIN_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);

    const refused = await api<{ error: { code: string } }>(worker.port, '/api/v1/audit?limit=1', { token: TEST_API_TOKEN });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('database_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    await allowConnections(true);
    await waitFor(async () => (await api(worker.port, '/api/v1/audit?limit=1', { token: TEST_API_TOKEN })).status === 200, {
      what: 'the audit trail readable again',
    });
  });
});
