import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor } from '../test-support';
import { startPostgresConsole, type PostgresConsole } from '../test-support/fleet-postgres';
import { createEnrollment, listHosts, startAgentProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { guardCheck } from '../test-support/guard';

describe('a fleet whose console keeps its store on PostgreSQL', () => {
  let pg: PostgresConsole;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;

  beforeAll(async () => {
    pg = await startPostgresConsole({ prefix: 'vigil-fleet-pg-' });
    consoleProcess = pg.replicas[0]!;
  }, 90_000);

  afterAll(async () => {
    await stopProcess(agent);
    await pg?.close();
  });

  it('lists the local host as host 1, enrolls an agent after it, and isolates fleet-wide on it', { timeout: 120_000 }, async () => {
    const port = consoleProcess!.port;
    expect(await listHosts(port)).toEqual([expect.objectContaining({ id: 1, name: 'local', connected: true })]);
    const token = await createEnrollment(port, { labels: { site: 'fra' }, uses: 1, expiresInMinutes: 5 });
    agent = await startAgentProcess({ dataDir: pg.tmp.join('agent'), consolePort: port, token, name: 'pg-edge' });
    // The migration placed host 1 by hand; the sequence must still give the next host id 2.
    const host = await waitForHost(port, 'pg-edge', (h) => h.connected && h.healthScore !== null, 'connected with a heartbeat');
    expect(host).toMatchObject({ id: 2, labels: { site: 'fra' }, defenseMode: 'NORMAL' });

    const source = '203.0.113.91';
    expect((await guardCheck(agent.port, { headers: { 'x-real-ip': source } })).status).toBe(204);
    const answer = await api(port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'fleet on PostgreSQL', scope: 'fleet', indefinite: true },
    });
    expect(answer.status).toBe(201);
    await waitFor(async () => (await guardCheck(agent!.port, { headers: { 'x-real-ip': source } })).status === 403, { what: 'the agent to refuse the source' });
  });
});
