import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { openDatabase, type Database } from '../db/client';
import { verifyStoredChain } from '../audit/verify-stored-chain';
import { verifyAuditTrail } from '../audit/audit-verifier';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import {
  clusterHealth,
  createEmptyDatabase,
  mintLiveToken,
  spawnReplica,
  TEST_API_TOKEN,
  TEST_SECRET,
  waitFor,
  writeConfig,
  type EmptyDatabase,
  type Replica,
} from '../test-support';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

/**
 * Two worker processes on one PostgreSQL database. The leader is killed with SIGKILL in the
 * middle of a stream of events; the standby must take over, every acknowledged event must be
 * in the chain exactly once, the chain must verify, and the watched service must be restarted
 * exactly once per failure, never by both. How fast a decision propagates and a takeover
 * happens is measured by bench/ha-guard.ts, where the machine's load is on record.
 */
describe('two workers on PostgreSQL: leader election and failover', () => {
  let db: EmptyDatabase;
  let database: Database;
  let service: StubHttpServer;
  let healthy = true;
  const restarts: number[] = [];
  let a: Replica;
  let b: Replica;
  let socket: Socket | null = null;
  /** As deployed: one signing key for every replica, and checkpoints often enough to be made by both leaders. */
  let shared: Record<string, string>;

  beforeAll(async () => {
    db = await createEmptyDatabase('postgresql');
    shared = { VIGIL_AUDIT_KEY_PATH: db.dir.join('audit-signing.key'), VIGIL_AUDIT_CHECKPOINT_EVERY: '50' };
    service = await startStubHttpServer((request, res) => {
      if (request.method === 'POST' && request.path === '/restart') {
        restarts.push(Date.now());
        healthy = true;
        res.writeHead(204).end();
        return;
      }
      res.writeHead(healthy ? 200 : 500).end(healthy ? 'ok' : 'broken');
    });
    const configFile = writeConfig(
      db.dir.join('vigil.config.yaml'),
      [
        'modules:',
        '  - name: svc',
        '    kind: http',
        `    url: ${service.url}/health`,
        '    intervalSeconds: 1',
        '    timeoutSeconds: 1',
        '    failureThreshold: 2',
        `    restart: { http: "${service.url}/restart" }`,
        '',
      ].join('\n'),
    );
    a = await spawnReplica({ node: 'node-a', databaseUrl: db.url, baseDir: db.dir.path, configFile, vars: shared });
    await waitFor(async () => (await clusterHealth(a))?.cluster?.role === 'leader', { timeoutMs: 15_000, what: 'node-a leads' });
    b = await spawnReplica({ node: 'node-b', databaseUrl: db.url, baseDir: db.dir.path, configFile, vars: shared });
    database = await openDatabase({ url: db.url });
  }, 90_000);

  afterAll(async () => {
    socket?.disconnect();
    a?.running.kill('SIGKILL');
    b?.running.kill('SIGTERM');
    await Promise.all([a?.running.exited, b?.running.exited]);
    await database?.close();
    await service?.close();
    await db?.destroy();
  });

  const post = (replica: Replica, route: string, body: unknown) =>
    fetch(`${replica.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  /** Health probes the service has answered since `from` (an index into its requests). */
  const probesSince = (from: number) => service.requests.slice(from).filter((r) => r.path === '/health').length;
  /**
   * A second restart, had the standby probed and acted too, would come from probes that saw the
   * failure before the first restart healed it: by the time the service has answered three more
   * probes (a failure threshold of two, plus one), it would have arrived.
   */
  const probedPastRestart = async () => {
    const from = service.requests.length;
    await waitFor(() => probesSince(from) >= 3, { timeoutMs: 15_000, what: 'three more probes of the restarted service' });
  };
  const guard = async (replica: Replica, client: string) => (await fetch(`${replica.url}/guard/check`, { headers: { 'x-forwarded-for': client } })).status;

  it('elects one leader; the standby knows it, forwards what it cannot do, and fans live events out', async () => {
    const standby = await clusterHealth(b);
    expect(standby?.cluster).toMatchObject({ node: 'node-b', role: 'standby' });
    expect((await clusterHealth(a))?.cluster).toMatchObject({ node: 'node-a', role: 'leader', leader: 'node-a' });
    // The standby reports the leader's stored score rather than none.
    expect(standby?.healthScore).toEqual(expect.any(Number));

    // A module list only the leader has, asked of the standby.
    const modules = await fetch(`${b.url}/api/v1/modules`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(modules.status).toBe(200);
    expect(((await modules.json()) as { name: string }[]).map((m) => m.name)).toEqual(['svc']);

    // A live client of the standby hears what the leader decides.
    const heard: string[] = [];
    socket = connectSocket(b.url, { auth: { token: await mintLiveToken({ secret: TEST_SECRET, database }) }, transports: ['websocket'] });
    socket.on('defense:decision', (change: { decision: { source: string } }) => heard.push(change.decision.source));
    await waitFor(() => socket!.connected, { what: 'socket connected to the standby' });

    expect((await post(a, '/api/v1/isolations', { source: '203.0.113.7', reason: 'failover test', indefinite: true })).status).toBe(201);
    await waitFor(async () => (await guard(b, '203.0.113.7')) === 403, { what: 'the standby enforces the isolation' });
    expect(await guard(b, '203.0.113.8')).toBe(204);
    await waitFor(() => heard.includes('203.0.113.7'), { what: 'the decision reached the standby’s live client' });
  });

  it('relays what the standby sees to the leader’s detectors', async () => {
    // Brute force from one address, reported to the standby only: the leader isolates it.
    const failures = Array.from({ length: 12 }, () => ({ type: 'auth_failure', source: '198.51.100.23', user: 'root' }));
    expect((await post(b, '/api/v1/events', { events: failures })).status).toBe(202);
    await waitFor(async () => (await guard(b, '198.51.100.23')) === 403, { timeoutMs: 5000, what: 'the relayed brute force is isolated everywhere' });
    expect(await guard(a, '198.51.100.23')).toBe(403);
  });

  it('restarts a failed service once, from the leader only', async () => {
    healthy = false;
    await waitFor(() => restarts.length >= 1, { timeoutMs: 15_000, what: 'the first restart' });
    await probedPastRestart();
    expect(restarts).toHaveLength(1);
  });

  it('takes over when the leader is killed, losing no acknowledged event', async () => {
    const acknowledged: string[] = [];
    let refused = 0;
    let stop = false;
    let n = 0;
    const load = (async () => {
      while (!stop) {
        const target = n % 2 === 0 ? a : b;
        const events = Array.from({ length: 5 }, () => ({ type: 'custom', source: '192.0.2.10', details: { n: n++ } }));
        try {
          const response = await post(target, '/api/v1/events', { events });
          if (response.status === 202) acknowledged.push(...((await response.json()) as { events: { eventId: string }[] }).events.map((e) => e.eventId));
          else refused++;
        } catch {
          refused++;
        }
      }
    })();
    await waitFor(() => acknowledged.length >= 200, { timeoutMs: 15_000, what: 'events flowing to both replicas' });

    a.running.kill('SIGKILL');
    expect((await a.running.exited).signal).toBe('SIGKILL');
    await waitFor(async () => (await clusterHealth(b))?.cluster?.role === 'leader', { timeoutMs: 30_000, intervalMs: 50, what: 'node-b takes over' });
    const afterTakeover = acknowledged.length;
    await waitFor(() => acknowledged.length >= afterTakeover + 100, { timeoutMs: 10_000, what: 'events keep flowing to the new leader' });
    stop = true;
    await load;
    expect(refused).toBeGreaterThan(0);

    // The new leader enforces what the old one decided, and acts on its own.
    expect(await guard(b, '203.0.113.7')).toBe(403);
    expect((await post(b, '/api/v1/isolations', { source: '203.0.113.99', reason: 'after failover', indefinite: true })).status).toBe(201);
    expect(await guard(b, '203.0.113.99')).toBe(403);

    // Every acknowledged event is stored exactly once, and the chain verifies.
    const rows = await database.prisma.auditEvent.findMany({ where: { eventId: { in: acknowledged } }, select: { eventId: true } });
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(acknowledged.length);
    expect(rows).toHaveLength(acknowledged.length);
    const verdict = await verifyStoredChain(database.prisma);
    expect(verdict.ok).toBe(true);
    const elections = await database.prisma.auditEvent.findMany({ where: { type: 'cluster.leader_elected' }, orderBy: { seq: 'asc' } });
    expect(elections.map((e) => (JSON.parse(e.details) as { node?: string }).node)).toEqual(['node-a', 'node-b']);
    // Checkpoints signed by both leaders verify with the one shared key.
    const key = loadCheckpointKey(shared.VIGIL_AUDIT_KEY_PATH, { create: false })!;
    const electedB = elections.find((e) => (JSON.parse(e.details) as { node?: string }).node === 'node-b')!;
    await waitFor(
      async () =>
        (await database.prisma.auditCheckpoint.count({ where: { seq: { lt: electedB.seq } } })) > 0 &&
        (await database.prisma.auditCheckpoint.count({ where: { seq: { gt: electedB.seq } } })) > 0,
      { what: 'checkpoints from both leaders' },
    );
    expect(await verifyAuditTrail({ database, key, mode: 'full' })).toMatchObject({ ok: true });
    expect(await database.prisma.auditEvent.count({ where: { type: 'cluster.signing_key_mismatch' } })).toBe(0);

    // A second failure after the takeover: restarted once more, by the new leader alone.
    healthy = false;
    await waitFor(() => restarts.length >= 2, { timeoutMs: 15_000, what: 'the restart by the new leader' });
    await probedPastRestart();
    expect(restarts).toHaveLength(2);
  }, 60_000);

  it('lets the old leader come back as a standby', async () => {
    a = await spawnReplica({ node: 'node-a', databaseUrl: db.url, baseDir: db.dir.path, configFile: db.dir.join('vigil.config.yaml'), vars: shared });
    await waitFor(async () => (await clusterHealth(a))?.cluster?.role === 'standby', { what: 'node-a stands by' });
    expect((await clusterHealth(a))?.cluster?.leader).toBe('node-b');
    expect(await guard(a, '203.0.113.99')).toBe(403);
  }, 30_000);
});
