import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, queryPostgres, TEST_API_TOKEN, waitFor } from '../test-support';
import { createEnrollment, listHosts, waitForHost, type FleetProcess } from '../test-support/fleet';
import { startPostgresConsole, type PostgresConsole } from '../test-support/fleet-postgres';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { FLEET_CONFIG_EVENTS, type SignedFleetConfigPush } from '@/lib/fleet/fleet-config-api';

type AuditPage = { events: Array<{ resource: string | null; reason: string | null }> };

/**
 * Two console replicas on one PostgreSQL database, agents held by either. A configuration saved
 * through one reaches the agents the other holds at once. A replica killed outright says goodbye to
 * none of its agents: the replica left (leading, or elected for it) notices it is gone from the
 * cluster and marks its hosts disconnected, whether or not those agents come back.
 */
describe('console replicas and the agents the other one holds', () => {
  let pg: PostgresConsole;
  let a: FleetProcess;
  let b: FleetProcess;
  const agents: ProtocolAgent[] = [];
  let onA: ProtocolAgent;
  let onB: ProtocolAgent;

  beforeAll(async () => {
    pg = await startPostgresConsole({ prefix: 'vigil-fleet-replica-edges-', replicas: 2 });
    [a, b] = pg.replicas as [FleetProcess, FleetProcess];
    const token = await createEnrollment(a.port, { labels: { role: 'web' }, uses: 2, expiresInMinutes: 10 });
    // Agents that do not reconnect: each stays on the replica it was given.
    onB = await ProtocolAgent.enroll(b.port, token, 'held-by-b');
    onA = await ProtocolAgent.enroll(a.port, token, 'held-by-a');
    agents.push(onA, onB);
    await waitForHost(a.port, 'held-by-b', (h) => h.connected, 'connected through b');
  }, 180_000);

  afterAll(async () => {
    for (const agent of agents) agent.close();
    await pg?.close();
  });

  it('pushes a configuration saved through either replica to every connected agent at once, wherever it is held', { timeout: 60_000 }, async () => {
    const pushes = new Map<ProtocolAgent, SignedFleetConfigPush[]>(agents.map((agent) => [agent, []]));
    for (const agent of agents) agent.socket.on(FLEET_CONFIG_EVENTS.push, (signed: SignedFleetConfigPush) => pushes.get(agent)!.push(signed));
    for (const [via, name] of [
      [a, 'first'],
      [b, 'second'],
    ] as const) {
      const saved = await api<{ current: { revision: number } }>(via.port, '/api/v1/fleet/config/assignments', {
        token: TEST_API_TOKEN,
        json: { target: { labels: { role: 'web' } }, content: { integrityPaths: [{ path: `/etc/${name}` }] }, reason: `the ${name} save` },
      });
      expect(saved.status).toBe(201);
      for (const agent of agents)
        await waitFor(() => pushes.get(agent)!.find((signed) => signed.push.revision === saved.body.current.revision), {
          timeoutMs: 10_000,
          what: `host ${agent.hostId} to receive revision ${saved.body.current.revision}`,
        });
    }
  });

  it('has a live replica whose hosts were swept while its bus was cut take them back once its bus listens again', { timeout: 60_000 }, async () => {
    const url = pg.database.url;
    // What the leader's sweep writes for a replica missing from the cluster for 10 s (the statement of
    // releaseHostsOfGoneReplicas); holding b's bus session away that long cannot be forced here.
    await queryPostgres(url, `UPDATE "Host" SET "connected" = false, "connection" = NULL, "disconnectedSince" = now() WHERE "id" = $1`, [onB.hostId]);
    expect((await listHosts(a.port)).find((h) => h.id === onB.hostId)?.connected).toBe(false);
    // b's bus session is cut, as a network fault would: it listens again within a second or so.
    await queryPostgres(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
      'vigil-cluster replica-1',
    ]);
    const back = await waitForHost(a.port, 'held-by-b', (h) => h.connected, 'taken back by b after its bus rejoined', 30_000);
    expect(back.disconnectedSince).toBeNull();
    expect(onB.socket.connected).toBe(true);
    const rejoined = await waitFor(
      async () => {
        const page = await api<AuditPage>(a.port, '/api/v1/audit?type=fleet.agent_connected&limit=200', { token: TEST_API_TOKEN });
        return page.body.events.find((event) => event.resource === `host:${onB.hostId}` && /rejoined/.test(event.reason ?? ''));
      },
      { timeoutMs: 15_000, what: 'the host recorded connected again' },
    );
    expect(rejoined.reason).toMatch(/rejoined the cluster/);
  });

  it('has the hosts of a replica killed outright marked disconnected by the one left, once each', { timeout: 120_000 }, async () => {
    // Nothing but the sweep can tell the console these agents are gone: they do not reconnect.
    b.running.kill('SIGKILL');
    await b.running.exited;
    // After the sweep's grace (GONE_AFTER_MS, 10 s) and the next sweep.
    const gone = await waitForHost(a.port, 'held-by-b', (h) => !h.connected, 'disconnected after b was killed', 45_000);
    expect(gone.disconnectedSince).not.toBeNull();
    // The other replica's own agent is untouched.
    expect((await listHosts(a.port)).find((h) => h.id === onA.hostId)?.connected).toBe(true);

    const disconnects = async () =>
      (await api<AuditPage>(a.port, '/api/v1/audit?type=fleet.agent_disconnected&limit=200', { token: TEST_API_TOKEN })).body.events.filter(
        (event) => event.resource === `host:${onB.hostId}`,
      );
    const recorded = await waitFor(async () => ((await disconnects()).length > 0 ? await disconnects() : undefined), {
      timeoutMs: 30_000,
      what: 'the disconnect recorded',
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.reason).toMatch(/replica-1/);
  });

  it('has the hosts of a killed leader marked disconnected by the replica elected after it', { timeout: 180_000 }, async () => {
    b = await pg.restart(1);
    a.running.kill('SIGKILL');
    await a.running.exited;
    const gone = await waitForHost(b.port, 'held-by-a', (h) => !h.connected, 'disconnected after the leader a was killed', 60_000);
    expect(gone.disconnectedSince).not.toBeNull();
    const recorded = await waitFor(
      async () => {
        const page = await api<AuditPage>(b.port, '/api/v1/audit?type=fleet.agent_disconnected&limit=200', { token: TEST_API_TOKEN });
        const ours = page.body.events.filter((event) => event.resource === `host:${onA.hostId}`);
        return ours.length > 0 ? ours : undefined;
      },
      { timeoutMs: 30_000, what: "the leader's host's disconnect recorded" },
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.reason).toMatch(/replica-0/);
  });
});
