import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../worker';
import { api, createEmptyDatabase, FixedSampler, queryPostgres, silentLogger, TEST_API_TOKEN, waitFor, workerEnvFor, type EmptyDatabase } from '../test-support';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { CLUSTER_CHANNEL } from './cluster-bus';
import { FORWARDED_BY_HEADER } from './leader-proxy';

/**
 * Two replicas in one process over one PostgreSQL database: what standbys apply from the
 * bus, how they forward, and what a leader does when its database session is taken away.
 */
describe('replicas in one process: the bus, forwarding and loss of leadership', () => {
  let db: EmptyDatabase;
  let a: Worker;
  let b: Worker;
  const lost: string[] = [];

  // Each with a key of its own (a deployment mistake the new leader must point out), and
  // checkpoints often enough that the first leader signs some.
  const start = (node: string) =>
    startWorker({
      env: { ...workerEnvFor({ dataDir: db.dir.join(node), databaseUrl: db.url, vars: { VIGIL_HA: 'true', VIGIL_NODE_ID: node, VIGIL_AUDIT_CHECKPOINT_EVERY: '5' } }), port: 0 },
      sampler: new FixedSampler(),
      log: silentLogger(),
      onLeadershipLost: (reason) => lost.push(`${node}: ${reason}`),
    });
  const sessionsOf = (application: string) =>
    queryPostgres(db.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1', [`${application}%`]);

  beforeAll(async () => {
    db = await createEmptyDatabase('postgresql');
    a = await start('node-a');
    await a.leading;
    b = await start('node-b');
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.destroy();
  });

  it('starts the first replica as leader and the second as standby, both in /healthz', async () => {
    expect(a.cluster!.status()).toMatchObject({ nodeId: 'node-a', role: 'leader' });
    expect(b.cluster!.status()).toMatchObject({ nodeId: 'node-b', role: 'standby', leader: { nodeId: 'node-a' } });
    const health = await api<{ cluster: { role: string; leader: string } }>(b.port, '/healthz');
    expect(health.body.cluster).toMatchObject({ role: 'standby', leader: 'node-a' });
    const metrics = await (await fetch(`http://127.0.0.1:${b.port}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_leader 0$/m);
    expect(await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text()).toMatch(/^vigil_leader 1$/m);
  });

  it('lists the live replicas and the leader, from any replica', async () => {
    const overview = await api<ClusterOverview>(b.port, '/api/v1/cluster', { token: TEST_API_TOKEN });
    expect(overview.status).toBe(200);
    expect(overview.body.ha).toBe(true);
    expect(overview.body.self).toMatchObject({ nodeId: 'node-b', role: 'standby' });
    expect(overview.body.members.map((m) => [m.node, m.leader])).toEqual([
      ['node-a', true],
      ['node-b', false],
    ]);
    expect(overview.body.members[0].address).toBe('127.0.0.1');
  });

  it('applies the leader’s decisions, modes and allowlist on the standby', async () => {
    await a.defense.isolations.isolate({ source: '192.0.2.44', actor: 'test', origin: 'manual', reason: 'bus test', durationMs: null });
    await waitFor(() => b.defense.blocklist.get('192.0.2.44'), { what: 'the isolation on the standby' });
    await a.defense.isolations.restore({ source: '192.0.2.44', actor: 'test', reason: 'done' });
    await waitFor(() => !b.defense.blocklist.get('192.0.2.44'), { what: 'the restore on the standby' });

    await a.defense.lockdown({ actor: 'test', reason: 'bus test' });
    await waitFor(() => b.defense.mode === 'LOCKDOWN', { what: 'LOCKDOWN on the standby' });
    expect(b.defense.check('192.0.2.50', '/')).toBe('lockdown');
    await a.defense.lift({ actor: 'test', reason: 'bus test over' });
    await waitFor(() => b.defense.mode === 'NORMAL', { what: 'NORMAL on the standby' });

    await a.defense.allow({ source: '192.0.2.60', reason: 'bus test', actor: 'test' });
    await waitFor(() => b.defense.allowlist.match('192.0.2.60'), { what: 'the allowlist entry on the standby' });
    await a.defense.disallow({ source: '192.0.2.60', reason: 'bus test', actor: 'test' });
    await waitFor(() => !b.defense.allowlist.match('192.0.2.60'), { what: 'the allowlist removal on the standby' });
  });

  it('ignores malformed messages, and turns an oversized one into a resync', async () => {
    const before = b.cluster!.busStats.rejected;
    await queryPostgres(db.url, 'SELECT pg_notify($1, $2)', [CLUSTER_CHANNEL, '{"kind":"decision","from":"x"}']);
    await queryPostgres(db.url, 'SELECT pg_notify($1, $2)', [CLUSTER_CHANNEL, 'not json']);
    await waitFor(() => b.cluster!.busStats.rejected >= before + 2, { what: 'two rejected messages' });

    // Written behind the bus's back, then announced with a reason too long for a notification.
    await a.defense.isolations.isolate({ source: '192.0.2.45', actor: 'test', origin: 'manual', reason: 'x'.repeat(400), durationMs: null });
    await waitFor(() => b.defense.blocklist.get('192.0.2.45'), { what: 'the isolation' });
    // The standby forgets it; only a resync from the database can bring it back.
    b.defense.blocklist.remove('192.0.2.45');
    expect(await a.cluster!.publish({ kind: 'decision', change: 'isolated', decision: { ...a.defense.blocklist.get('192.0.2.45')!, reason: 'y'.repeat(9000) } })).toBe(true);
    await waitFor(() => b.defense.blocklist.get('192.0.2.45'), { what: 'the resync on the standby' });
    expect(b.defense.blocklist.get('192.0.2.45')!.reason).toBe('x'.repeat(400));
  });

  it('reads the state again after its bus session was cut', async () => {
    await sessionsOf('vigil-cluster node-b');
    // Decided while the standby cannot hear: only the resync after reconnecting brings it.
    await a.defense.isolations.isolate({ source: '192.0.2.46', actor: 'test', origin: 'manual', reason: 'missed', durationMs: null });
    await waitFor(() => b.defense.blocklist.get('192.0.2.46'), { timeoutMs: 8000, what: 'the missed isolation after the resync' });
  });

  it('forwards what only the leader does, and never forwards a forwarded request again', async () => {
    const modules = await api<unknown[]>(b.port, '/api/v1/modules', { token: TEST_API_TOKEN });
    expect(modules.status).toBe(200);
    expect(Array.isArray(modules.body)).toBe(true);
    const looped = await api<{ error: { code: string } }>(b.port, '/api/v1/modules', { token: TEST_API_TOKEN, headers: { [FORWARDED_BY_HEADER]: 'node-x' } });
    expect(looped.status).toBe(503);
    expect(looped.body.error.code).toBe('no_leader');
    expect(looped.headers.get('retry-after')).toBe('2');
  });

  it('steps down when its database session is taken, and the standby takes over', async () => {
    await waitFor(async () => (await a.database.prisma.auditCheckpoint.count()) > 0, { what: 'a checkpoint signed by node-a' });
    await sessionsOf('vigil-leader-election node-a');
    await waitFor(() => lost.some((line) => line.startsWith('node-a')), { timeoutMs: 5000, what: 'node-a gives up leadership' });
    // The test stands in for main.ts, which would exit here and come back as a standby.
    await a.close('leadership lost');
    await b.leading;
    expect(b.cluster!.role).toBe('leader');
    await waitFor(() => b.healing.engine.list().length >= 0 && b.monitor.current() !== null, { what: 'the new leader samples' });
    expect(b.defense.blocklist.get('192.0.2.46')).toBeDefined();
    await b.defense.isolations.isolate({ source: '192.0.2.47', actor: 'test', origin: 'manual', reason: 'new leader', durationMs: null });
    expect(b.defense.check('192.0.2.47', '/')).toBe('isolated');
    const mismatch = await b.database.prisma.auditEvent.findFirst({ where: { type: 'cluster.signing_key_mismatch' } });
    expect(mismatch?.reason).toContain(b.integrity.key.keyId);
  }, 30_000);
});
