import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../worker';
import {
  api,
  createEmptyDatabase,
  FixedSampler,
  queryPostgres,
  silentLogger,
  TEST_API_TOKEN,
  waitFor,
  workerEnvFor,
  type EmptyDatabase,
} from '../test-support';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { CLUSTER_CHANNEL } from './cluster-bus';
import { FORWARDED_BY_HEADER } from './leader-proxy';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { writeFileSync } from 'node:fs';
import net from 'node:net';

/** A raw request, for targets and framings fetch() would never send. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed socket may be dropped before the answer; Connection: close ends it.
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

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
      env: {
        ...workerEnvFor({
          dataDir: db.dir.join(node),
          databaseUrl: db.url,
          vars: { VIGIL_HA: 'true', VIGIL_NODE_ID: node, VIGIL_AUDIT_CHECKPOINT_EVERY: '5', VIGIL_CONFIG: db.dir.join('vigil.config.yaml') },
        }),
        port: 0,
      },
      sampler: new FixedSampler(),
      log: silentLogger(),
      onLeadershipLost: (reason) => lost.push(`${node}: ${reason}`),
    });
  const sessionsOf = (application: string) =>
    queryPostgres(db.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1', [
      `${application}%`,
    ]);

  let internal: StubHttpServer;

  beforeAll(async () => {
    db = await createEmptyDatabase('postgresql');
    // Something only reachable from inside, which no request to a standby may ever reach.
    internal = await startStubHttpServer((_request, res) => res.writeHead(200).end('internal secret'));
    a = await start('node-a');
    await a.leading;
    b = await start('node-b');
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await internal?.close();
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
    expect(
      await a.cluster!.publish({ kind: 'decision', change: 'isolated', decision: { ...a.defense.blocklist.get('192.0.2.45')!, reason: 'y'.repeat(9000) } }),
    ).toBe(true);
    await waitFor(() => b.defense.blocklist.get('192.0.2.45'), { what: 'the resync on the standby' });
    expect(b.defense.blocklist.get('192.0.2.45')!.reason).toBe('x'.repeat(400));
  });

  it('reads the state again after its bus session was cut', async () => {
    await sessionsOf('vigil-cluster node-b');
    // Decided while the standby cannot hear: only the resync after reconnecting brings it.
    await a.defense.isolations.isolate({ source: '192.0.2.46', actor: 'test', origin: 'manual', reason: 'missed', durationMs: null });
    await waitFor(() => b.defense.blocklist.get('192.0.2.46'), { timeoutMs: 8000, what: 'the missed isolation after the resync' });
  });

  it('forwards only paths, to the leader alone, and never lets a body carry a second request', async () => {
    for (const target of [`//127.0.0.1:${internal.port}/x`, `http://127.0.0.1:${internal.port}/x`, 'https://127.0.0.1/x', 'http://a:99999/']) {
      const answer = await rawRequest(b.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 (400|404)/);
      expect(answer).not.toContain('internal secret');
    }
    expect(internal.requests).toHaveLength(0);

    // Guard checks hidden in the chunked body of a GET: the leader sees one GET with a body, nothing more.
    const checksBefore = a.defense.guardStats.checks;
    const smuggled = Array.from({ length: 520 }, () => 'GET /guard/check HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.200\r\n\r\n').join('');
    const chunk = `${Buffer.byteLength(smuggled).toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`;
    const answer = await rawRequest(
      b.port,
      `GET /api/v1/modules HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_TOKEN}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    // A forwarded request after it, on the proxy's kept-alive connection (the one just freed is reused): the leader
    // answers in order, so whatever the first one carried has been handled by the time this is answered.
    expect((await api(b.port, '/api/v1/modules', { token: TEST_API_TOKEN })).status).toBe(200);
    expect(a.defense.guardStats.checks).toBe(checksBefore);
    expect(a.defense.blocklist.get('198.51.100.200')).toBeUndefined();
    expect((await api(b.port, '/healthz')).status).toBe(200);
  });

  it('keeps the order of announcements, so a quick isolate-and-restore leaves nothing behind', async () => {
    for (let i = 0; i < 10; i++) {
      await a.defense.isolations.isolate({ source: `192.0.2.${100 + i}`, actor: 'test', origin: 'manual', reason: 'order test', durationMs: null });
      await a.defense.isolations.restore({ source: `192.0.2.${100 + i}`, actor: 'test', reason: 'order test' });
    }
    await a.defense.lockdown({ actor: 'test', reason: 'order test' });
    await a.defense.lift({ actor: 'test', reason: 'order test' });
    await a.defense.isolations.isolate({ source: '192.0.2.120', actor: 'test', origin: 'manual', reason: 'the last word', durationMs: null });
    await waitFor(() => b.defense.blocklist.get('192.0.2.120'), { what: 'the last announcement' });
    for (let i = 0; i < 10; i++) expect(b.defense.blocklist.get(`192.0.2.${100 + i}`)).toBeUndefined();
    expect(b.defense.mode).toBe('NORMAL');
  });

  it('ends a followed lockdown on its own clock when the lift never arrives', async () => {
    b.defense.modes.follow('LOCKDOWN', {
      actor: 'test',
      reason: 'expiring',
      since: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 300).toISOString(),
    });
    expect(b.defense.mode).toBe('LOCKDOWN');
    await waitFor(() => b.defense.mode === 'NORMAL', { timeoutMs: 3000, what: 'the lockdown ending on the standby' });
  });

  it('relays a batch whole even when one event in it names no address', async () => {
    const rejected = { a: a.cluster!.busStats.rejected, b: b.cluster!.busStats.rejected };
    const events = [...Array.from({ length: 12 }, () => ({ type: 'auth_failure', source: '198.51.100.77', user: 'root' })), { type: 'custom' }];
    expect((await api(b.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events } })).status).toBe(202);
    await waitFor(() => a.defense.blocklist.get('198.51.100.77'), { timeoutMs: 5000, what: 'the leader isolating the relayed brute force' });
    expect({ a: a.cluster!.busStats.rejected, b: b.cluster!.busStats.rejected }).toEqual(rejected);
  });

  it('starts no module on a standby when the shared configuration changes', async () => {
    writeFileSync(db.dir.join('vigil.config.yaml'), `modules:\n  - name: svc\n    kind: http\n    url: ${internal.url}/health\n    intervalSeconds: 1\n`);
    await waitFor(() => a.healing.engine.list().some((m) => m.name === 'svc'), { timeoutMs: 10_000, what: 'the leader taking the module on' });
    await waitFor(() => b.config.loaded.config.modules.length === 1, { timeoutMs: 10_000, what: 'the standby reading the same file' });
    expect(b.healing.engine.list()).toEqual([]);
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
